// `npm run example:transformer`: the transformer of model.ts (2 blocks, width 32, causal
// attention) learns to reverse 5 digits, trained with adc's gradient and Adam on sequences drawn
// by a seeded generator, tested by greedy decoding on 1,000 held-out strings (exact match: all 5
// answer digits right). Shows a progress bar, saves the loss curve (build/loss.svg) and a checkpoint
// (build/transformer.json) that `npm run example:transformer:predict` loads.
import * as fs from "node:fs";
import * as path from "node:path";
import { Rng, Tensor, adam, argmax, glorotUniform, ones, randn, zeros } from "adc";
import { Progress } from "../mnist/progress";
import { lossCurveSvg } from "../mnist/svg";
import { saveCheckpoint } from "../common/checkpoint";
import { compileWithAdc } from "../common/compile";
import type { Block, Gpt } from "./model";
import { DIGITS, READ, VOCABULARY, drawDigits, encode } from "./data";

export interface TrainOptions {
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly blocks: number;
  readonly quiet?: boolean;
}

export const DEFAULTS: TrainOptions = { steps: 500, batch: 64, lr: 3e-3, seed: 1, blocks: 2 };
export const CHECKPOINT = path.join(__dirname, "build", "transformer.json");
const WIDTH = 32;
const HIDDEN = 64;
const STEPS_PER_ROUND = 100;

/** model.ts as adc compiles it. */
export interface Model {
  readonly lossAndGrad: (p: Gpt, tokens: Int32Array, targets: Int32Array) => [number, Gpt];
  readonly logits: (p: Gpt, tokens: Int32Array) => Tensor;
}

export function loadModel(): Promise<Model> {
  return compileWithAdc<Model>(path.join(__dirname, "model.ts"));
}

const small = (shape: number[], rng: Rng) => randn(shape, { rng, std: 0.1 });

export function initGpt(rng: Rng, blocks: number): Gpt {
  const block = (): Block => ({
    norm1: ones([WIDTH]), shift1: zeros([WIDTH]),
    query: glorotUniform([WIDTH, WIDTH], { rng }), key: glorotUniform([WIDTH, WIDTH], { rng }),
    value: glorotUniform([WIDTH, WIDTH], { rng }), mix: glorotUniform([WIDTH, WIDTH], { rng }),
    norm2: ones([WIDTH]), shift2: zeros([WIDTH]),
    up: glorotUniform([WIDTH, HIDDEN], { rng }), upBias: zeros([HIDDEN]),
    down: glorotUniform([HIDDEN, WIDTH], { rng }), downBias: zeros([WIDTH]),
  });
  return {
    embed: small([VOCABULARY, WIDTH], rng),
    position: small([READ, WIDTH], rng),
    blocks: Array.from({ length: blocks }, block),
    norm: ones([WIDTH]), shift: zeros([WIDTH]),
    out: glorotUniform([WIDTH, VOCABULARY], { rng }),
  };
}

/** Greedy decoding: each answer digit from the digits and the answer so far; the strings answered exactly. */
export function exactMatch(model: Model, p: Gpt, strings: readonly Int32Array[]): { rate: number; answers: Int32Array[] } {
  const { tokens } = encode(strings);
  for (let t = DIGITS + 1; t < READ; t++) for (let b = 0; b < strings.length; b++) tokens[b * READ + t] = 0;
  const answers = strings.map(() => new Int32Array(DIGITS));
  for (let i = 0; i < DIGITS; i++) {
    const next = argmax(model.logits(p, tokens)); // [n·READ]
    strings.forEach((_, b) => {
      const digit = next[b * READ + DIGITS + i]!;
      answers[b]![i] = digit;
      if (DIGITS + 1 + i < READ) tokens[b * READ + DIGITS + 1 + i] = digit;
    });
  }
  const right = strings.filter((d, b) => answers[b]!.every((v, i) => v === d[DIGITS - 1 - i])).length;
  return { rate: right / strings.length, answers };
}

