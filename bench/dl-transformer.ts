// The transformer half of `npm run bench:dl`: one training step of examples/transformer's model
// (2 blocks, width 32, causal single-head attention, gelu MLP of 64, vocabulary 11, 10 positions)
// at batch 64, by adc (the model's generated gradient), TF.js cpu (the same network with tf ops:
// gather, moments, matMul, a −1e9 causal mask, a tanh gelu) and jax-js jit (one-hot
// rows times the embedding — jit cannot differentiate np.take —, nn.standardize, matmul attention with the same mask — its dotProductAttention needs einsum,
// which fails on Node 20 — and nn.gelu), gradients checked against adc's.
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import type * as JAX from "@jax-js/jax" with { "resolution-mode": "import" };
import { importJaxWasm } from "./peers/jaxjs";
import { Rng, type Tensor } from "adc";
import { compileWithAdc } from "../examples/common/compile";
import { initGpt, flatten } from "../examples/transformer/train";
import { READ, VOCABULARY, drawDigits, encode } from "../examples/transformer/data";
import type { Gpt } from "../examples/transformer/model";

export const GPT_BATCH = 64;
const D = 32;
const T = READ;
const BLOCK_KEYS = ["norm1", "shift1", "query", "key", "value", "mix", "norm2", "shift2", "up", "upBias", "down", "downBias"] as const;

export type FlatGrads = Record<string, ArrayLike<number>>;
export type GptStep = () => [number, FlatGrads];

export interface GptProblem {
  readonly params: Gpt;
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
}

export function gptProblem(): GptProblem {
  const rng = new Rng(9);
  const params = initGpt(rng, 2);
  const { tokens, targets } = encode(drawDigits(rng, GPT_BATCH));
  return { params, tokens, targets };
}

/** FLOPs of one step: the products of every block and the output, ×3 for forward + backward. */
export const GPT_FLOPS = 3 * 2 * GPT_BATCH * T * (2 * (4 * D * D + 2 * D * 64 + 2 * T * D) + D * VOCABULARY);

const flat = (g: Record<string, Tensor>): FlatGrads => Object.fromEntries(Object.entries(g).map(([k, t]) => [k, t.data]));

export async function adcGpt(pr: GptProblem): Promise<GptStep> {
  const model = await compileWithAdc<{ lossAndGrad: (p: Gpt, tokens: Int32Array, targets: Int32Array) => [number, Gpt] }>(
    path.join(__dirname, "../examples/transformer/model.ts"),
  );
  return () => {
    const [l, g] = model.lossAndGrad(pr.params, pr.tokens, pr.targets);
    return [l, flat(flatten(g))];
  };
}

/** One-hot rows of the targets, zero rows where there is none, and how many there are. */
function targetRows(targets: Int32Array): { rows: Float32Array; count: number } {
  const rows = new Float32Array(targets.length * VOCABULARY);
  let count = 0;
  targets.forEach((k, i) => {
    if (k >= 0) {
      rows[i * VOCABULARY + k] = 1;
      count++;
    }
  });
  return { rows, count };
}

export async function tfjsGpt(pr: GptProblem): Promise<{ name: string; step: GptStep }> {
  const tf: typeof TF = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();
  const names = Object.keys(flatten(pr.params));
  const tensors = Object.values(flatten(pr.params)).map((t) => tf.tensor(t.data as Float32Array, [...t.shape]));
  const tokens = tf.tensor1d(pr.tokens, "int32");
  const { rows, count } = targetRows(pr.targets);
  const y = tf.tensor2d(rows, [pr.targets.length, VOCABULARY]);
  const future = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) future[i * T + j] = -1e9;
  const mask = tf.tensor2d(future, [T, T]);
  const norm = (x: TF.Tensor, g: TF.Tensor, b: TF.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
  };
  const gelu = (x: TF.Tensor) => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));
  const mm = (x: TF.Tensor, w: TF.Tensor) => x.reshape([-1, x.shape[x.rank - 1]!]).matMul(w as TF.Tensor2D).reshape([...x.shape.slice(0, -1), w.shape[1]!]);
  const loss = (...ps: TF.Tensor[]): TF.Scalar => {
    const p = Object.fromEntries(names.map((n, i) => [n, ps[i]!]));
    let h = tf.gather(p.embed!, tokens).reshape([GPT_BATCH, T, D]).add(p.position!);
    for (let i = 0; i < 2; i++) {
      const b = (k: string) => p[`blocks.${i}.${k}`]!;
      const a = norm(h, b("norm1"), b("shift1"));
      const scores = tf.matMul(mm(a, b("query")), mm(a, b("key")), false, true).mul(1 / Math.sqrt(D)).add(mask);
      h = h.add(mm(tf.matMul(tf.softmax(scores), mm(a, b("value"))), b("mix")));
      const m = norm(h, b("norm2"), b("shift2"));
      h = h.add(mm(gelu(mm(m, b("up")).add(b("upBias"))), b("down")).add(b("downBias")));
    }
    const logits = mm(norm(h, p.norm!, p.shift!), p.out!).reshape([-1, VOCABULARY]);
    return tf.logSoftmax(logits).mul(y).sum().mul(-1 / count) as TF.Scalar;
  };
  const vg = tf.valueAndGrads(loss);
  return {
    name: `TF.js ${tf.version_core} cpu`,
    step: () => {
      let out!: [number, FlatGrads];
      tf.tidy(() => {
        const { value, grads } = vg(tensors);
        out = [value.dataSync()[0]!, Object.fromEntries(names.map((n, i) => [n, grads[i]!.dataSync()]))];
      });
      return out;
    },
  };
}

