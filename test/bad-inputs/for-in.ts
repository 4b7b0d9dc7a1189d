// for…in over an array
// expect: ADC1009
import { grad } from "adc";
export function f(x: number[]): number {
  let s = 0;
  for (const k in x) s += x[k];
  return s;
}
export const g = grad(f);
