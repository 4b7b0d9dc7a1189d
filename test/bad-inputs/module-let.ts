// a mutable module variable
// expect: ADC1004
import { grad } from "adc";
let scale = 2;
export function f(x: number): number {
  return scale * x;
}
export const g = grad(f);
