// a parameter of a union type
// expect: ADC1002
import { grad } from "adc";
export function f(x: number | string): number {
  return typeof x === "number" ? x : 0;
}
export const g = grad(f);
