// @grad on a class
// expect: ADC2001
import { grad } from "adc";
@grad
export class C {
  static f(x: number): number {
    return x * x;
  }
}
