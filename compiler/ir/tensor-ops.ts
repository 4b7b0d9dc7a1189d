// The tensor primitives: runtime functions generated code calls, by IR name (`tensor.<name>`).
// `user` marks the ones user code may call (the rest appear only in derivatives); `result` says
// what they return: a tensor, a number, the type of their second operand (unbroadcast), or a list
// of dimensions (`dims`, written as an array literal: reshape's shape, transpose's permutation).
import type { Type } from "./types";
import { f64 } from "./types";

export const tensorType: Type = { kind: "tensor" };
/** A list of numbers (a shape, a permutation): `[a, b]` in the source and in generated code. */
export const dimsType: Type = { kind: "opaque", name: "Dims" };

export interface TensorOp {
  /** The runtime export it calls. */
  readonly runtime: string;
  /** Operands it takes ("n": any number); `minArity` when trailing ones may be left out (sum(x) or sum(x, axis)). */
  readonly arity: number | "n";
  readonly minArity?: number;
  readonly result: "tensor" | "number" | "operand" | "dims";
  readonly user: boolean;
  /**
   * How the operands are written: "array": all of them as one array literal (`dims`); "list": all
   * but the last as an array literal, then the last (`concat([a, b], axis)`).
   */
  readonly syntax?: "array" | "list";
  /** The result may share the storage of an operand (reshape's view): never written in place. */
  readonly view?: boolean;
  /** Ops with several results (attention's three adjoints, in one pass): how many, all tensors. */
  readonly results?: number;
}

type Spec = Omit<TensorOp, "runtime">;
const op = (arity: number, result: TensorOp["result"] = "tensor", user = true): Spec => ({ arity, result, user });
/** An op whose trailing operands are optional: sum(x), sum(x, axis), sum(x, axis, keepdims). */
const optional = (arity: number, minArity: number, user = true): Spec => ({ ...op(arity, "tensor", user), minArity });
const internal = (arity: number, minArity = arity, result: TensorOp["result"] = "tensor"): Spec => ({ arity, minArity, result, user: false });

const table: Record<string, Spec> = {
  // Elementwise, with broadcasting.
  add: op(2), sub: op(2), mul: op(2), div: op(2), pow: op(2), maximum: op(2), minimum: op(2),
  where: op(3),
  // Masks (1 where true): derivative zero.
  greater: op(2), greaterEqual: op(2), less: op(2), lessEqual: op(2), equal: op(2),
  // Unary.
  relu: op(1), tanh: op(1), sigmoid: op(1), exp: op(1), log: op(1), square: op(1), neg: op(1),
  sqrt: op(1), abs: op(1), softplus: op(1), gelu: op(1),
  leakyRelu: optional(2, 1), elu: optional(2, 1), clamp: op(3),
  // Reductions: (x, axis?, keepdims?).
  sum: optional(3, 1), mean: optional(3, 1), max: optional(3, 1), min: optional(3, 1), logsumexp: optional(3, 1),
  variance: optional(3, 1),
  matmul: op(2),
  // Shapes.
  transpose: optional(2, 1), reshape: op(2), slice: optional(4, 3), sliceRows: optional(3, 2), sliceCols: optional(3, 2),
  take: optional(3, 2), gather: optional(3, 2), pick: op(2),
  concat: { arity: "n", minArity: 2, result: "tensor", user: true, syntax: "list" },
  stack: { arity: "n", minArity: 2, result: "tensor", user: true, syntax: "list" },
  dim: op(2, "number"),
  // Networks.
  softmax: optional(2, 1), logSoftmax: optional(2, 1), mse: op(2), softmaxCrossEntropy: op(2),
  conv2d: optional(5, 2), maxPool2d: optional(4, 2), avgPool2d: optional(4, 2),
  layerNorm: optional(4, 3), batchNorm: optional(4, 3), batchNormInference: optional(6, 5),
  dropout: op(3), attention: optional(4, 3),
  item: op(1, "number"),
  // Made by the frontend from an array literal.
  dims: { arity: "n", minArity: 0, result: "dims", user: false, syntax: "array" },
  // Only in derivatives.
  matmulTransA: internal(2), matmulTransB: internal(2), matmulGradA: internal(3), matmulGradB: internal(3),
  unbroadcast: internal(2, 2, "operand"), guardAdjoint: internal(2, 2, "operand"),
  reluGrad: internal(2), tanhGrad: internal(2), sigmoidGrad: internal(2), absGrad: internal(2), geluGrad: internal(2),
  leakyReluGrad: internal(3, 2), eluGrad: internal(3, 2), clampGrad: internal(4),
  mulSafe: internal(2), divSafe: internal(2),
  expandLike: internal(2), broadcastLike: internal(2), meanGrad: internal(2), fromItem: internal(2), fullLike: internal(2),
  softmaxCrossEntropyGrad: internal(3), crossEntropyLabelsGrad: internal(2), mseGrad: internal(3),
  sumGrad: internal(4, 2), meanAxisGrad: internal(4, 2),
  maxGrad: internal(4, 2), maxTangent: internal(4, 2), minGrad: internal(4, 2), minTangent: internal(4, 2),
  logsumexpGrad: internal(5, 3), logsumexpTangent: internal(5, 3),
  varianceGrad: internal(4, 2), varianceTangent: internal(4, 2),
  softmaxGrad: internal(3, 2), logSoftmaxGrad: internal(3, 2), logSoftmaxTangent: internal(3, 2),
  reshapeLike: { ...internal(2), view: true }, invertPermutation: internal(1, 1, "dims"),
  sliceGrad: internal(5, 4), sliceRowsGrad: internal(4, 3), sliceColsGrad: internal(4, 3), takeGrad: internal(4, 3),
  gatherGrad: internal(4, 3), pickGrad: internal(3),
  conv2dGradInput: internal(6, 3), conv2dGradFilter: internal(6, 3),
  maxPool2dGrad: internal(5, 3), maxPool2dTangent: internal(5, 3), avgPool2dGrad: internal(5, 3),
  layerNormalize: internal(2, 1), layerNormalizeGrad: internal(3, 2), batchNormalize: internal(2, 1), batchNormalizeGrad: internal(3, 2),
  attentionGrad: { ...internal(5, 4), results: 3 }, attentionTangent: internal(7, 6),
};
table.reshape = { ...table.reshape, view: true };

export const tensorOps: ReadonlyMap<string, TensorOp> = new Map(
  Object.entries(table).map(([name, o]) => [`tensor.${name}`, { ...o, runtime: name }]),
);

/** The IR type of a tensor op's result, from its operands. */
export function tensorResultType(prim: string, args: readonly { type: Type }[]): Type {
  const o = tensorOps.get(prim)!;
  return o.result === "number" ? f64 : o.result === "operand" ? args[1].type : o.result === "dims" ? dimsType : tensorType;
}
