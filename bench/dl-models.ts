// The models of `npm run bench:dl`, written for adc (compiled at start-up): the CNN of
// examples/cnn without its dropout (so that every implementation computes the same function and
// the gradients can be compared), at batch 64.
import { Tensor, add, conv2d, matmul, maxPool2d, relu, reshape, softmaxCrossEntropy, valueAndGrad } from "adc";

export type Cnn = {
  conv1: Tensor; bias1: Tensor; conv2: Tensor; bias2: Tensor;
  dense: Tensor; bias3: Tensor; out: Tensor; bias4: Tensor;
};

export function cnnLoss(p: Cnn, images: Tensor, labels: Int32Array): number {
  const h1 = maxPool2d(relu(add(conv2d(images, p.conv1, 1, 1), p.bias1)), 2);
  const h2 = maxPool2d(relu(add(conv2d(h1, p.conv2, 1, 1), p.bias2)), 2);
  const h3 = relu(add(matmul(reshape(h2, [-1, 7 * 7 * 32]), p.dense), p.bias3));
  return softmaxCrossEntropy(add(matmul(h3, p.out), p.bias4), labels).item();
}

export const cnnLossAndGrad = valueAndGrad(cnnLoss, { wrt: "p" });
