// a class declared inside a differentiated function
// expect: ADC1013
import { grad } from "adc";
export function f(x: number): number {
  class Box {
    v = 1;
  }
  return new Box().v * x;
}
export const g = grad(f);
