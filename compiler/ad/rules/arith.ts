// Arithmetic operators and selection.
import type { RuleTable } from "./rule";

export const arithRules: RuleTable = {
  add: { reverse: (_b, _xs, _y, g) => [g, g] },
  sub: { reverse: (b, _xs, _y, g) => [g, b.neg(g)] },
  mul: { reverse: (b, [x1, x2], _y, g) => [b.mul(g, x2), b.mul(g, x1)] },
  // y = a / b: ∂a = g / b, ∂b = −g · y / b
  div: { reverse: (b, [, d], y, g) => [b.div(g, d), b.neg(b.div(b.mul(g, y), d))] },
  // a % b = a − b · trunc(a / b)
  mod: { reverse: (b, [a, d], _y, g) => [g, b.neg(b.mul(g, b.call("trunc", b.div(a, d))))] },
  // y = a ** p: ∂a = g · p · a ** (p − 1), ∂p = g · y · ln a
  pow: {
    reverse: (b, [a, p], y, g) => [
      b.mul(g, b.mul(p, b.op("pow", [a, b.sub(p, b.const(1))]))),
      b.mul(g, b.mul(y, b.call("log", a))),
    ],
  },
  neg: { reverse: (b, _xs, _y, g) => [b.neg(g)] },
  select: {
    reverse: (b, [c], _y, g) => {
      const zero = b.const(0);
      return [undefined, b.op("select", [c, g, zero]), b.op("select", [c, zero, g])];
    },
  },
};
