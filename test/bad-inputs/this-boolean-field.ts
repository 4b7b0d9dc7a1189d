// a @grad instance method that reads a boolean field of this
// expect: ADC1002
import { grad } from "adc";
export class Model {
  on = true;
  @grad
  loss(w: number): number {
    return this.on ? w * w : w;
  }
}
