// a debugger statement
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  debugger;
  return x;
}
export const g = grad(f);
