// throw
// expect: ADC1005
import { grad } from "adc";
export function f(x: number): number {
  if (x < 0) throw new Error("negative");
  return x;
}
export const g = grad(f);
