// a method reading this that writes into an array field through fill
// expect: ADC1008
import { grad } from "adc";
export class Model {
  cache = new Float64Array(2);
  loss(w: number): number {
    this.cache.fill(w);
    return this.cache[0] * w;
  }
}
const model = new Model();
export const g = grad(model.loss);
