// The CNN of `npm run example:cnn`, written for adc: two 3×3 convolutions (16 and 32 channels,
// zero padding 1, relu, 2×2 max pooling), a dense layer of 128 with dropout, and 10 classes.
// Images are NHWC ([batch, 28, 28, 1]); filters HWIO. `loss` is what adc differentiates;
// `logits` is the same network for prediction (no dropout), written once more: a helper shared by
// both (the convolutions) would work, but its pullback runs its forward pass again, and here the
// convolutions are most of the step.
import {
  Tensor, add, conv2d, dropout, matmul, maxPool2d, relu, reshape, softmaxCrossEntropy, valueAndGrad,
} from "adc";

export type Cnn = {
  conv1: Tensor; bias1: Tensor; conv2: Tensor; bias2: Tensor;
  dense: Tensor; bias3: Tensor; out: Tensor; bias4: Tensor;
};

/** Mean cross-entropy of a batch; `seed` draws the dropout mask of this step. */
export function loss(p: Cnn, images: Tensor, labels: Int32Array, seed: number): number {
  const h1 = maxPool2d(relu(add(conv2d(images, p.conv1, 1, 1), p.bias1)), 2); // [n,14,14,16]
  const h2 = maxPool2d(relu(add(conv2d(h1, p.conv2, 1, 1), p.bias2)), 2); // [n,7,7,32]
  const flat = reshape(h2, [-1, 7 * 7 * 32]);
  const h3 = dropout(relu(add(matmul(flat, p.dense), p.bias3)), 0.25, seed);
  return softmaxCrossEntropy(add(matmul(h3, p.out), p.bias4), labels).item();
}

export const lossAndGrad = valueAndGrad(loss, { wrt: "p" });

/** The class scores of a batch (inference: no dropout). */
export function logits(p: Cnn, images: Tensor): Tensor {
  const h1 = maxPool2d(relu(add(conv2d(images, p.conv1, 1, 1), p.bias1)), 2);
  const h2 = maxPool2d(relu(add(conv2d(h1, p.conv2, 1, 1), p.bias2)), 2);
  const h3 = relu(add(matmul(reshape(h2, [-1, 7 * 7 * 32]), p.dense), p.bias3));
  return add(matmul(h3, p.out), p.bias4);
}
