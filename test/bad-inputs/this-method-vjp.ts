// vjp of an instance method that reads this
// expect: ADC1008
import { vjp } from "adc";
export class Model {
  scale = 2;
  loss(w: number): number {
    return this.scale * w * w;
  }
}
const model = new Model();
export const pullback = vjp(model.loss);
