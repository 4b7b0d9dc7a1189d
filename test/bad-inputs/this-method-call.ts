// a @grad instance method that calls another method through this
// expect: ADC1008
import { grad } from "adc";
export class Model {
  scale = 2;
  square(w: number): number {
    return w * w;
  }
  @grad
  loss(w: number): number {
    return this.scale * this.square(w);
  }
}
