// a string parameter
// expect: ADC1002
import { grad } from "adc";
export function f(x: number, label: string): number {
  return x;
}
export const g = grad(f);
