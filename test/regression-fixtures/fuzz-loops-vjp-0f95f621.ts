// Found by npm run fuzz -- --seed 1 --from 7 --programs 1 --categories loops-vjp, then shrunk (fuzz mismatch): the pullback of vjp(f) leaves 3 numbers and 0 tensors on the tape
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-vjp-0f95f621.json.
import { grad, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) {
    x[i] = 0.1 * (i + x[i]) + Math.atan(0.5 + x[i]);
  }
  return Math.exp(Math.tan(0.01 * x[0])) + Math.atan(x[1]);
}
export const g = vjp(f);
export const jg = jvp(f);
