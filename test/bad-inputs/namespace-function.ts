// a differentiated function inside a namespace
// expect: ADC1001
import { grad } from "adc";
namespace N {
  export function h(x: number): number {
    return x * x;
  }
}
export function f(x: number): number {
  return N.h(x);
}
export const g = grad(f);
