// a local object called Math
// expect: ADC1003
import { grad } from "adc";
const Math = { sin: (x: number) => x };
export function f(x: number): number {
  return Math.sin(x);
}
export const g = grad(f);
