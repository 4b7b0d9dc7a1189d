// @grad on a class
// expect: diagnostic
// known: not refused yet (reported): adc compiles it without a diagnostic
import { grad } from "adc";
@grad
export class C {
  static f(x: number): number {
    return x * x;
  }
}
