// grad of an instance method that reads this, named through the prototype (no instance)
// expect: ADC1008
import { grad } from "adc";
export class Model {
  scale = 2;
  loss(w: number): number {
    return this.scale * w * w;
  }
}
export const g = grad(Model.prototype.loss);
