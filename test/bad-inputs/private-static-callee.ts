// a private static method called by differentiated code
// expect: ADC1012
import { grad } from "adc";
export class K {
  private static h(x: number): number {
    return x * x;
  }
  static m(x: number): number {
    return K.h(x);
  }
}
export function f(x: number): number {
  return K.m(x);
}
export const g = grad(f);
