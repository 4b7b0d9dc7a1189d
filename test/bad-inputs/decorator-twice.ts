// @grad given twice
// expect: ADC2002
import { grad } from "adc";
export class M {
  @grad @grad static a(w: number): number {
    return w;
  }
}
