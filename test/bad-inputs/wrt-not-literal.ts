// wrt that is not a literal
// expect: ADC2002
import { grad } from "adc";
export function f(x: number): number {
  return x * x;
}
const w = 0;
export const g = grad(f, { wrt: w });
