// a name that is declared nowhere (a type error)
// expect: ADC1004
import { grad } from "adc";
export function f(x: number): number {
  return x * undefinedThing;
}
export const g = grad(f);
