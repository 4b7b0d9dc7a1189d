// Found by npm run fuzz -- --seed 2028 --from 8765 --programs 1 --categories loops, then shrunk
// (fuzz mismatch: jvp(f) along entry 0 gives 0, reverse mode -0.0306, which central differences
// confirm). A wrong derivative in forward mode: `new Float64Array(v0)` copies an array with no
// tangent, and the varied numbers stored into the copy afterwards lost theirs. Fixed in
// compiler/ad/forward.ts: a copy (slice, copy) of memory with no tangent gets a zero tangent when
// it is varied. Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-4074837d.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: Float64Array): number {
  const v0 = new Float64Array(x.length);
  const v1 = new Float64Array(v0);
  outer: for (let i = 0; i < x.length; i += 2) {
    if (x[i] < i) break;
  }
  for (let i2 = x.length - 1; i2 >= 0; i2--) {
    v1[i2] = x[i2] ** 2 + Math.exp(x[i2]);
  }
  return Math.min(1 < x[0] ? x[0] : 1, Math.tan(1)) + 0.01 * v1[0];
}
export const g = grad(f);
export const jg = jvp(f);
