// a function that always calls itself
// expect: diagnostic
// known: not refused yet (reported): adc compiles it without a diagnostic
import { grad } from "adc";
export function f(x: number): number {
  return f(x) * 2;
}
export const g = grad(f);
