// defineDerivative with an arrow function as its rule
// expect: ADC2005
import { defineDerivative, grad } from "adc";
function h(x: number): number {
  return x * x;
}
defineDerivative(h, { reverse: (x: number, s: number) => 2 * x * s });
export function f(x: number): number {
  return h(x) + 1;
}
export const d = grad(f);
