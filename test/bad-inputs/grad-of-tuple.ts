// grad of a function returning a tuple
// expect: ADC2003
import { grad } from "adc";
export function p(x: number, y: number): [number, number] {
  return [x * y, x + y];
}
export const d = grad(p);
