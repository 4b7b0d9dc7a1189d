// Found by npm run fuzz -- --seed 9090 --from 81 --programs 1 --categories callbacks (branch gen),
// then shrunk (fuzz mismatch: hvp(f) along x8, entry 8: 0, central differences of the gradient
// 0.603). A wrong Hessian: an object literal `pts` passed to a helper; in the Hessian (forward
// over reverse) the helper's pullback adds into the shadows of pts's rows, but Activity.stored
// leaves out what pullback calls write ("a pullback only adds into shadows"), so forward mode
// gives those shadows no zero tangent and the tangents the pullback's tangent adds are lost.
// Fixed: `stored` (ad/activity.ts) counts what pullback calls write. Checked by
// test/fuzz-regressions.test.ts.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function weigh(ps: readonly { w: number; x: number }[], k: number): number {
  let s = 0;
  for (const p of ps) s += p.w * Math.sin(p.x + k);
  return s;
}
export function f(x: Float64Array, y: Float64Array, t: [number, number], p: number): number {
  const pts = [{ x: 0.5, w: p }, { x: p, w: 1 }];
  const v0 = weigh(pts, Math.atan(-Math.E));
  return x[0] + v0;
}
export const g = grad(f);
export const jg = jvp(f);
export const hvg = hvp(f);
export const heg = hessian(f);
