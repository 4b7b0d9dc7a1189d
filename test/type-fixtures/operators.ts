// Type-level expectations of the operators, checked by test/types.test.ts with tsc --strict.
// Every `@ts-expect-error` must be needed, so a type that became too loose fails the test.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, stopGradient, valueAndGrad, vjp, type Cotangent } from "adc";

declare function f(x1: number, x2: number): number;
declare function g(x: number): number;
declare function p(r: number, theta: number): [number, number];
declare function fReverse(x1: number, x2: number, seed: number): [number, number];
declare function fForward(x1: number, x2: number, d1: number, d2: number): [number, number];

const both: [number, number] = grad(f)(2, 0.5);
const one: number = grad(g)(1);
const named: number = grad(f, { wrt: "x1" })(2, 0.5);
const indexed: number = grad(f, { wrt: 1 })(2, 0.5);
const listed: [number, number] = grad(f, { wrt: [1, 0] })(2, 0.5);
const [value, gradient]: [number, [number, number]] = valueAndGrad(f)(2, 0.5);
const [y, pullback] = vjp(f)(2, 0.5);
const pulled: [number, number] = pullback(1);
const cot: Cotangent<{ a: number; b: number[] }> = { a: 1, b: [2] };

const [fy, fdot]: [number, number] = jvp(f)([2, 0.5], [1, 0]);
const [fy3, fdots]: [number, [number, number, number]] = jvp(f, { directions: 3 })([2, 0.5], [[1, 0], [0, 1], [1, 1]]);
const [, pdots]: [[number, number], [[number, number], [number, number]]] = jvp(p, { directions: 2 })([2, 0.3], [[1, 0], [0, 1]]);
const [py, pdot]: [[number, number], [number, number]] = jvp(p)([2, 0.3], [1, 0]);
const jf: [[number, number]] = jacobian(f)(2, 0.5);
const jp: [[number, number], [number, number]] = jacobian(p, { mode: "reverse" })(2, 0.3);
const h: [[number, number], [number, number]] = hessian(f)(2, 0.5);
const hv: [number, number] = hvp(f)([2, 0.5], [1, 0]);
const g2: number = grad(grad(g))(0.5);
const s: number = stopGradient(2);
defineDerivative(f, { reverse: fReverse, forward: fForward });

// @ts-expect-error: two parameters give a tuple, not a number
const wrong: number = grad(f)(2, 0.5);
// @ts-expect-error: the tangents have f's parameters' shape
jvp(f)([2, 0.5], [1]);
// @ts-expect-error: two directions need two tangents
jvp(f, { directions: 2 })([2, 0.5], [[1, 0]]);
// @ts-expect-error: hessian needs a scalar function
hessian(p);
// @ts-expect-error: a reverse rule takes the primals and a seed
defineDerivative(f, { reverse: fForward });
// @ts-expect-error: jacobian's mode is forward or reverse
jacobian(p, { mode: "sideways" });
// @ts-expect-error: arguments are checked against f's parameters
grad(f)(2);
// @ts-expect-error: the pullback takes a number seed
pullback("1");

export { both, one, named, indexed, listed, value, gradient, y, pulled, cot, wrong, fy, fdot, fy3, fdots, pdots, py, pdot, jf, jp, h, hv, g2, s };
