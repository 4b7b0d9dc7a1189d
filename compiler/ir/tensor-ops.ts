// The tensor primitives: runtime functions generated code calls, by IR name (`tensor.<name>`).
// `user` marks the ones user code may call (the rest appear only in derivatives); `result` says
// what they return: a tensor, a number, or the type of their second operand (unbroadcast).
import type { Type } from "./types";
import { f64 } from "./types";

export const tensorType: Type = { kind: "tensor" };

export interface TensorOp {
  /** The runtime export it calls. */
  readonly runtime: string;
  /** Operands it takes; `minArity` when trailing ones may be left out (sum(x) or sum(x, axis)). */
  readonly arity: number;
  readonly minArity?: number;
  readonly result: "tensor" | "number" | "operand";
  readonly user: boolean;
}

const op = (arity: number, result: TensorOp["result"] = "tensor", user = true) => ({ arity, result, user });

const table: Record<string, Omit<TensorOp, "runtime">> = {
  add: op(2), sub: op(2), mul: op(2), div: op(2),
  matmul: op(2),
  relu: op(1), tanh: op(1), sigmoid: op(1), exp: op(1), log: op(1), square: op(1), neg: op(1),
  sum: { ...op(3), minArity: 1 }, mean: { ...op(3), minArity: 1 }, max: op(1), logsumexp: op(1),
  sqrt: op(1), abs: op(1), softplus: op(1), pow: op(2), transpose: op(1),
  softmax: op(1), logSoftmax: op(1), mse: op(2),
  softmaxCrossEntropy: op(2),
  item: op(1, "number"),
  // Only in derivatives.
  matmulTransA: op(2, "tensor", false), matmulTransB: op(2, "tensor", false),
  unbroadcast: op(2, "operand", false), guardAdjoint: op(2, "operand", false),
  reluGrad: op(2, "tensor", false), tanhGrad: op(2, "tensor", false), sigmoidGrad: op(2, "tensor", false),
  expandLike: op(2, "tensor", false), meanGrad: op(2, "tensor", false),
  softmaxCrossEntropyGrad: op(3, "tensor", false), fromItem: op(2, "tensor", false),
  sumGrad: op(4, "tensor", false), meanAxisGrad: op(4, "tensor", false), absGrad: op(2, "tensor", false),
  maxGrad: op(2, "tensor", false), logsumexpGrad: op(3, "tensor", false), softmaxGrad: op(2, "tensor", false),
  logSoftmaxGrad: op(2, "tensor", false), crossEntropyLabelsGrad: op(2, "tensor", false), fullLike: op(2, "tensor", false), logSoftmaxTangent: op(2, "tensor", false), mseGrad: op(3, "tensor", false),
};

export const tensorOps: ReadonlyMap<string, TensorOp> = new Map(
  Object.entries(table).map(([name, o]) => [`tensor.${name}`, { ...o, runtime: name }]),
);

/** The IR type of a tensor op's result, from its operands. */
export function tensorResultType(prim: string, args: readonly { type: Type }[]): Type {
  const o = tensorOps.get(prim)!;
  return o.result === "number" ? f64 : o.result === "operand" ? args[1].type : tensorType;
}
