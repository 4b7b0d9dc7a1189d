// a path that falls off the end
// expect: ADC1011
import { grad } from "adc";
export function f(x: number): number {
  if (x > 0) {
    return x;
  }
}
export const g = grad(f);
