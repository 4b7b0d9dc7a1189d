// The Math functions. Rules reuse the primal result y where that is cheaper than recomputing.
import type { Builder } from "../../ir/builder";
import type { Value } from "../../ir/types";
import { zero, type RuleTable } from "./rule";

const one = (b: Builder) => b.const(1);
const square = (b: Builder, x: Value) => b.mul(x, x);

export const mathRules: RuleTable = {
  exp: { reverse: (b, _xs, y, g) => [b.mul(g, y)] },
  log: { reverse: (b, [x], _y, g) => [b.div(g, x)] },
  sqrt: { reverse: (b, _xs, y, g) => [b.div(g, b.mul(b.const(2), y))] },
  sin: { reverse: (b, [x], _y, g) => [b.mul(g, b.call("cos", x))] },
  cos: { reverse: (b, [x], _y, g) => [b.neg(b.mul(g, b.call("sin", x)))] },
  tan: { reverse: (b, _xs, y, g) => [b.mul(g, b.add(one(b), square(b, y)))] },
  asin: { reverse: (b, [x], _y, g) => [b.div(g, b.call("sqrt", b.sub(one(b), square(b, x))))] },
  acos: { reverse: (b, [x], _y, g) => [b.neg(b.div(g, b.call("sqrt", b.sub(one(b), square(b, x)))))] },
  atan: { reverse: (b, [x], _y, g) => [b.div(g, b.add(one(b), square(b, x)))] },
  sinh: { reverse: (b, [x], _y, g) => [b.mul(g, b.call("cosh", x))] },
  cosh: { reverse: (b, [x], _y, g) => [b.mul(g, b.call("sinh", x))] },
  tanh: { reverse: (b, _xs, y, g) => [b.mul(g, b.sub(one(b), square(b, y)))] },
  log1p: { reverse: (b, [x], _y, g) => [b.div(g, b.add(one(b), x))] },
  expm1: { reverse: (b, _xs, y, g) => [b.mul(g, b.add(y, one(b)))] },
  cbrt: { reverse: (b, _xs, y, g) => [b.div(g, b.mul(b.const(3), square(b, y)))] },
  abs: { reverse: (b, [x], _y, g) => [b.mul(g, b.call("sign", x))] },
  // atan2(a, c): ∂a = g · c / (a² + c²), ∂c = −g · a / (a² + c²)
  atan2: {
    reverse: (b, [a, c], _y, g) => {
      const r2 = b.add(square(b, a), square(b, c));
      return [b.div(b.mul(g, c), r2), b.neg(b.div(b.mul(g, a), r2))];
    },
  },
  // hypot(x₁…xₙ) = y: ∂xᵢ = g · xᵢ / y
  hypot: { reverse: (b, xs, y, g) => xs.map((x) => b.div(b.mul(g, x), y)) },
  // Ties go to the first operand, as Math.min/max return it.
  min: { reverse: (b, [x1, x2], _y, g) => pick(b, b.op("le", [x1, x2], { kind: "bool" }), g) },
  max: { reverse: (b, [x1, x2], _y, g) => pick(b, b.op("ge", [x1, x2], { kind: "bool" }), g) },
  floor: zero,
  ceil: zero,
  round: zero,
  trunc: zero,
  sign: zero,
};

function pick(b: Builder, first: Value, g: Value): Value[] {
  const z = b.const(0);
  return [b.op("select", [first, g, z]), b.op("select", [first, z, g])];
}
