// sorting an array in place
// expect: ADC1015
import { grad } from "adc";
export function f(x: number[]): number {
  return x.slice().sort()[0] * x[1];
}
export const g = grad(f);
