// `npm run example:iris`: an MLP 4-16-3 (relu, softmax cross-entropy) trained on Iris with Adam
// in a plain loop of mini-batches, seeded: the same numbers on every run. Prints the loss of each
// epoch and the accuracy on the 30 held-out flowers.
import { Rng, adam, permutation } from "adc";
import { loadIris } from "./data";
import { describeGradient, loadLossAndGrad } from "../mlp/gradient";
import { accuracy, batchOf, initMlp } from "../mlp/hand";

export const SEED = 42;
const HIDDEN = 16;
const EPOCHS = 40;
const BATCH = 16;
const LR = 0.02;

async function main(): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = loadIris(SEED);
  const gradient = await loadLossAndGrad();
  console.log(describeGradient(gradient));
  const { lossAndGrad } = gradient;
  console.log(`Iris: ${yTrain.length} training and ${yTest.length} held-out flowers; MLP 4-${HIDDEN}-3, Adam lr ${LR}, batch ${BATCH}, seed ${SEED}`);

  const rng = new Rng(SEED);
  const params = initMlp(4, HIDDEN, 3, rng);
  const opt = adam({ lr: LR });
  const n = yTrain.length;
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const order = permutation(n, { rng });
    let total = 0;
    for (let start = 0; start < n; start += BATCH) {
      const [x, y] = batchOf(xTrain, yTrain, order.subarray(start, Math.min(n, start + BATCH)));
      const [loss, grads] = lossAndGrad(params, x, y);
      opt.step(params, grads);
      total += loss * y.length;
    }
    const line = `epoch ${String(epoch).padStart(2)}  loss ${(total / n).toFixed(4)}`;
    console.log(epoch % 10 === 0 ? `${line}  train accuracy ${(100 * accuracy(params, xTrain, yTrain)).toFixed(1)}%` : line);
  }
  const acc = accuracy(params, xTest, yTest);
  console.log(`test accuracy: ${(100 * acc).toFixed(1)}% (${Math.round(acc * yTest.length)}/${yTest.length} held-out flowers)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
