// Tensor primitives. Reverse rules sum an adjoint back over the dimensions an operand was
// broadcast along (`unbroadcast`); matmul's adjoints are the transposed products, computed without
// materialising a transpose. Each rule's kernel is a runtime helper (runtime/tensor/adjoints.ts).
import type { Builder } from "../../ir/builder";
import { tensorResultType } from "../../ir/tensor-ops";
import type { Value } from "../../ir/types";
import type { RuleTable } from "./rule";

const t = (b: Builder, name: string, ...args: Value[]): Value => {
  const prim = `tensor.${name}`;
  return b.op(prim, args, tensorResultType(prim, args));
};
const unb = (b: Builder, g: Value, operand: Value) => t(b, "unbroadcast", g, operand);
/** −v for a tensor or a number. */
const negate = (b: Builder, v: Value) => (v.type.kind === "tensor" ? t(b, "neg", v) : b.neg(v));
/** ln a for a tensor or a number base. */
const logOf = (b: Builder, a: Value) => (a.type.kind === "tensor" ? t(b, "log", a) : b.call("log", a));
/** p − 1 for a number or a tensor exponent. */
const sub1 = (b: Builder, p: Value) => (p.type.kind === "tensor" ? t(b, "sub", p, b.const(1)) : b.sub(p, b.const(1)));
/** The sum of the defined terms (undefined: all zero). */
const plus = (b: Builder, terms: (Value | undefined)[]) =>
  terms.reduce<Value | undefined>((acc, x) => (x === undefined ? acc : acc === undefined ? x : t(b, "add", acc, x)), undefined);
const unary = (make: (b: Builder, dx: Value, x: Value, y: Value) => Value) => ({
  reverse: (b: Builder, [x]: Value[], y: Value, g: Value) => [make(b, g, x, y)],
  forward: (b: Builder, [x]: Value[], y: Value, [dx]: (Value | undefined)[]) => (dx ? make(b, dx, x, y) : undefined),
});

