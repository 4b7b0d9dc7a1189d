// the comma operator
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  const y = (x, x * 2);
  return y;
}
export const g = grad(f);
