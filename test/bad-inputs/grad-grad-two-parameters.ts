// grad(grad(f)) of a function of two parameters
// expect: ADC2004
import { grad } from "adc";
export function f(x: number, y: number): number {
  return x * y;
}
export const d = grad(grad(f));
