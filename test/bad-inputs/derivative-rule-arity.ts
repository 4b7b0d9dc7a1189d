// defineDerivative with a rule of the wrong arity
// expect: ADC2005
import { defineDerivative, grad } from "adc";
function h(x: number): number {
  return x * x;
}
function hForward(x: number): [number, number] {
  return [x * x, 2 * x];
}
defineDerivative(h, { forward: hForward as any });
export function f(x: number): number {
  return h(x) + 1;
}
export const d = grad(f);