export async function jaxjsGpt(pr: GptProblem): Promise<{ name: string; step: GptStep; dispose: () => void }> {
  const jax = await importJaxWasm();
  const { numpy: np, nn } = jax;
  type A = JAX.Array;
  type Block = Record<(typeof BLOCK_KEYS)[number], A>;
  type P = { embed: A; position: A; norm: A; shift: A; out: A; blocks: Block[] };
  // Every array is consumed by its use (jax-js's move semantics): one used again is passed as `.ref`.
  const norm = (x: A, gain: A, shift: A) => nn.standardize(x, -1, { epsilon: 1e-5 }).mul(gain).add(shift);
  const mask = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
  const future = np.array(mask, { shape: [T, T], dtype: np.float32 });
  const loss = (p: P, tokens: A, y: A, scale: A): A => {
    // The embedding as a product with one-hot rows: jit cannot differentiate np.take (its scatter).
    let h = np.matmul(tokens, p.embed).reshape([GPT_BATCH, T, D]).add(p.position);
    for (const b of p.blocks) {
      const a = norm(h.ref, b.norm1, b.shift1);
      // nn.dotProductAttention needs einsum, which fails on Node 20: the same with matmul.
      const q = np.matmul(a.ref, b.query);
      const k = np.matmul(a.ref, b.key);
      const v = np.matmul(a, b.value);
      const scores = np.matmul(q, np.transpose(k, [0, 2, 1])).mul(1 / Math.sqrt(D)).add(future.ref);
      h = h.add(np.matmul(np.matmul(nn.softmax(scores, -1), v), b.mix));
      const m = norm(h.ref, b.norm2, b.shift2);
      h = h.add(np.matmul(nn.gelu(np.matmul(m, b.up).add(b.upBias)), b.down).add(b.downBias));
    }
    const logits = np.matmul(norm(h, p.norm, p.shift), p.out).reshape([GPT_BATCH * T, VOCABULARY]);
    return np.sum(nn.logSoftmax(logits, -1).mul(y)).mul(scale);
  };
  const f = jax.jit(jax.valueAndGrad(loss));
  const arr = (t: Tensor) => np.array(t.data as Float32Array, { shape: [...t.shape], dtype: np.float32 });
  const p: P = {
    embed: arr(pr.params.embed), position: arr(pr.params.position), norm: arr(pr.params.norm), shift: arr(pr.params.shift), out: arr(pr.params.out),
    blocks: pr.params.blocks.map((b) => Object.fromEntries(BLOCK_KEYS.map((k) => [k, arr(b[k])])) as Block),
  };
  const oneHot = new Float32Array(pr.tokens.length * VOCABULARY);
  pr.tokens.forEach((k, i) => (oneHot[i * VOCABULARY + k] = 1));
  const tokens = np.array(oneHot, { shape: [pr.tokens.length, VOCABULARY], dtype: np.float32 });
  const { rows, count } = targetRows(pr.targets);
  const y = np.array(rows, { shape: [pr.targets.length, VOCABULARY], dtype: np.float32 });
  const scale = np.array(new Float32Array([-1 / count]), { shape: [], dtype: np.float32 });
  const refs = (q: P): P => ({
    embed: q.embed.ref, position: q.position.ref, norm: q.norm.ref, shift: q.shift.ref, out: q.out.ref,
    blocks: q.blocks.map((b) => Object.fromEntries(BLOCK_KEYS.map((k) => [k, b[k].ref])) as Block),
  });
  return {
    name: "jax-js 0.1.25 wasm jit",
    step: () => {
      const [v, gr] = f(refs(p), tokens.ref, y.ref, scale.ref) as unknown as [A, P];
      const out: FlatGrads = { embed: gr.embed.dataSync(), position: gr.position.dataSync(), norm: gr.norm.dataSync(), shift: gr.shift.dataSync(), out: gr.out.dataSync() };
      gr.blocks.forEach((b, i) => BLOCK_KEYS.forEach((k) => (out[`blocks.${i}.${k}`] = b[k].dataSync())));
      return [v.item(), out];
    },
    dispose: () => f.dispose(),
  };
}
