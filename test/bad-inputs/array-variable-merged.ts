// an array variable reassigned in a branch
// expect: ADC1014
import { grad } from "adc";
export function f(x: number[], y: number[]): number {
  let a = x;
  if (x[0] > 0) a = y;
  return a[0];
}
export const g = grad(f);
