// new Array(n) without fill
// expect: ADC1015
import { grad } from "adc";
export function f(x: number): number {
  const a = new Array(3);
  a[0] = x;
  return a[0];
}
export const g = grad(f);
