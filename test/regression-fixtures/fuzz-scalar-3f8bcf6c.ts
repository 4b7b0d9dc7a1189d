// Found by npm run fuzz -- --seed 2027 --from 16430 --programs 1 --categories scalar (fuzz mismatch:
// grad(f) against central differences, error 0.087). Not adc's bug, the same class as
// fuzz-guarded-6ad8b071: `x === 3 * x - (x + x)` holds at the point and fails a few ulps away, so
// central differences see the other branch. Kept as a second witness of the oracle's midpoint test.
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-scalar-3f8bcf6c.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function q(a: number, b: number): number {
  return a * Math.tanh(b);
}
function qReverse(a: number, b: number, seed: number): [number, number] {
  const t = Math.tanh(b);
  return [seed * t, seed * a * (1 - t * t)];
}
defineDerivative(q, { reverse: qReverse });
export function f(x: number): number {
  let v0: number;
  if (x === 3 * x - (x + x)) {
    x = Math.exp(0.5 ** 2 + x);
    v0 = q(q(0.1 * (x + x), 0.5 ** 2), Math.exp(0.01 * x ** 2));
  } else {
    v0 = q(q(x + x, x ** 2), Math.min(0.5, x + 0.5));
  }
  return Math.min((x < x ? x : 0.5) + (0.5 + x), Math.exp(0.01 * x ** 2));
}
export const g = grad(f);
export const jg = jvp(f);
