// a module-level constant array passed to a function that writes it
// expect: ADC1004
import { grad } from "adc";
const scratch = [0, 0, 0];
export function store(out: number[], x: number): number {
  out[0] = x;
  return out[0];
}
export function f(x: number): number {
  return store(scratch, x * 2) * x;
}
export const g = grad(f);
