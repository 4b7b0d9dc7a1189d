// an object parameter with an optional field
// expect: ADC1002
import { grad } from "adc";
type P = { w?: number };
export function f(p: P, x: number): number {
  return x;
}
export const g = grad(f);
