// Tensor primitives. Reverse rules sum an adjoint back over the dimensions an operand was
// broadcast along (`unbroadcast`); matmul's adjoints are the transposed products, computed without
// materialising a transpose. Each rule's kernel is a runtime helper (runtime/tensor/adjoints*.ts).
//
// A zero adjoint stays zero: where `where` (or a mask) zeroes the adjoint of a branch not taken,
// the rules of log, sqrt, exp, div and pow multiply and divide with mulSafe/divSafe (0 · ∞ = 0,
// 0 / 0 = 0), so the masked-out branch's infinities (log 0, 1/0) never turn the gradient into NaN.
import type { Builder } from "../../ir/builder";
import { tensorResultType } from "../../ir/tensor-ops";
import type { Value } from "../../ir/types";
import { zero, type Rule, type RuleTable } from "./rule";

const t = (b: Builder, name: string, ...args: Value[]): Value => {
  const prim = `tensor.${name}`;
  return b.op(prim, args, tensorResultType(prim, args));
};
const unb = (b: Builder, g: Value, operand: Value) => t(b, "unbroadcast", g, operand);
const isTensor = (v: Value) => v.type.kind === "tensor";
/** −v for a tensor or a number. */
const negate = (b: Builder, v: Value) => (isTensor(v) ? t(b, "neg", v) : b.neg(v));
/** ln a for a tensor or a number base. */
const logOf = (b: Builder, a: Value) => (isTensor(a) ? t(b, "log", a) : b.call("log", a));
/** p − 1 for a number or a tensor exponent. */
const sub1 = (b: Builder, p: Value) => (isTensor(p) ? t(b, "sub", p, b.const(1)) : b.sub(p, b.const(1)));
/** The sum of the defined terms (undefined: all zero). */
const plus = (b: Builder, terms: (Value | undefined)[]) =>
  terms.reduce<Value | undefined>((acc, x) => (x === undefined ? acc : acc === undefined ? x : t(b, "add", acc, x)), undefined);
/**
 * ẏ of y = x ± c: with both tangents their sum has y's shape, but one alone has its operand's,
 * which may have been broadcast (a row, a number) against a tensor with no tangent (a mask): spread
 * it to y's. Against a number the operand with the tangent has y's shape already.
 */
const broadcastSum = (b: Builder, operands: Value[], y: Value, terms: (Value | undefined)[]) => {
  const alone = terms.findIndex((d) => d !== undefined);
  if (alone < 0 || terms[1 - alone] !== undefined || !isTensor(operands[1 - alone])) return plus(b, terms);
  return t(b, "broadcastLike", terms[alone]!, y);
};
/** A tangent where one is defined and 0 (a number, broadcast) where it is structurally zero. */
const orZero = (b: Builder, d: Value | undefined) => d ?? b.const(0);
/** A function of one tensor (and options after it, passed along as `rest`), linear in its adjoint. */
const unary = (make: (b: Builder, d: Value, x: Value, y: Value, rest: Value[]) => Value): Rule => ({
  reverse: (b, [x, ...rest], y, g) => [make(b, g, x, y, rest)],
  forward: (b, [x, ...rest], y, [dx]) => (dx ? make(b, dx, x, y, rest) : undefined),
});
/** An op linear in its first operand whose options follow it: the tangent is the op of the tangent. */
const linear = (adjoint: (b: Builder, g: Value, x: Value, rest: Value[]) => Value, name: string): Rule => ({
  reverse: (b, [x, ...rest], _y, g) => [adjoint(b, g, x, rest)],
  forward: (b, [, ...rest], _y, [dx]) => dx && t(b, name, dx, ...rest),
});
/** A reduction's tangent from the adjoint kernel at g = 1 (a loss: a number out of a tensor). */
const through = (b: Builder, y: Value, make: (one: Value) => Value, dx: Value) => t(b, "sum", t(b, "mul", make(t(b, "fromItem", b.const(1), y)), dx));
/** The pair of contributions of an elementwise choice: g to a where mask, g to c elsewhere. */
const choose = (b: Builder, mask: Value, g: Value, a: Value, c: Value) => [
  unb(b, t(b, "where", mask, g, b.const(0)), a),
  unb(b, t(b, "where", mask, b.const(0), g), c),
];

/**
 * layerNorm / batchNorm (x, gamma, beta, eps?) = x̂ · gamma + beta, x̂ the standardisation
 * `normalize` computes, whose adjoint kernel is also its tangent (a symmetric Jacobian).
 */
