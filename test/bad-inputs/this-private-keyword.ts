// a @grad instance method that reads a field declared private
// expect: ADC1008
import { grad } from "adc";
export class Model {
  private scale = 2;
  @grad
  loss(w: number): number {
    return this.scale * w * w;
  }
}
