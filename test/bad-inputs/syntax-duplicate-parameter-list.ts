// two parameter lists
// expect: ADC1000
import { grad } from "adc";
export function f(x: number)(y: number): number {
  return x * y;
}
export const g = grad(f);
