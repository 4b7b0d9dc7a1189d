// a block comment that never ends
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  /* the rest of the file is a comment
  return x;
}
export const g = grad(f);
