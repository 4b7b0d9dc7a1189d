// this in a static method
// expect: ADC1008
import { grad } from "adc";
export class C {
  static k = 2;
  static m(x: number): number {
    return this.k * x;
  }
}
export function f(x: number): number {
  return C.m(x);
}
export const g = grad(f);
