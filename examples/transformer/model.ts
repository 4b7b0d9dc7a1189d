// The transformer of `npm run example:transformer`, written for adc: token and position
// embeddings, pre-norm blocks of causal single-head attention and a gelu MLP with residual
// connections, a final layerNorm and the output projection to the vocabulary. `loss` is the mean
// cross-entropy of the next token over the positions that have a target (label −1 elsewhere);
// `logits` is the same network for decoding, written once more because differentiated code
// cannot yet call a function that returns a tensor.
import {
  Tensor, add, attention, gather, gelu, layerNorm, matmul, reshape, softmaxCrossEntropy, valueAndGrad,
} from "adc";

/** Width of the model. */
export const WIDTH = 32;
/** Positions of a sequence the model reads: 5 digits, the separator, 4 digits of the answer (see data.ts). */
export const POSITIONS = 10;

export type Block = {
  norm1: Tensor; shift1: Tensor; query: Tensor; key: Tensor; value: Tensor; mix: Tensor;
  norm2: Tensor; shift2: Tensor; up: Tensor; upBias: Tensor; down: Tensor; downBias: Tensor;
};

export type Gpt = { embed: Tensor; position: Tensor; blocks: Block[]; norm: Tensor; shift: Tensor; out: Tensor };

/** tokens: [batch·positions] ids; targets: the next token at each position, −1 where there is none to learn. */
export function loss(p: Gpt, tokens: Int32Array, targets: Int32Array): number {
  let h = add(reshape(gather(p.embed, tokens), [-1, POSITIONS, WIDTH]), p.position);
  for (const b of p.blocks) {
    const a = layerNorm(h, b.norm1, b.shift1);
    h = add(h, matmul(attention(matmul(a, b.query), matmul(a, b.key), matmul(a, b.value), true), b.mix));
    const m = layerNorm(h, b.norm2, b.shift2);
    h = add(h, add(matmul(gelu(add(matmul(m, b.up), b.upBias)), b.down), b.downBias));
  }
  return softmaxCrossEntropy(matmul(layerNorm(h, p.norm, p.shift), p.out), targets).item();
}

export const lossAndGrad = valueAndGrad(loss, { wrt: "p" });

/** The next-token scores at every position: [batch, positions, vocabulary]. */
export function logits(p: Gpt, tokens: Int32Array): Tensor {
  let h = add(reshape(gather(p.embed, tokens), [-1, POSITIONS, WIDTH]), p.position);
  for (const b of p.blocks) {
    const a = layerNorm(h, b.norm1, b.shift1);
    h = add(h, matmul(attention(matmul(a, b.query), matmul(a, b.key), matmul(a, b.value), true), b.mix));
    const m = layerNorm(h, b.norm2, b.shift2);
    h = add(h, add(matmul(gelu(add(matmul(m, b.up), b.upBias)), b.down), b.downBias));
  }
  return matmul(layerNorm(h, p.norm, p.shift), p.out);
}
