// a callee in another file that is not exported
// expect: ADC1012
import { grad } from "adc";
import { visible } from "./lib/hidden";
export function f(x: number): number {
  return visible(x);
}
export const g = grad(f);
