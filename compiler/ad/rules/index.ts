// The one rule table: every differentiable primitive, by family. A new primitive is one entry.
import { arithRules } from "./arith";
import { mathRules } from "./math";
import type { Rule, RuleTable } from "./rule";

export const rules: RuleTable = { ...arithRules, ...mathRules };

export function ruleFor(prim: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(rules, prim) ? rules[prim] : undefined;
}

export type { Rule, RuleTable, ReverseRule, ForwardRule } from "./rule";
