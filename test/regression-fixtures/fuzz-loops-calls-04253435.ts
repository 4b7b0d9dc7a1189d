// Found by npm run fuzz -- --seed 2029 --from 27838 --programs 1 --categories loops-calls on main a061f48,
// then shrunk: a checkpointed loop whose reverse sweep made again a call passed an array the loop
// writes (the bug of fuzz-loops-calls-5c36294b, found in the same campaign; fixed by 8d3a601).
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-calls-04253435.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function s(a: Float64Array, k: number): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    acc += 0.1 * Math.exp(Math.atan(v));
  }
  return acc;
}
export function f(x: Float64Array): number {
  outer: for (const e of x) {
    let k = 0;
    // adc: checkpoint
    do {
      k++;
      x[k] = s(x, Math.atan(e + 0.5));
      if (x[k] < x[1]) {
        x[k] = Math.sqrt(1 + 0.1 * (x[k] + x[1]) * (0.1 * (x[k] + x[1])));
        let v0 = Math.exp(Math.tan(0.01 * x[k]));
      }
    } while (k < 1 && Math.PI < e);
    if (0.5 < x[k] && e < x[k]) {
      let v1 = Math.exp(0.1 * s(x, Math.atan(e)));
    }
  }
  return 0.1 * (x[0] + 1) - Math.exp(Math.atan(x[0])) + Math.atan(x[2]);
}
export const g = grad(f, { wrt: [0] });
export const jg = jvp(f);
