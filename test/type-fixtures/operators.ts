// Type-level expectations of the operators, checked by test/types.test.ts with tsc --strict.
// Every `@ts-expect-error` must be needed, so a type that became too loose fails the test.
import { grad, valueAndGrad, vjp, type Cotangent } from "adc";

declare function f(x1: number, x2: number): number;
declare function g(x: number): number;

const both: [number, number] = grad(f)(2, 0.5);
const one: number = grad(g)(1);
const named: number = grad(f, { wrt: "x1" })(2, 0.5);
const indexed: number = grad(f, { wrt: 1 })(2, 0.5);
const listed: [number, number] = grad(f, { wrt: [1, 0] })(2, 0.5);
const [value, gradient]: [number, [number, number]] = valueAndGrad(f)(2, 0.5);
const [y, pullback] = vjp(f)(2, 0.5);
const pulled: [number, number] = pullback(1);
const cot: Cotangent<{ a: number; b: number[] }> = { a: 1, b: [2] };

// @ts-expect-error: two parameters give a tuple, not a number
const wrong: number = grad(f)(2, 0.5);
// @ts-expect-error: arguments are checked against f's parameters
grad(f)(2);
// @ts-expect-error: the pullback takes a number seed
pullback("1");

export { both, one, named, indexed, listed, value, gradient, y, pulled, cot, wrong };
