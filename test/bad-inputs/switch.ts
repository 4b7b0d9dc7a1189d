// switch statement
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  switch (x > 0 ? 1 : 0) {
    case 1:
      return x;
    default:
      return -x;
  }
}
export const g = grad(f);
