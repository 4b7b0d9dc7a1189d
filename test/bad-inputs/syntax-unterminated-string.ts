// a string literal that runs to the end of the line
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  const s = "never closed;
  return x;
}
export const g = grad(f);
