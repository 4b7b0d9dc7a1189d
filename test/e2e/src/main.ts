// The seed example, built with tspc and the adc plugin: prints the gradient of f at (2, 0.5).
import { grad, hessian, jvp } from "adc";
import { helper } from "./helper";

export function f(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}

const df = grad(f);
const g: [number, number] = df(2, 0.5);
console.log(JSON.stringify(g));
console.log(JSON.stringify(helper(3)));
// Forward mode and the Hessian, typed as the editor sees them.
const [y, dy]: [number, number] = jvp(f)([2, 0.5], [1, 0]);
const h: [[number, number], [number, number]] = hessian(f)(2, 0.5);
console.log(JSON.stringify([y, dy, h]));
