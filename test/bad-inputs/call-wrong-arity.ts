// a callee called with too few arguments (a type error)
// expect: ADC1001
import { grad } from "adc";
function h(a: number, b: number): number {
  return a * b;
}
export function f(x: number): number {
  // @ts-expect-error: the missing argument is the point
  return h(x);
}
export const g = grad(f);
