// @grad on a property
// expect: diagnostic
// known: not refused yet (reported): adc compiles it without a diagnostic
import { grad } from "adc";
export class C {
  @grad static k = 2;
  static f(x: number): number {
    return x * C.k;
  }
}
