// an element write into a module-level constant array
// expect: ADC1004
import { grad } from "adc";
const cache = [0, 0];
export function f(x: number): number {
  cache[0] = x * x;
  return cache[0] + x;
}
export const g = grad(f);
