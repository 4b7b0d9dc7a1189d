// Found by npm run fuzz -- --seed 1 --from 27 --programs 1 --categories loops-vjp, then shrunk (fuzz mismatch): the pullback of vjp(f) leaves 2 numbers and 0 tensors on the tape
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-vjp-0e4d765d.json.
import { grad, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: Float64Array, m: number[][], p: number): number {
  for (let i = 0; i < x.length; i += 2) {
    if (p < p) p++;
  }
  return Math.tan(0.1 * x[0]) + Math.min(Math.PI, x[0]) + Math.atan(p);
}
export const g = vjp(f);
export const jg = jvp(f);
