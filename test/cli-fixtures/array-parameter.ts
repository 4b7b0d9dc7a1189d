// adc check draws numbers for the parameters: a function of an array is a usage error, not a crash.
import { grad } from "adc";
export function f(x: Float64Array): number {
  return x[0] * x[1];
}
export const g = grad(f);
