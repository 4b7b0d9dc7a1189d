// a call of a declared function with no body and no rule
// expect: ADC1003
import { grad } from "adc";
declare function opaque(x: number): number;
export function f(x: number): number {
  return opaque(x) * 2;
}
export const g = grad(f);
