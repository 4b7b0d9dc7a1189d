// grad of an instance method that reads this, without the instance
// expect: ADC2001
import { grad } from "adc";
export class Model {
  scale = 2;
  loss(w: number): number {
    return this.scale * w * w;
  }
}
const model = new Model();
const { loss } = model;
export const g = grad(loss);
