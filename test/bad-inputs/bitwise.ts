// a bitwise operator
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  return (x | 0) * x;
}
export const g = grad(f);
