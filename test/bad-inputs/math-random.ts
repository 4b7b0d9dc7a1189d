// Math.random
// expect: ADC1010
import { grad } from "adc";
export function f(x: number): number {
  return x * Math.random();
}
export const g = grad(f);
