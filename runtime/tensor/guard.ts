// The tensor form of the reverse sweep's guard (compiler/ad/zero-adjoints.ts): a contribution made
// from an adjoint that is zero — the adjoint of a value no path taken used — is zero, whatever the
// local derivative held (0 · ∞ and 0 · NaN would otherwise leak NaN into the gradient).
import { Tensor } from "./tensor";

/** `c`, or zeros of its shape when every element of the adjoint `g` is zero. */
export function guardAdjoint(g: Tensor | number, c: Tensor): Tensor;
export function guardAdjoint(g: Tensor | number, c: number): number;
export function guardAdjoint(g: Tensor | number, c: Tensor | number): Tensor | number {
  if (!isZero(g)) return c;
  if (typeof c === "number") return 0;
  c.data.fill(0);
  return c;
}

function isZero(g: Tensor | number): boolean {
  if (typeof g === "number") return g === 0;
  const data = g.data;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}
