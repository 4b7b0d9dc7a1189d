// a call of console.log as a statement
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  const y = x * 2;
  console.log(y);
  return y;
}
export const g = grad(f);