function normalization(normalize: string): Rule {
  return {
    reverse: (b, [x, gamma, beta, ...eps], _y, g) => [
      t(b, `${normalize}Grad`, t(b, "mul", g, gamma), x, ...eps),
      unb(b, t(b, "mul", g, t(b, normalize, x, ...eps)), gamma),
      unb(b, g, beta),
    ],
    // β̇ alone has β's shape (a row): spread to y's, as in broadcastSum.
    forward: (b, [x, gamma, , ...eps], y, [dx, dgamma, dbeta]) =>
      !dx && !dgamma && dbeta
        ? t(b, "broadcastLike", dbeta, y)
        : plus(b, [
          dx && t(b, "mul", t(b, `${normalize}Grad`, dx, x, ...eps), gamma),
          dgamma && t(b, "mul", t(b, normalize, x, ...eps), dgamma),
          dbeta,
        ]),
  };
}

/** batchNormInference's pieces: 1/√(v + ε), x − m and gamma/√(v + ε). */
function inference(b: Builder, x: Value, m: Value, v: Value, gamma: Value, eps: Value[]) {
  const inv = t(b, "div", b.const(1), t(b, "sqrt", t(b, "add", v, eps[0] ?? b.const(1e-5))));
  return { inv, centered: t(b, "sub", x, m), scale: t(b, "mul", inv, gamma) };
}

