// `npm run example:cnn:predict`: loads the checkpoint `npm run example:cnn` saved and classifies
// the 2,000 held-out digits with it (the same seeded split), printing the accuracy and a few
// digits drawn in the terminal with what the network reads in them.
import { argmax } from "adc";
import { loadMnist } from "../mnist/data";
import { loadCheckpoint } from "../common/checkpoint";
import type { Cnn } from "./model";
import { SIDE, batchImages, toImages } from "./images";
import { CHECKPOINT, DEFAULTS, accuracy, loadModel } from "./train";

async function main(): Promise<void> {
  const model = await loadModel();
  const { params, meta } = loadCheckpoint<Cnn>(CHECKPOINT);
  const { xTest, yTest } = loadMnist(DEFAULTS.seed);
  const images = toImages(xTest);
  const acc = accuracy(model, params, images, yTest);
  console.log(`checkpoint ${CHECKPOINT} (trained ${String(meta.epochs)} epochs in ${Number(meta.seconds).toFixed(1)} s)`);
  console.log(`held-out accuracy: ${(100 * acc).toFixed(2)}% (${Math.round(acc * yTest.length)}/${yTest.length} digits)`);
  const shown = Int32Array.from([0, 1, 2]);
  const predicted = argmax(model.logits(params, batchImages(images, shown)));
  for (const i of shown) {
    const rows: string[] = [];
    for (let y = 0; y < SIDE; y += 2) {
      let line = "";
      for (let x = 0; x < SIDE; x++) line += " .:*#"[Math.min(4, Math.floor(images.data[i * SIDE * SIDE + y * SIDE + x]! * 5))];
      rows.push(line);
    }
    console.log(`${rows.join("\n")}\nlabel ${yTest[i]}, predicted ${predicted[i]}\n`);
}
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
