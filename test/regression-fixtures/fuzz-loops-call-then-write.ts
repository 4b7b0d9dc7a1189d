// Found by the fuzz command (loops, an array helper called in a loop that writes the array),
// shrunk by hand: a call passes x, then x[1] is overwritten with its result. The pullback of s runs
// after the write and reads the new x[1]: grad(f)(0.5, 2) is [1, 0.5], and f = x0·x1 has gradient
// [2, 0.5] (central differences and jvp agree). A wrong gradient.
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-call-then-write.json.
import { grad, jvp } from "adc";

function s(a: Float64Array): number {
  return a[0] * a[1];
}
export function f(x: Float64Array): number {
  x[1] = s(x);
  return x[1];
}
export const g = grad(f);
export const jg = jvp(f);
