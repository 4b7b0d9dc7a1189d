// an expression statement with no effect
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  x * 2;
  return x;
}
export const g = grad(f);
