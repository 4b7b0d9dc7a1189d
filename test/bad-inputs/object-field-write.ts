// writing a field of an object parameter
// expect: ADC1001
import { grad } from "adc";
type P = { w: number };
export function f(p: P, x: number): number {
  p.w = x;
  return p.w * x;
}
export const g = grad(f);
