// Found by npm run fuzz -- --seed 9090 --from 76 --programs 1 --categories callbacks (branch gen),
// then shrunk (fuzz mismatch: hvp(f) along x0, entry 0: 0, central differences of the gradient
// 0.473). A wrong Hessian: forward over reverse of the gradient, whose shadow of the object
// literal `pts` is an array of its rows' shadows; the reverse loop adds into `pts_bar[k].x`, which
// activity (ad/activity.ts) counted against the outer array only, so the row's shadow got no
// tangent. Fixed on branch gen: stores through a reference mark (varied, written, stored) every
// root it reaches. Checked by test/fuzz-regressions.test.ts at the points in the .json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: Float64Array): number {
  const v0 = Math.min(x[0], 0.5);
  const pts = [{ x: 0.5, w: v0 }, { x: v0, w: 1 }];
  const v1 = pts.map((pt) => pt.x * pt.w);
  const v2 = [x[0] + 0.5, 1];
  return Math.atan(v1[0] ** 2) + v0 + v1[0] + v2[0];
}
export const g = grad(f, { wrt: [0] });
export const jg = jvp(f);
export const hvg = hvp(f);
export const heg = hessian(f);
