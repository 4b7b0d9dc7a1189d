// a @grad instance method that reads a getter through this
// expect: ADC1008
import { grad } from "adc";
export class Model {
  raw = 2;
  get scale(): number {
    return this.raw * 2;
  }
  @grad
  loss(w: number): number {
    return this.scale * w * w;
  }
}
