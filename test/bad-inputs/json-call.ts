// a call of a library function
// expect: ADC1003
import { grad } from "adc";
export function f(x: number): number {
  return JSON.parse("2") * x;
}
export const g = grad(f);
