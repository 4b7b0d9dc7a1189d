// Found by npm run fuzz -- --seed 2029 --from 30486 --programs 1 --categories loops-calls on main a061f48,
// then shrunk: a checkpointed loop whose reverse sweep made again a call passed an array the loop
// writes (the bug of fuzz-loops-calls-5c36294b, found in the same campaign; fixed by 8d3a601).
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-calls-174c064f.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function s(a: Float64Array, k: number): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    acc += 0.001 * (v / (1 + Math.atan(v) * Math.atan(v)));
  }
  return acc;
}
export function f(x: Float64Array): number {
  // adc: checkpoint
  for (let i = 0; i < x.length; i++) {
    x[i] *= 0.01 * (i + s(x, i));
  }
  return x[0] + Math.atan(x[1]);
}
export const g = valueAndGrad(f, { wrt: [0] });
export const jg = jvp(f);
