// a @grad instance method that passes this as a whole
// expect: ADC1008
import { grad } from "adc";
function scaleOf(m: { scale: number }): number {
  return m.scale;
}
export class Model {
  scale = 2;
  @grad
  loss(w: number): number {
    return scaleOf(this) * w * w;
  }
}
