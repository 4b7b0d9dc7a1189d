// an operator without its right operand
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  return (1 + ;
}
export const g = grad(f);
