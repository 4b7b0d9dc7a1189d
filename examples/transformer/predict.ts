// `npm run example:transformer:predict`: loads the checkpoint `npm run example:transformer` saved,
// measures the exact-match rate on the 1,000 held-out strings again, and reverses a few of them
// (and any digit strings given on the command line: `… predict 12345 90210`).
import { Rng } from "adc";
import { loadCheckpoint } from "../common/checkpoint";
import type { Tensor } from "adc";
import { DIGITS, drawDigits } from "./data";
import { CHECKPOINT, DEFAULTS, exactMatch, loadModel, unflatten } from "./train";

async function main(): Promise<void> {
  const model = await loadModel();
  const { params: flat, meta } = loadCheckpoint<Record<string, Tensor>>(CHECKPOINT);
  const params = unflatten(flat, Number(meta.blocks));
  console.log(`checkpoint ${CHECKPOINT} (trained ${String(meta.steps)} steps in ${Number(meta.seconds).toFixed(1)} s)`);
  const test = drawDigits(new Rng(DEFAULTS.seed + 1000), 1000, true);
  console.log(`held-out exact match: ${(100 * exactMatch(model, params, test).rate).toFixed(1)}% of ${test.length} strings`);
  const asked = process.argv.slice(2).filter((a) => new RegExp(`^\\d{${DIGITS}}$`).test(a)).map((a) => Int32Array.from(a, Number));
  const shown = [...test.slice(0, 5), ...asked];
  const { answers } = exactMatch(model, params, shown);
  shown.forEach((d, i) => console.log(`${d.join("")} → ${answers[i]!.join("")}`));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