export async function train(options: TrainOptions = DEFAULTS) {
  const model = await loadModel();
  const rng = new Rng(options.seed);
  const params = initGpt(rng, options.blocks);
  const opt = adam({ lr: options.lr });
  const losses: number[] = [];
  const rounds: number[] = [];
  const start = performance.now();
  for (let r = 0; r * STEPS_PER_ROUND < options.steps; r++) {
    const count = Math.min(STEPS_PER_ROUND, options.steps - r * STEPS_PER_ROUND);
    const bar = options.quiet ? undefined : new Progress(`steps ${String(r * STEPS_PER_ROUND + count).padStart(5)}/${options.steps}`, count);
    let total = 0;
    for (let s = 0; s < count; s++) {
      const step = r * STEPS_PER_ROUND + s;
      // Warm up over 100 steps, then a cosine down to lr/20.
      const progress = step / options.steps;
      opt.lr = options.lr * Math.min(1, (step + 1) / 100) * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
      const { tokens, targets } = encode(drawDigits(rng, options.batch));
      const [loss, grads] = model.lossAndGrad(params, tokens, targets);
      opt.step(params, grads);
      losses.push(loss);
      total += loss;
      bar?.update(s + 1, `loss ${(total / (s + 1)).toFixed(4)}`);
    }
    rounds.push(total / count);
  }
  const seconds = (performance.now() - start) / 1e3;
  const test = drawDigits(new Rng(options.seed + 1000), 1000, true);
  return { model, params, losses, rounds, seconds, exact: exactMatch(model, params, test).rate, tested: test.length };
}

/** The parameters as a flat object of tensors (blocks numbered) for the checkpoint. */
export function flatten(p: Gpt): Record<string, Tensor> {
  const out: Record<string, Tensor> = { embed: p.embed, position: p.position, norm: p.norm, shift: p.shift, out: p.out };
  p.blocks.forEach((b, i) => Object.entries(b).forEach(([k, t]) => (out[`blocks.${i}.${k}`] = t)));
  return out;
}

export function unflatten(flat: Record<string, Tensor>, blocks: number): Gpt {
  const block = (i: number) => Object.fromEntries(Object.entries(flat).filter(([k]) => k.startsWith(`blocks.${i}.`)).map(([k, t]) => [k.split(".")[2], t])) as Block;
  return { embed: flat.embed!, position: flat.position!, norm: flat.norm!, shift: flat.shift!, out: flat.out!, blocks: Array.from({ length: blocks }, (_, i) => block(i)) };
}

async function main(): Promise<void> {
  console.log(`Transformer reversing ${DIGITS} digits: ${DEFAULTS.blocks} blocks of causal attention, width ${WIDTH}, MLP ${HIDDEN}; ` +
    `Adam lr ${DEFAULTS.lr} (warm-up, cosine), batch ${DEFAULTS.batch}, ${DEFAULTS.steps} steps, seed ${DEFAULTS.seed}; adc's gradient`);
  const r = await train();
  console.log(`trained ${DEFAULTS.steps} steps in ${r.seconds.toFixed(1)} s`);
  console.log(`held-out exact match: ${(100 * r.exact).toFixed(1)}% (${Math.round(r.exact * r.tested)}/${r.tested} strings, greedy decoding)`);
  const svg = path.join(__dirname, "build", "loss.svg");
  fs.mkdirSync(path.dirname(svg), { recursive: true });
  fs.writeFileSync(svg, lossCurveSvg({ steps: r.losses, epochs: r.rounds }, `Transformer reversing digits (adc gradient): held-out exact match ${(100 * r.exact).toFixed(1)}%`));
  saveCheckpoint(CHECKPOINT, flatten(r.params), { exact: r.exact, seconds: r.seconds, steps: DEFAULTS.steps, blocks: DEFAULTS.blocks });
  console.log(`loss curve: ${path.relative(process.cwd(), svg)}; checkpoint: ${path.relative(process.cwd(), CHECKPOINT)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
