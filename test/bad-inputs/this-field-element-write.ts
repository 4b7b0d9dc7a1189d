// a @grad instance method that writes into an array field of this
// expect: ADC1008
import { grad } from "adc";
export class Model {
  cache = new Float64Array(2);
  @grad
  loss(w: number): number {
    this.cache[0] += w;
    return w * w;
  }
}
