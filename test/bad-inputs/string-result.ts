// a function returning a string, marked
// expect: ADC1002
import { grad } from "adc";
export function f(x: number): string {
  return String(x);
}
export const g = grad(f);