export const tensorRules: RuleTable = {
  "tensor.add": {
    reverse: (b, [x, c], _y, g) => [unb(b, g, x), unb(b, g, c)],
    forward: (b, _xs, _y, [dx, dc]) => plus(b, [dx, dc]),
  },
  "tensor.sub": {
    reverse: (b, [x, c], _y, g) => [unb(b, g, x), unb(b, t(b, "neg", g), c)],
    forward: (b, _xs, _y, [dx, dc]) => plus(b, [dx, dc && negate(b, dc)]),
  },
  "tensor.mul": {
    reverse: (b, [x, c], _y, g) => [unb(b, t(b, "mul", g, c), x), unb(b, t(b, "mul", g, x), c)],
    forward: (b, [x, c], _y, [dx, dc]) => plus(b, [dx && t(b, "mul", dx, c), dc && t(b, "mul", x, dc)]),
  },
  "tensor.div": {
    reverse: (b, [x, c], y, g) => [unb(b, t(b, "div", g, c), x), unb(b, t(b, "neg", t(b, "div", t(b, "mul", g, y), c)), c)],
    forward: (b, [, c], y, [dx, dc]) => {
      const num = plus(b, [dx, dc && t(b, "neg", t(b, "mul", y, dc))]);
      return num && t(b, "div", num, c);
    },
  },
  "tensor.matmul": {
    reverse: (b, [x, w], _y, g) => [t(b, "matmulTransB", g, w), t(b, "matmulTransA", x, g)],
    forward: (b, [x, w], _y, [dx, dw]) => plus(b, [dx && t(b, "matmul", dx, w), dw && t(b, "matmul", x, dw)]),
  },
  "tensor.relu": unary((b, d, x) => t(b, "reluGrad", d, x)),
  "tensor.tanh": unary((b, d, _x, y) => t(b, "tanhGrad", d, y)),
  "tensor.sigmoid": unary((b, d, _x, y) => t(b, "sigmoidGrad", d, y)),
  "tensor.exp": unary((b, d, _x, y) => t(b, "mul", d, y)),
  "tensor.log": unary((b, d, x) => t(b, "div", d, x)),
  "tensor.square": unary((b, d, x) => t(b, "mul", d, t(b, "mul", x, b.const(2)))),
  "tensor.neg": unary((b, d) => t(b, "neg", d)),
  // sum(x, axis?, keepdims?): the adjoint spreads g back over the reduced axis.
  "tensor.sum": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "sumGrad", g, x, ...rest)],
    forward: (b, [, ...rest], _y, [dx]) => dx && t(b, "sum", dx, ...rest),
  },
  "tensor.mean": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "meanAxisGrad", g, x, ...rest)],
    forward: (b, [, ...rest], _y, [dx]) => dx && t(b, "mean", dx, ...rest),
  },
  "tensor.max": {
    reverse: (b, [x], _y, g) => [t(b, "maxGrad", g, x)],
    forward: (b, [x], y, [dx]) => dx && t(b, "sum", t(b, "mul", t(b, "maxGrad", t(b, "fromItem", b.const(1), y), x), dx)),
  },
  "tensor.logsumexp": {
    reverse: (b, [x], y, g) => [t(b, "logsumexpGrad", g, x, y)],
    forward: (b, [x], y, [dx]) => dx && t(b, "sum", t(b, "mul", t(b, "logsumexpGrad", t(b, "fromItem", b.const(1), y), x, y), dx)),
  },
  "tensor.sqrt": unary((b, d, _x, y) => t(b, "div", t(b, "mul", d, b.const(0.5)), y)),
  "tensor.abs": unary((b, d, x) => t(b, "absGrad", d, x)),
  "tensor.softplus": unary((b, d, x) => t(b, "mul", d, t(b, "sigmoid", x))),
  "tensor.transpose": unary((b, d) => t(b, "transpose", d)),
  // The softmax Jacobian is symmetric: one kernel for both modes.
  "tensor.softmax": unary((b, d, _x, y) => t(b, "softmaxGrad", d, y)),
  "tensor.logSoftmax": {
    reverse: (b, _xs, y, g) => [t(b, "logSoftmaxGrad", g, y)],
    forward: (b, _xs, y, [dx]) => dx && t(b, "logSoftmaxTangent", dx, y),
  },
  // y = a ** p: ∂a = g · p · a ** (p − 1), ∂p = g · y · ln a.
  "tensor.pow": {
    reverse: (b, [a, p], y, g) => [
      unb(b, t(b, "mul", g, t(b, "mul", t(b, "pow", a, sub1(b, p)), p)), a),
      unb(b, t(b, "mul", t(b, "mul", g, y), logOf(b, a)), p),
    ],
    forward: (b, [a, p], y, [da, dp]) =>
      plus(b, [da && t(b, "mul", da, t(b, "mul", t(b, "pow", a, sub1(b, p)), p)), dp && t(b, "mul", dp, t(b, "mul", y, logOf(b, a)))]),
  },
  "tensor.mse": {
    reverse: (b, [p, q], _y, g) => [t(b, "mseGrad", g, p, q), t(b, "neg", t(b, "mseGrad", g, p, q))],
    forward: (b, [p, q], y, [dp, dq]) => {
      const d = plus(b, [dp, dq && t(b, "neg", dq)]);
      return d && t(b, "sum", t(b, "mul", t(b, "mseGrad", t(b, "fromItem", b.const(1), y), p, q), d));
    },
  },
  // Labels are integers (no derivative) or probability rows (∂/∂labels = −logSoftmax(logits) / n).
  "tensor.softmaxCrossEntropy": {
    reverse: (b, [logits, labels], _y, g) => [
      t(b, "softmaxCrossEntropyGrad", g, logits, labels),
      labels.type.kind === "tensor" ? t(b, "crossEntropyLabelsGrad", g, logits) : undefined,
    ],
    forward: (b, [logits, labels], y, [dx, dl]) => {
      const one = () => t(b, "fromItem", b.const(1), y);
      return plus(b, [
        dx && t(b, "sum", t(b, "mul", t(b, "softmaxCrossEntropyGrad", one(), logits, labels), dx)),
        dl && t(b, "sum", t(b, "mul", t(b, "crossEntropyLabelsGrad", one(), logits), dl)),
      ]);
    },
  },
  "tensor.item": {
    reverse: (b, [x], _y, g) => [t(b, "fromItem", g, x)],
    forward: (b, _xs, _y, [dx]) => dx && t(b, "item", dx),
  },
};
