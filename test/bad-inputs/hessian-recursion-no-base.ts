// the Hessian of a function that always calls itself
// expect: ADC1016
import { hessian } from "adc";
export function f(x: number): number {
  return Math.sin(f(x + 1)) * x;
}
export const g = hessian(f);
