// a parameter of type any
// expect: ADC1002
import { grad } from "adc";
export function f(x: any): number {
  return x * 2;
}
export const g = grad(f);
