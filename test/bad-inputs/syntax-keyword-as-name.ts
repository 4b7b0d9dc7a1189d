// a reserved word as a variable name
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  const return = x;
  return x;
}
export const g = grad(f);
