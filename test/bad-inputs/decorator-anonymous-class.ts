// @grad on a method of an anonymous class
// expect: ADC2001
import { grad } from "adc";
export default class {
  @grad static loss(w: number): number {
    return w * w;
  }
}
