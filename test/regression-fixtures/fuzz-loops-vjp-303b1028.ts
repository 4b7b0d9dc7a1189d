// Found by npm run fuzz -- --seed 1 --from 0 --programs 1 --categories loops-vjp, then shrunk (fuzz mismatch): the pullback of vjp(f) leaves 3 numbers and 0 tensors on the tape
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-vjp-303b1028.json.
import { grad, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

type S = { a: Float64Array; b: number };
export function f(x: Float64Array, p: number, w: S): number {
  for (let i = 0; i < x.length; i++) {
    if (p < x[i]) p = Math.exp(0.1 * x[i] ** 2);
  }
  return 0.1 * (x[0] + 0.5 + Math.min(p, x[0])) + Math.atan(p);
}
export const g = vjp(f);
export const jg = jvp(f);
