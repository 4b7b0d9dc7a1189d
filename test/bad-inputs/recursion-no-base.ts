// a function that always calls itself
// expect: ADC1016
import { grad } from "adc";
export function f(x: number): number {
  return f(x) * 2;
}
export const g = grad(f);