export const tensorRules: RuleTable = {
  "tensor.add": {
    reverse: (b, [x, c], _y, g) => [unb(b, g, x), unb(b, g, c)],
    forward: (b, xs, y, [dx, dc]) => broadcastSum(b, xs, y, [dx, dc]),
  },
  "tensor.sub": {
    reverse: (b, [x, c], _y, g) => [unb(b, g, x), unb(b, t(b, "neg", g), c)],
    forward: (b, xs, y, [dx, dc]) => broadcastSum(b, xs, y, [dx, dc && negate(b, dc)]),
  },
  "tensor.mul": {
    reverse: (b, [x, c], _y, g) => [unb(b, t(b, "mul", g, c), x), unb(b, t(b, "mul", g, x), c)],
    forward: (b, [x, c], _y, [dx, dc]) => plus(b, [dx && t(b, "mul", dx, c), dc && t(b, "mul", x, dc)]),
  },
  // y = x / c: ∂x = g / c, ∂c = −g · y / c.
  "tensor.div": {
    reverse: (b, [x, c], y, g) => [unb(b, t(b, "divSafe", g, c), x), unb(b, t(b, "neg", t(b, "divSafe", t(b, "mulSafe", g, y), c)), c)],
    forward: (b, [, c], y, [dx, dc]) => {
      const num = plus(b, [dx, dc && t(b, "neg", t(b, "mul", y, dc))]);
      return num && t(b, "div", num, c);
    },
  },
  // Matrices, batches (broadcast batch dimensions are summed back) and vectors.
  "tensor.matmul": {
    reverse: (b, [x, w], _y, g) => [t(b, "matmulGradA", g, x, w), t(b, "matmulGradB", g, x, w)],
    forward: (b, [x, w], _y, [dx, dw]) => plus(b, [dx && t(b, "matmul", dx, w), dw && t(b, "matmul", x, dw)]),
  },
  "tensor.where": {
    reverse: (b, [mask, x, c], _y, g) => [undefined, ...choose(b, mask, g, x, c)],
    forward: (b, [mask], _y, [, dx, dc]) => t(b, "where", mask, orZero(b, dx), orZero(b, dc)),
  },
  // Ties go to the first operand, as Math.max and Math.min give them.
  "tensor.maximum": {
    reverse: (b, [x, c], _y, g) => choose(b, t(b, "greaterEqual", x, c), g, x, c),
    forward: (b, [x, c], _y, [dx, dc]) => t(b, "where", t(b, "greaterEqual", x, c), orZero(b, dx), orZero(b, dc)),
  },
  "tensor.minimum": {
    reverse: (b, [x, c], _y, g) => choose(b, t(b, "lessEqual", x, c), g, x, c),
    forward: (b, [x, c], _y, [dx, dc]) => t(b, "where", t(b, "lessEqual", x, c), orZero(b, dx), orZero(b, dc)),
  },
  "tensor.greater": zero,
  "tensor.greaterEqual": zero,
  "tensor.less": zero,
  "tensor.lessEqual": zero,
  "tensor.equal": zero,
  "tensor.dim": zero,
  "tensor.relu": unary((b, d, x) => t(b, "reluGrad", d, x)),
  "tensor.tanh": unary((b, d, _x, y) => t(b, "tanhGrad", d, y)),
  "tensor.sigmoid": unary((b, d, _x, y) => t(b, "sigmoidGrad", d, y)),
  "tensor.exp": unary((b, d, _x, y) => t(b, "mulSafe", d, y)),
  "tensor.log": unary((b, d, x) => t(b, "divSafe", d, x)),
  "tensor.square": unary((b, d, x) => t(b, "mul", d, t(b, "mul", x, b.const(2)))),
  "tensor.neg": unary((b, d) => t(b, "neg", d)),
  "tensor.sqrt": unary((b, d, _x, y) => t(b, "divSafe", t(b, "mul", d, b.const(0.5)), y)),
  "tensor.abs": unary((b, d, x) => t(b, "absGrad", d, x)),
  "tensor.softplus": unary((b, d, x) => t(b, "mul", d, t(b, "sigmoid", x))),
  "tensor.gelu": unary((b, d, x) => t(b, "geluGrad", d, x)),
  // leakyRelu(x, alpha) = x for x > 0, alpha·x otherwise: ∂alpha = Σ g · min(x, 0).
  "tensor.leakyRelu": {
    reverse: (b, [x, ...alpha], _y, g) => [t(b, "leakyReluGrad", g, x, ...alpha), alpha[0] && unb(b, t(b, "mul", g, t(b, "minimum", x, b.const(0))), alpha[0])],
    forward: (b, [x, ...alpha], _y, [dx, da]) =>
      plus(b, [dx && t(b, "leakyReluGrad", dx, x, ...alpha), da && t(b, "mul", t(b, "minimum", x, b.const(0)), da)]),
  },
  // elu(x, alpha) = x for x > 0, alpha·(eˣ − 1) otherwise: ∂alpha = Σ g · elu(min(x, 0)).
  "tensor.elu": {
    reverse: (b, [x, ...alpha], _y, g) => [t(b, "eluGrad", g, x, ...alpha), alpha[0] && unb(b, t(b, "mul", g, t(b, "elu", t(b, "minimum", x, b.const(0)))), alpha[0])],
    forward: (b, [x, ...alpha], _y, [dx, da]) =>
      plus(b, [dx && t(b, "eluGrad", dx, x, ...alpha), da && t(b, "mul", t(b, "elu", t(b, "minimum", x, b.const(0))), da)]),
  },
  // clamp(x, lo, hi): g passes where lo ≤ x ≤ hi, else goes to the bound that was taken.
  "tensor.clamp": {
    reverse: (b, [x, lo, hi], _y, g) => [
      t(b, "clampGrad", g, x, lo, hi),
      unb(b, t(b, "where", t(b, "less", x, lo), g, b.const(0)), lo),
      unb(b, t(b, "where", t(b, "greater", x, hi), g, b.const(0)), hi),
    ],
    forward: (b, [x, lo, hi], _y, [dx, dlo, dhi]) =>
      plus(b, [
        dx && t(b, "clampGrad", dx, x, lo, hi),
        dlo && t(b, "where", t(b, "less", x, lo), dlo, b.const(0)),
        dhi && t(b, "where", t(b, "greater", x, hi), dhi, b.const(0)),
      ]),
  },
  // Reductions over one axis or all (x, axis?, keepdims?): the adjoint spreads g back over the reduced axes.
  "tensor.sum": linear((b, g, x, rest) => t(b, "sumGrad", g, x, ...rest), "sum"),
  "tensor.mean": linear((b, g, x, rest) => t(b, "meanAxisGrad", g, x, ...rest), "mean"),
  "tensor.max": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "maxGrad", g, x, ...rest)],
    forward: (b, [x, ...rest], _y, [dx]) => dx && t(b, "maxTangent", dx, x, ...rest),
  },
  "tensor.min": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "minGrad", g, x, ...rest)],
    forward: (b, [x, ...rest], _y, [dx]) => dx && t(b, "minTangent", dx, x, ...rest),
  },
  "tensor.logsumexp": {
    reverse: (b, [x, ...rest], y, g) => [t(b, "logsumexpGrad", g, x, y, ...rest)],
    forward: (b, [x, ...rest], y, [dx]) => dx && t(b, "logsumexpTangent", dx, x, y, ...rest),
  },
  "tensor.variance": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "varianceGrad", g, x, ...rest)],
    forward: (b, [x, ...rest], _y, [dx]) => dx && t(b, "varianceTangent", dx, x, ...rest),
  },
  // Shapes: each moves numbers without arithmetic, so its tangent is the same op of the tangent.
  "tensor.reshape": linear((b, g, x) => t(b, "reshapeLike", g, x), "reshape"),
  "tensor.transpose": linear((b, g, _x, [perm]) => (perm ? t(b, "transpose", g, t(b, "invertPermutation", perm)) : t(b, "transpose", g)), "transpose"),
  "tensor.slice": linear((b, g, x, rest) => t(b, "sliceGrad", g, x, ...rest), "slice"),
  "tensor.sliceRows": linear((b, g, x, rest) => t(b, "sliceRowsGrad", g, x, ...rest), "sliceRows"),
  "tensor.sliceCols": linear((b, g, x, rest) => t(b, "sliceColsGrad", g, x, ...rest), "sliceCols"),
  "tensor.take": linear((b, g, x, rest) => t(b, "takeGrad", g, x, ...rest), "take"),
  "tensor.gather": linear((b, g, x, rest) => t(b, "gatherGrad", g, x, ...rest), "gather"),
  "tensor.pick": linear((b, g, x, rest) => t(b, "pickGrad", g, x, ...rest), "pick"),
  // concat(x₁…xₙ, axis): xᵢ's adjoint is the slice of g where xᵢ went, at the sum of the sizes before it.
  "tensor.concat": {
    reverse: (b, args, _y, g) => {
      const axis = args[args.length - 1];
      let offset = b.const(0);
      return args.slice(0, -1).map((x) => {
        const end = b.add(offset, t(b, "dim", x, axis));
        const part = t(b, "slice", g, axis, offset, end);
        offset = end;
        return part;
      });
    },
    forward: (b, args, _y, dxs) => {
      const axis = args[args.length - 1];
      return t(b, "concat", ...args.slice(0, -1).map((x, i) => dxs[i] ?? b.zeroLike(x)), axis);
    },
  },
  // stack(x₁…xₙ, axis): xᵢ's adjoint is g at index i along the new axis.
  "tensor.stack": {
    reverse: (b, args, _y, g) => {
      const axis = args[args.length - 1];
      return args.slice(0, -1).map((_x, i) => t(b, "take", g, b.const(i), axis));
    },
    forward: (b, args, _y, dxs) => {
      const axis = args[args.length - 1];
      return t(b, "stack", ...args.slice(0, -1).map((x, i) => dxs[i] ?? b.zeroLike(x)), axis);
    },
  },
  // Along any axis (default the last). The softmax Jacobian is symmetric: one kernel for both modes.
  "tensor.softmax": unary((b, d, _x, y, rest) => t(b, "softmaxGrad", d, y, ...rest)),
  "tensor.logSoftmax": {
    reverse: (b, [, ...rest], y, g) => [t(b, "logSoftmaxGrad", g, y, ...rest)],
    forward: (b, [, ...rest], y, [dx]) => dx && t(b, "logSoftmaxTangent", dx, y, ...rest),
  },
  // y = a ** p: ∂a = g · p · a ** (p − 1), ∂p = g · y · ln a.
  "tensor.pow": {
    reverse: (b, [a, p], y, g) => [
      unb(b, t(b, "mulSafe", g, t(b, "mul", t(b, "pow", a, sub1(b, p)), p)), a),
      unb(b, t(b, "mulSafe", t(b, "mulSafe", g, y), logOf(b, a)), p),
    ],
    forward: (b, [a, p], y, [da, dp]) =>
      plus(b, [da && t(b, "mulSafe", da, t(b, "mul", t(b, "pow", a, sub1(b, p)), p)), dp && t(b, "mulSafe", dp, t(b, "mul", y, logOf(b, a)))]),
  },
  "tensor.mse": {
    reverse: (b, [p, q], _y, g) => [t(b, "mseGrad", g, p, q), t(b, "neg", t(b, "mseGrad", g, p, q))],
    forward: (b, [p, q], y, [dp, dq]) => {
      const d = plus(b, [dp, dq && t(b, "neg", dq)]);
      return d && through(b, y, (one) => t(b, "mseGrad", one, p, q), d);
    },
  },
  // Labels are integers (no derivative) or probability rows (∂/∂labels = −logSoftmax(logits) / n).
  "tensor.softmaxCrossEntropy": {
    reverse: (b, [logits, labels], _y, g) => [
      t(b, "softmaxCrossEntropyGrad", g, logits, labels),
      isTensor(labels) ? t(b, "crossEntropyLabelsGrad", g, logits) : undefined,
    ],
    forward: (b, [logits, labels], y, [dx, dl]) =>
      plus(b, [
        dx && through(b, y, (one) => t(b, "softmaxCrossEntropyGrad", one, logits, labels), dx),
        dl && through(b, y, (one) => t(b, "crossEntropyLabelsGrad", one, logits), dl),
      ]),
  },
  // conv2d(x, w, stride?, padding?, dilation?): bilinear; both adjoints are convolutions' GEMMs.
  "tensor.conv2d": {
    reverse: (b, [x, w, ...rest], _y, g) => [t(b, "conv2dGradInput", g, x, w, ...rest), t(b, "conv2dGradFilter", g, x, w, ...rest)],
    forward: (b, [x, w, ...rest], _y, [dx, dw]) => plus(b, [dx && t(b, "conv2d", dx, w, ...rest), dw && t(b, "conv2d", x, dw, ...rest)]),
  },
  "tensor.maxPool2d": {
    reverse: (b, [x, ...rest], _y, g) => [t(b, "maxPool2dGrad", g, x, ...rest)],
    forward: (b, [x, ...rest], _y, [dx]) => dx && t(b, "maxPool2dTangent", dx, x, ...rest),
  },
  "tensor.avgPool2d": linear((b, g, x, rest) => t(b, "avgPool2dGrad", g, x, ...rest), "avgPool2d"),
  "tensor.layerNorm": normalization("layerNormalize"),
  "tensor.batchNorm": normalization("batchNormalize"),
  // y = (x − m) · s + beta with s = gamma / √(v + ε): linear in x, m and beta.
  "tensor.batchNormInference": {
    reverse: (b, [x, m, v, gamma, beta, ...eps], _y, g) => {
      const { inv, centered, scale } = inference(b, x, m, v, gamma, eps);
      const gs = t(b, "mul", g, scale);
      return [
        unb(b, gs, x),
        unb(b, t(b, "neg", gs), m),
        unb(b, t(b, "mul", t(b, "mul", g, t(b, "mul", centered, gamma)), t(b, "mul", t(b, "pow", inv, b.const(3)), b.const(-0.5))), v),
        unb(b, t(b, "mul", g, t(b, "mul", centered, inv)), gamma),
        unb(b, g, beta),
      ];
    },
    forward: (b, [x, m, v, gamma, beta, ...eps], _y, [dx, dm, dv, dgamma, dbeta]) => {
      const { inv, centered, scale } = inference(b, x, m, v, gamma, eps);
      // (ẋ − ṁ) · s has the result's shape even when only a statistic varies.
      const moved = t(b, "mul", t(b, "sub", dx ?? b.zeroLike(x), orZero(b, dm)), scale);
      return plus(b, [
        moved,
        dv && t(b, "mul", t(b, "mul", centered, gamma), t(b, "mul", t(b, "mul", t(b, "pow", inv, b.const(3)), b.const(-0.5)), dv)),
        dgamma && t(b, "mul", t(b, "mul", centered, inv), dgamma),
        dbeta,
      ]);
    },
  },
  // A fixed seeded mask: linear in x, the same mask for the adjoint and the tangent.
  "tensor.dropout": linear((b, g, _x, rest) => t(b, "dropout", g, ...rest), "dropout"),
  // attention(q, k, v, causal?): the three adjoints from one kernel call (three results).
  "tensor.attention": {
    reverse: (b, [q, k, v, ...causal], _y, g) => b.emit("tensor.attentionGrad", [g, q, k, v, ...causal], [q.type, k.type, v.type]).results,
    forward: (b, [q, k, v, ...causal], _y, [dq, dk, dv]) =>
      t(b, "attentionTangent", q, k, v, dq ?? b.zeroLike(q), dk ?? b.zeroLike(k), dv ?? b.zeroLike(v), ...causal),
  },
  "tensor.item": {
    reverse: (b, [x], _y, g) => [t(b, "fromItem", g, x)],
    forward: (b, _xs, _y, [dx]) => dx && t(b, "item", dx),
  },
};
