// Found by npm run fuzz -- --seed 9090 --from 14 --programs 1 --categories callbacks (branch gen,
// the new points step), then shrunk (fuzz mismatch: jvp(f) along entry 0 gives 0.0248, reverse
// mode 0). A wrong gradient: the shadow of an array literal of objects is an array of the rows'
// shadows (`[{ x: 0, w: 0 }, …]`); the reverse loop of the map adds into `pts_bar[k].x`, but
// opt/literals.ts counted that write only against the outer array's root, so the later read of
// the row's shadow field (`t2_bar.x`) was folded to its literal 0. Fixed on branch gen: a write
// counts against every root the written reference reaches (memoryRoots). Checked by
// test/fuzz-regressions.test.ts at the points in fuzz-callbacks-5ae7e26b.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: Float64Array): number {
  const pts = [{ x: 0.1 * Math.exp(x[0]), w: 0.5 % 2 }, { x: Math.tanh(Math.exp(1)), w: 1 }];
  const v0 = pts.map((pt) => pt.x * pt.w);
  return 0.5 + 0.5 + v0[0];
}
export const g = grad(f, { wrt: [0] });
export const jg = jvp(f);
export const hvg = hvp(f);
export const heg = hessian(f);
