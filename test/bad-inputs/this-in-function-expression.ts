// this inside a nested function of an instance method is not the instance
// expect: ADC1008
import { grad } from "adc";
export class Model {
  scale = 2;
  @grad
  loss(w: number): number {
    function inner(this: Model, x: number): number {
      return this.scale * x;
    }
    return inner.call(this, w) * w;
  }
}
