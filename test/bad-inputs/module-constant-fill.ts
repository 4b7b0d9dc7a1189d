// fill on a module-level constant array
// expect: ADC1004
import { grad } from "adc";
const buffer = new Float64Array(3);
export function f(x: number): number {
  buffer.fill(x);
  return buffer[1] * x;
}
export const g = grad(f);
