// Your first gradient: an ordinary function, marked for differentiation by passing it to grad.
// Run it with `npx adc run examples/first/main.ts`; see what adc generates with
// `npx adc compile examples/first/main.ts`.
import { checkGrad, grad, valueAndGrad } from "adc";

// f(x1, x2) = x1 · exp(−½(x1² + x2²)), the example of Baydin et al. (2018).
export function f(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}

// grad(f) is replaced by a generated function f_grad(x1, x2): [∂f/∂x1, ∂f/∂x2].
const df = grad(f);
console.log("f(2, 0.5)  =", f(2, 0.5));
console.log("∇f(2, 0.5) =", df(2, 0.5));

// The value and the gradient from one sweep.
const [value, gradient] = valueAndGrad(f)(0.5, -1);
console.log("f(0.5, -1)  =", value, " ∇f(0.5, -1) =", gradient);

// adc's gradient against central differences.
const check = checkGrad(f, [2, 0.5]);
console.log(`checkGrad: ${check.ok ? "ok" : "FAILED"} (max error ${check.maxError.toExponential(1)})`);
