// The transformer of `npm run example:transformer`, written for adc: token and position
// embeddings, pre-norm blocks of causal single-head attention and a gelu MLP with residual
// connections, a final layerNorm and the output projection to the vocabulary. `logits` is the
// network, written once with helpers as one would in any framework; `loss` is the mean
// cross-entropy of its next-token scores over the positions that have a target (label −1
// elsewhere). adc differentiates through every helper (each gets a pullback that takes its result's
// tensor adjoint and adds into the block's gradient).
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

/** Causal single-head self-attention over x ([batch, positions, width]) and its output projection. */
function selfAttention(x: Tensor, b: Block): Tensor {
  return matmul(attention(matmul(x, b.query), matmul(x, b.key), matmul(x, b.value), true), b.mix);
}

/** The position-wise MLP: width → hidden (gelu) → width. */
function mlp(x: Tensor, b: Block): Tensor {
  return add(matmul(gelu(add(matmul(x, b.up), b.upBias)), b.down), b.downBias);
}

/** One pre-norm block: attention, then the MLP, each added to the residual stream. */
function block(h: Tensor, b: Block): Tensor {
  const attended = add(h, selfAttention(layerNorm(h, b.norm1, b.shift1), b));
  return add(attended, mlp(layerNorm(attended, b.norm2, b.shift2), b));
}

/** The next-token scores at every position: [batch, positions, vocabulary]. */
export function logits(p: Gpt, tokens: Int32Array): Tensor {
  let h = add(reshape(gather(p.embed, tokens), [-1, POSITIONS, WIDTH]), p.position);
  for (const b of p.blocks) h = block(h, b);
  return matmul(layerNorm(h, p.norm, p.shift), p.out);
}

/** tokens: [batch·positions] ids; targets: the next token at each position, −1 where there is none to learn. */
export function loss(p: Gpt, tokens: Int32Array, targets: Int32Array): number {
  return softmaxCrossEntropy(logits(p, tokens), targets).item();
}

export const lossAndGrad = valueAndGrad(loss, { wrt: "p" });
