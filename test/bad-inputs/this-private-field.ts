// a @grad instance method that reads a #private field
// expect: ADC1008
import { grad } from "adc";
export class Model {
  #scale = 2;
  @grad
  loss(w: number): number {
    return this.#scale * w * w;
  }
}
