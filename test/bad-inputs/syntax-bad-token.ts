// a character that is not TypeScript
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  return x # 2;
}
export const g = grad(f);
