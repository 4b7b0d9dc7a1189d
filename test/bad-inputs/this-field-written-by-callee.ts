// a method reading this that passes an array field to a function that writes it
// expect: ADC1008
import { grad } from "adc";
function scale(a: Float64Array, w: number): number {
  a[0] *= w;
  return a[0];
}
export class Model {
  cache = Float64Array.from([1, 2]);
  loss(w: number): number {
    return scale(this.cache, w) * w;
  }
}
const model = new Model();
export const g = grad(model.loss);
