// Found by npm run fuzz -- --seed 2029 --from 18339 --programs 1 --categories loops-calls, then
// shrunk (fuzz mismatch: reverse mode 0.0815543 where forward mode and central differences give
// 0.0815540). A wrong gradient: the reverse sweep of a `// adc: checkpoint` loop made the call
// s(x, …) again to recompute its result, reading x as later writes left it rather than as the call
// saw it. Fixed in compiler/ad/reverse-loop.ts (repeatable): in a checkpointed loop a call passed
// memory the loop writes is taped, not repeated. Checked by test/fuzz-regressions.test.ts.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

function s(a: Float64Array, k: number): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    acc += 0.001 * (v / (1 + 0.5 * 0.5));
  }
  return acc;
}
export function f(x: Float64Array): number {
  outer: for (let i = 0; i < x.length; i++) {
    let k = 0;
    // adc: checkpoint
    while (i < x[i] && k < 2) {
      k++;
      x[(i + 1) % 3] = Math.hypot(s(x, 0.5), Math.exp(0.1 * i ** 2));
      x[i] = -0.5 + Math.exp(Math.atan(x[i]));
    }
  }
  return (1 + Math.atan(0.1 * (x[0] + 1)) * Math.atan(0.1 * (x[0] + 1))) ** Math.atan(Math.exp(Math.atan(x[0]))) + Math.atan(x[1]);
}
export const g = grad(f);
export const jg = jvp(f);
