// a callee in another file reading a module constant that file does not export
// expect: ADC1012
import { grad } from "adc";
import { scaled } from "./lib/hidden";
export function f(x: number): number {
  return scaled(x);
}
export const g = grad(f);
