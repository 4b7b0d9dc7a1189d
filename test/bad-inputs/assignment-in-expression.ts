// an assignment used as a value
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  let y = 0;
  const z = (y = x) * 2;
  return z + y;
}
export const g = grad(f);
