// an array variable reassigned in a loop
// expect: ADC1014
import { grad } from "adc";
export function f(x: number[], y: number[]): number {
  let a = x;
  let s = 0;
  for (let i = 0; i < 2; i++) {
    s += a[0];
    a = y;
  }
  return s;
}
export const g = grad(f);
