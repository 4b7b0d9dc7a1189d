// a number used as a condition
// expect: ADC1002
import { grad } from "adc";
export function f(x: number): number {
  return x ? 1 : x;
}
export const g = grad(f);
