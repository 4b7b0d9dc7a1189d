// JAX's `where` trap: where(x > 0, log(x), 0) has a finite gradient at x = 0 only if log's adjoint
// rule keeps the masked-out (zero) adjoint zero rather than computing 0 / 0. Checked in both modes
// against hand derivatives at points where the masked branches are infinite or NaN.
import { expect, test } from "vitest";
import { Tensor, tensor } from "../runtime";
import { loadSource } from "./support/load";

const module = loadSource(`
import { Tensor, div, exp, grad, greater, jvp, less, log, pow, sqrt, sum, where } from "adc";

export function trapped(x: Tensor): number {
  const positive = greater(x, 0);
  return sum(where(positive, log(x), 0)).item() + sum(where(positive, sqrt(x), 0)).item() +
    sum(where(positive, div(1, x), 0)).item() + sum(where(less(x, 50), exp(x), 0)).item() +
    sum(where(positive, pow(x, 0.5), 0)).item();
}
export const reverse = grad(trapped);
export const forward = jvp(trapped);
`);

const at = [0, -1, 4, 1000];
/** d/dx of the terms whose mask is true at x. */
const hand = (x: number) => (x > 0 ? 1 / x + 0.5 / Math.sqrt(x) - 1 / (x * x) + 0.5 / Math.sqrt(x) : 0) + (x < 50 ? Math.exp(x) : 0);

test("reverse mode: masked-out infinities and NaNs leave the gradient finite and exact", () => {
  const x = tensor(at, undefined, "float64");
  expect(Number.isFinite(module.trapped(x))).toBe(true);
  const g = module.reverse(x) as Tensor;
  at.forEach((v, i) => expect(g.data[i]).toBeCloseTo(hand(v), 12));
});

test("forward mode: the tangent in each direction is the same derivative", () => {
  const x = tensor(at, undefined, "float64");
  at.forEach((v, i) => {
    const direction = tensor(at.map((_, j) => (j === i ? 1 : 0)), undefined, "float64");
    const [value, tangent] = module.forward([x], [direction]) as [number, number];
    expect(value).toBe(module.trapped(x));
    expect(tangent).toBeCloseTo(hand(v), 12);
  });
});
