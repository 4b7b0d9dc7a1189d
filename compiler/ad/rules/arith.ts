// Arithmetic operators and selection.
import { bool } from "../../ir/types";
import { sum, type RuleTable } from "./rule";

export const arithRules: RuleTable = {
  add: {
    reverse: (_b, _xs, _y, g) => [g, g],
    forward: (b, _xs, _y, [da, db]) => sum(b, [da, db]),
  },
  sub: {
    reverse: (b, _xs, _y, g) => [g, b.neg(g)],
    forward: (b, _xs, _y, [da, db]) => (db === undefined ? da : da === undefined ? b.neg(db) : b.sub(da, db)),
  },
  mul: {
    reverse: (b, [x1, x2], _y, g) => [b.mul(g, x2), b.mul(g, x1)],
    forward: (b, [x1, x2], _y, [d1, d2]) => sum(b, [d1 && b.mul(d1, x2), d2 && b.mul(x1, d2)]),
  },
  // y = a / b: ∂a = g / b, ∂b = −g · y / b
  div: {
    reverse: (b, [, d], y, g) => [b.div(g, d), b.neg(b.div(b.mul(g, y), d))],
    // ẏ = (ȧ − y · ḃ) / b
    forward: (b, [, d], y, [da, dd]) => {
      if (dd === undefined) return b.div(da!, d);
      const scaled = b.mul(y, dd);
      return b.div(da === undefined ? b.neg(scaled) : b.sub(da, scaled), d);
    },
  },
  // a % b = a − b · trunc(a / b)
  mod: {
    reverse: (b, [a, d], _y, g) => [g, b.neg(b.mul(g, b.call("trunc", b.div(a, d))))],
    forward: (b, [a, d], _y, [da, dd]) =>
      dd === undefined ? da : sum(b, [da, b.neg(b.mul(dd, b.call("trunc", b.div(a, d))))]),
  },
  // y = a ** p: ∂a = g · p · a ** (p − 1), ∂p = g · y · ln a
  pow: {
    reverse: (b, [a, p], y, g) => [
      b.mul(g, b.mul(p, b.op("pow", [a, b.sub(p, b.const(1))]))),
      b.mul(g, b.mul(y, b.call("log", a))),
    ],
    forward: (b, [a, p], y, [da, dp]) =>
      sum(b, [
        da && b.mul(da, b.mul(p, b.op("pow", [a, b.sub(p, b.const(1))]))),
        dp && b.mul(dp, b.mul(y, b.call("log", a))),
      ]),
  },
  neg: {
    reverse: (b, _xs, _y, g) => [b.neg(g)],
    forward: (b, _xs, _y, [dx]) => b.neg(dx!),
  },
  select: {
    reverse: (b, [c], _y, g) => {
      const zero = b.const(0);
      return [undefined, b.op("select", [c, g, zero]), b.op("select", [c, zero, g])];
    },
    forward: (b, [c], _y, [, da, db]) => b.op("select", [c, da ?? b.const(0), db ?? b.const(0)]),
  },
  // guard(g, c) = g === 0 ? 0 : c, made by the reverse sweep (ad/zero-adjoints.ts). Its tangent is
  // ċ unless g is a zero that stays zero (ġ = 0 too): where g = 0 but ġ ≠ 0, g is not a structural
  // zero (nearby it is not 0, so the guard passes c), and a second derivative must see ċ.
  guard: {
    reverse: (b, [g], _y, h) => [undefined, b.op("guard", [g, h])],
    forward: (b, [g], _y, [dg, dc]) => {
      if (dc === undefined) return undefined;
      if (dg === undefined) return b.op("guard", [g, dc]);
      const zero = b.const(0);
      const stays = b.op("and", [b.op("eq", [g, zero], bool), b.op("eq", [dg, zero], bool)], bool);
      return b.op("select", [stays, zero, dc]);
    },
  },
};
