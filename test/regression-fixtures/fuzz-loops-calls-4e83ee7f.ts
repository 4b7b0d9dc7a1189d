// Found by npm run fuzz -- --seed 91 --from 211 --programs 1 --categories loops-calls, then shrunk (fuzz crash): adc throws: Error: adc internal error: an array reference the reverse loop cannot make again
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-calls-4e83ee7f.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function s(a: readonly number[], k: number): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    acc += 0.01 * (1 + Math.atan(v) * Math.atan(v)) ** Math.atan(v);
  }
  return acc;
}
export function f(x: readonly number[]): number {
  const v0 = x.slice(1);
  // adc: checkpoint
  outer: for (let i = 0; i < x.length; i += 2) {
    if (x[i] < Math.PI) {
      const t1 = -(i ** 2);
    } else {
      v0[(i + 1) % 2] = s(v0, Math.min(i, i));
    }
    let v1 = -Math.exp(i);
  }
  return x[0] / (1 + 1 * 1) + 0.01 * v0[0];
}
export const g = grad(f);
export const jg = jvp(f);
