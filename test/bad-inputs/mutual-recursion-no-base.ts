// two functions that always call each other
// expect: ADC1016
import { grad } from "adc";
function h(x: number): number {
  return f(x * 0.5) + 1;
}
export function f(x: number): number {
  return h(x) * x;
}
export const g = grad(f);
