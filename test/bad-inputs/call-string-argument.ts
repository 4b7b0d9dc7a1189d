// a callee given a string (a type error)
// expect: ADC1002
import { grad } from "adc";
function h(a: number): number {
  return a * a;
}
export function f(x: number): number {
  return h("2" as any) * x;
}
export const g = grad(f);
