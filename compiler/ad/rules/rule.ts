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

export interface Rule {
  readonly reverse: ReverseRule;
  // Forward (tangent) rules join this table with forward mode.
}

export type RuleTable = Record<string, Rule>;

/** A primitive whose derivative is zero wherever it exists (floor, sign, …). */
export const zero: Rule = { reverse: () => [] };
