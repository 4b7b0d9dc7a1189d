// grad(grad(…)) of an instance method that reads this
// expect: ADC1008
import { grad } from "adc";
export class Model {
  scale = 2;
  loss(w: number): number {
    return this.scale * w * w * w;
  }
}
const model = new Model();
export const g = grad(grad(model.loss));
