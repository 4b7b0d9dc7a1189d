// a generator function
// expect: ADC1006
import { grad } from "adc";
export function* f(x: number): Generator<number> {
  yield x;
}
export const g = grad(f);
