// a syntax error inside the marker call
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  return x * x;
}
export const g = grad(f, { wrt: [0, });
