// a string where a number is expected
// expect: ADC1002
import { grad } from "adc";
export function f(x: number): number {
  const y: number = "a" + x;
  return y * x;
}
export const g = grad(f);
