// The MLP of the examples as a user writes it: a plain loss over tensors, marked for adc with
// `valueAndGrad`. adc compiles this file (examples/mlp/gradient.ts does it at start-up) and
// replaces `valueAndGrad(loss, …)` with the generated gradient. This file is never imported
// untransformed: the untransformed `valueAndGrad` throws (it explains how to enable adc).
import { Tensor, matmul, add, relu, softmaxCrossEntropy, valueAndGrad } from "adc";

export type Mlp = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };

export function loss(p: Mlp, x: Tensor, labels: Int32Array): number {
  const h = relu(add(matmul(x, p.w1), p.b1));
  const logits = add(matmul(h, p.w2), p.b2);
  return softmaxCrossEntropy(logits, labels).item();
}

export const lossAndGrad = valueAndGrad(loss, { wrt: "p" }); // → [number, Mlp-shaped gradient]
