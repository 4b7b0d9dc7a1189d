// The shape of a derivative rule. Each primitive has one entry; both modes read the same table.
import type { Builder } from "../../ir/builder";
import type { Value } from "../../ir/types";

/**
 * Reverse (adjoint) rule: given the primal operands `xs`, the primal result `y` and the result's
 * adjoint `g`, emit and return each operand's contribution (undefined: none, e.g. a boolean
 * condition or a piecewise-constant function). Contributions to inactive operands are emitted
 * anyway and removed by dead-code elimination, so rules stay simple.
 */
export type ReverseRule = (b: Builder, xs: Value[], y: Value, g: Value) => (Value | undefined)[];

/**
 * Forward (tangent) rule: given the primal operands `xs`, the primal result `y` and the operands'
 * tangents `dxs` (undefined: structurally zero, an inactive operand; at least one is defined),
 * emit and return the result's tangent (undefined: zero). Only terms of operands that have a
 * tangent are emitted, so `pow(x, 3)` never computes `log(x)`.
 */
export type ForwardRule = (b: Builder, xs: Value[], y: Value, dxs: (Value | undefined)[]) => Value | undefined;

export interface Rule {
  readonly reverse: ReverseRule;
  readonly forward: ForwardRule;
}

export type RuleTable = Record<string, Rule>;

/** A primitive whose derivative is zero wherever it exists (floor, sign, …). */
export const zero: Rule = { reverse: () => [], forward: () => undefined };

/** Σ terms, skipping the undefined (zero) ones; undefined when all are. */
export function sum(b: Builder, terms: (Value | undefined)[]): Value | undefined {
  return terms.reduce<Value | undefined>((acc, t) => (t === undefined ? acc : acc === undefined ? t : b.add(acc, t)), undefined);
}

/** `dx · c`, or undefined when dx is a structural zero; c is built only when needed. */
export function scaled(b: Builder, dx: Value | undefined, c: () => Value): Value | undefined {
  return dx === undefined ? undefined : b.mul(dx, c());
}
