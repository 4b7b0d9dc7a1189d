// @grad on a property
// expect: ADC2001
import { grad } from "adc";
export class C {
  @grad static k = 2;
  static f(x: number): number {
    return x * C.k;
  }
}
