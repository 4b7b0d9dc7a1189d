// The Math functions. Rules reuse the primal result y where that is cheaper than recomputing.
import type { Builder } from "../../ir/builder";
import type { Value } from "../../ir/types";
import { sum, zero, type ReverseRule, type Rule, type RuleTable } from "./rule";

const one = (b: Builder) => b.const(1);
const square = (b: Builder, x: Value) => b.mul(x, x);

/**
 * A function of one variable. Its reverse rule returns g · f′(x), linear in g; at g = ẋ that is
 * the tangent ẋ · f′(x), so the forward rule is the same template.
 */
function unary(reverse: ReverseRule): Rule {
  return { reverse, forward: (b, xs, y, [dx]) => reverse(b, xs, y, dx!)[0] };
}

export const mathRules: RuleTable = {
  exp: unary((b, _xs, y, g) => [b.mul(g, y)]),
  log: unary((b, [x], _y, g) => [b.div(g, x)]),
  sqrt: unary((b, _xs, y, g) => [b.div(g, b.mul(b.const(2), y))]),
  sin: unary((b, [x], _y, g) => [b.mul(g, b.call("cos", x))]),
  cos: unary((b, [x], _y, g) => [b.neg(b.mul(g, b.call("sin", x)))]),
  tan: unary((b, _xs, y, g) => [b.mul(g, b.add(one(b), square(b, y)))]),
  asin: unary((b, [x], _y, g) => [b.div(g, b.call("sqrt", b.sub(one(b), square(b, x))))]),
  acos: unary((b, [x], _y, g) => [b.neg(b.div(g, b.call("sqrt", b.sub(one(b), square(b, x)))))]),
  atan: unary((b, [x], _y, g) => [b.div(g, b.add(one(b), square(b, x)))]),
  sinh: unary((b, [x], _y, g) => [b.mul(g, b.call("cosh", x))]),
  cosh: unary((b, [x], _y, g) => [b.mul(g, b.call("sinh", x))]),
  tanh: unary((b, _xs, y, g) => [b.mul(g, b.sub(one(b), square(b, y)))]),
  log1p: unary((b, [x], _y, g) => [b.div(g, b.add(one(b), x))]),
  expm1: unary((b, _xs, y, g) => [b.mul(g, b.add(y, one(b)))]),
  cbrt: unary((b, _xs, y, g) => [b.div(g, b.mul(b.const(3), square(b, y)))]),
  abs: unary((b, [x], _y, g) => [b.mul(g, b.call("sign", x))]),
  // atan2(a, c): ∂a = g · c / (a² + c²), ∂c = −g · a / (a² + c²)
  atan2: {
    reverse: (b, [a, c], _y, g) => {
      const r2 = b.add(square(b, a), square(b, c));
      return [b.div(b.mul(g, c), r2), b.neg(b.div(b.mul(g, a), r2))];
    },
    // ẏ = (ȧ · c − ċ · a) / (a² + c²)
    forward: (b, [a, c], _y, [da, dc]) => {
      const r2 = b.add(square(b, a), square(b, c));
      const num = dc === undefined ? b.mul(da!, c) : da === undefined ? b.neg(b.mul(dc, a)) : b.sub(b.mul(da, c), b.mul(dc, a));
      return b.div(num, r2);
    },
  },
  // hypot(x₁…xₙ) = y: ∂xᵢ = g · xᵢ / y; ẏ = Σ ẋᵢ · xᵢ / y
  hypot: {
    reverse: (b, xs, y, g) => xs.map((x) => b.div(b.mul(g, x), y)),
    forward: (b, xs, y, dxs) => b.div(sum(b, xs.map((x, i) => dxs[i] && b.mul(dxs[i]!, x)))!, y),
  },
  // Ties go to the first operand, as Math.min/max return it.
  min: {
    reverse: (b, [x1, x2], _y, g) => pick(b, b.op("le", [x1, x2], { kind: "bool" }), g),
    forward: (b, [x1, x2], _y, [d1, d2]) => choose(b, b.op("le", [x1, x2], { kind: "bool" }), d1, d2),
  },
  max: {
    reverse: (b, [x1, x2], _y, g) => pick(b, b.op("ge", [x1, x2], { kind: "bool" }), g),
    forward: (b, [x1, x2], _y, [d1, d2]) => choose(b, b.op("ge", [x1, x2], { kind: "bool" }), d1, d2),
  },
  floor: zero,
  ceil: zero,
  round: zero,
  trunc: zero,
  sign: zero,
  // stopGradient(x): x itself, with derivative zero in both modes.
  stopGradient: zero,
};

function pick(b: Builder, first: Value, g: Value): Value[] {
  const z = b.const(0);
  return [b.op("select", [first, g, z]), b.op("select", [first, z, g])];
}

function choose(b: Builder, first: Value, d1: Value | undefined, d2: Value | undefined): Value {
  return b.op("select", [first, d1 ?? b.const(0), d2 ?? b.const(0)]);
}
