// a @grad instance method that writes a field of this
// expect: ADC1008
import { grad } from "adc";
export class Model {
  calls = 0;
  scale = 2;
  @grad
  loss(w: number): number {
    this.calls = this.calls + 1;
    return this.scale * w * w;
  }
}
