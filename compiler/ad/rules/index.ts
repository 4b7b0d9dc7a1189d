// The one rule table: every differentiable primitive, by family. A new primitive is one entry.
import { arithRules } from "./arith";
import { mathRules } from "./math";
import { tensorRules } from "./tensor";
import type { Rule, RuleTable } from "./rule";

export const rules: RuleTable = { ...arithRules, ...mathRules, ...tensorRules };

export function ruleFor(prim: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(rules, prim) ? rules[prim] : undefined;
}

export type { Rule, RuleTable, ReverseRule, ForwardRule } from "./rule";
