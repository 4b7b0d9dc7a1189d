// wrt with an index past the parameters
// expect: ADC2002
import { grad } from "adc";
export function f(x: number): number {
  return x * x;
}
export const g = grad(f, { wrt: 3 });
