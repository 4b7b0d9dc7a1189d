// `npm run bench:dl`: one training step (value and gradient of every parameter), float32, of the CNN
// of examples/cnn (without dropout) at batch 64 on MNIST digits, and of examples/transformer's model
// at batch 64 (bench/dl-transformer.ts); for the CNN:
//   - adc: the gradient adc generates for bench/dl-models.ts (conv2d as im2col + the WASM GEMM);
//   - TF.js 4.22.0, cpu backend: tf.valueAndGrads of the same network (NHWC), in tf.tidy;
//   - jax-js 0.1.25, wasm device: jit(valueAndGrad(loss)) of the same network (its conv is NCHW:
//     the input and filters are transposed once, outside the timed step, and the activations back
//     to NHWC before the dense layer so that the dense weights mean the same).
// All three are checked against each other (adc's gradient is the reference) before anything is
// timed. Then the conv2d kernel's GFLOP/s against the WASM GEMM's at the same FLOPs, and adc's
// memory per step: bytes its arena allocated in the last step and the peak heap. A benchmark, not
// a test. Prints Markdown tables.
import * as os from "node:os";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import type * as JAX from "@jax-js/jax" with { "resolution-mode": "import" };
import { importJaxWasm } from "./peers/jaxjs";
import { Rng, Tensor, arenaStats, conv2d, matmul, randn } from "adc";
import { loadAll } from "../examples/mnist/data";
import { compileWithAdc } from "../examples/common/compile";
import { initCnn } from "../examples/cnn/train";
import type { Cnn } from "./dl-models";
import { type Measurement, measureInterleaved, sinkValue } from "./harness";
import { GPT_BATCH, GPT_FLOPS, adcGpt, gptProblem, jaxjsGpt, tfjsGpt } from "./dl-transformer";

const TIME = Number(process.env.ADC_BENCH_TIME ?? 2);
const BATCH = 64;
const KEYS = ["conv1", "bias1", "conv2", "bias2", "dense", "bias3", "out", "bias4"] as const;
const TOLERANCE = 1e-3;

type Grads = Record<(typeof KEYS)[number], ArrayLike<number>>;
type Step = () => [number, Grads];

/** FLOPs of one step: forward convolutions and dense layers, ×3 for forward + backward. */
const FLOPS = 3 * 2 * BATCH * (28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 1568 * 128 + 128 * 10);

function gap(a: Record<string, ArrayLike<number>>, b: Record<string, ArrayLike<number>>, la: number, lb: number): number {
  let worst = Math.abs(la - lb) / Math.max(1, Math.abs(lb));
  for (const k of Object.keys(b)) {
    const x = a[k];
    const y = b[k]!;
    if (!x || x.length !== y.length) return Infinity;
    let scale = 1e-30;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / scale);
  }
  return worst;
}

interface Problem {
  readonly params: Cnn;
  readonly x: Tensor;
  readonly labels: Int32Array;
}

function problem(): Problem {
  const [xs, ys] = loadAll();
  const rng = new Rng(5);
  const params = initCnn(rng);
  params.bias1 = randn([16], { rng, std: 0.05 });
  params.bias2 = randn([32], { rng, std: 0.05 });
  params.bias3 = randn([128], { rng, std: 0.05 });
  const x = new Tensor(xs.data.slice(0, BATCH * 784), [BATCH, 28, 28, 1]);
  return { params, x, labels: ys.slice(0, BATCH) };
}

async function tfjs(pr: Problem): Promise<{ name: string; step: Step }> {
  const tf: typeof TF = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}, not cpu`);
  const x = tf.tensor4d(pr.x.data as Float32Array, [BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(pr.labels, "int32"), 10).toFloat();
  const ps = KEYS.map((k) => tf.tensor(pr.params[k].data as Float32Array, [...pr.params[k].shape]));
  const loss = (c1: TF.Tensor, b1: TF.Tensor, c2: TF.Tensor, b2: TF.Tensor, d: TF.Tensor, b3: TF.Tensor, o: TF.Tensor, b4: TF.Tensor): TF.Scalar => {
    const h1 = tf.maxPool(tf.relu(tf.conv2d(x, c1 as TF.Tensor4D, 1, "same").add(b1)) as TF.Tensor4D, 2, 2, "valid");
    const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, c2 as TF.Tensor4D, 1, "same").add(b2)) as TF.Tensor4D, 2, 2, "valid");
    const h3 = tf.relu(h2.reshape([BATCH, 1568]).matMul(d as TF.Tensor2D).add(b3)) as TF.Tensor2D;
    return tf.losses.softmaxCrossEntropy(y, h3.matMul(o as TF.Tensor2D).add(b4));
  };
  const vg = tf.valueAndGrads(loss as (...a: TF.Tensor[]) => TF.Scalar);
  return {
    name: `TF.js ${tf.version_core} cpu`,
    step: () => {
      let out!: [number, Grads];
      tf.tidy(() => {
        const { value, grads } = vg(ps);
        const g = grads.map((t) => t.dataSync());
        out = [value.dataSync()[0]!, Object.fromEntries(KEYS.map((k, i) => [k, g[i]!])) as unknown as Grads];
      });
      return out;
    },
  };
}

async function jaxjs(pr: Problem): Promise<{ name: string; step: Step; dispose: () => void }> {
  const jax = await importJaxWasm();
  const { numpy: np, nn, lax } = jax;
  type A = JAX.Array;
  type P = Record<(typeof KEYS)[number], A>;
  /** 2×2 max pooling of NCHW as a max over the window axes of a reshape. */
  const pool = (h: A, c: number, side: number) => np.max(h.reshape([BATCH, c, side / 2, 2, side / 2, 2]), [3, 5]);
  const bias = (b: A, c: number) => b.reshape([1, c, 1, 1]);
  const loss = (p: P, x: A, y: A): A => {
    const h1 = pool(nn.relu(lax.conv(x, p.conv1, [1, 1], "SAME").add(bias(p.bias1, 16))), 16, 28);
    const h2 = pool(nn.relu(lax.conv(h1, p.conv2, [1, 1], "SAME").add(bias(p.bias2, 32))), 32, 14);
    const flat = np.transpose(h2, [0, 2, 3, 1]).reshape([BATCH, 1568]);
    const h3 = nn.relu(np.matmul(flat, p.dense).add(p.bias3));
    const logits = np.matmul(h3, p.out).add(p.bias4);
    return np.mean(np.sum(nn.logSoftmax(logits, -1).mul(y), -1)).mul(-1);
  };
  const f = jax.jit(jax.valueAndGrad(loss));
  const arr = (t: Tensor, shape = [...t.shape]) => np.array(t.data as Float32Array, { shape, dtype: np.float32 });
  // HWIO filters → OIHW, NHWC images → NCHW: once, outside the step.
  const oihw = (t: Tensor) => np.transpose(arr(t), [3, 2, 0, 1]);
  const p: P = {
    conv1: oihw(pr.params.conv1), bias1: arr(pr.params.bias1), conv2: oihw(pr.params.conv2), bias2: arr(pr.params.bias2),
    dense: arr(pr.params.dense), bias3: arr(pr.params.bias3), out: arr(pr.params.out), bias4: arr(pr.params.bias4),
  };
  const x = np.transpose(arr(pr.x), [0, 3, 1, 2]);
  const onehot = new Float32Array(BATCH * 10);
  pr.labels.forEach((k, i) => (onehot[i * 10 + k] = 1));
  const y = np.array(onehot, { shape: [BATCH, 10], dtype: np.float32 });
  /** OIHW gradients back to HWIO, to compare with adc's. */
  const hwio = (a: A) => np.transpose(a, [2, 3, 1, 0]).dataSync();
  return {
    name: "jax-js 0.1.25 wasm jit",
    step: () => {
      const refs = Object.fromEntries(KEYS.map((k) => [k, p[k].ref])) as P;
      const [v, gr] = f(refs, x.ref, y.ref) as unknown as [A, P];
      return [v.item(), {
        conv1: hwio(gr.conv1), bias1: gr.bias1.dataSync(), conv2: hwio(gr.conv2), bias2: gr.bias2.dataSync(),
        dense: gr.dense.dataSync(), bias3: gr.bias3.dataSync(), out: gr.out.dataSync(), bias4: gr.bias4.dataSync(),
      }];
    },
    dispose: () => f.dispose(),
  };
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split("\n")[0]!.slice(0, 140);
const fmt = (ns: number) => (ns / 1e6).toFixed(ns < 1e7 ? 2 : 1);

type AnyStep = () => [number, Record<string, ArrayLike<number>>];
type Peer = { name: string; step: AnyStep; dispose?: () => void };

/** Checks every peer against adc's gradient, measures them all side by side, prints the table. */
async function compare(title: string, intro: string, flops: number, adc: AnyStep, peers: [string, () => Promise<Peer>][]): Promise<void> {
  const [refLoss, ref] = adc();
  const impls: { name: string; step: AnyStep; gap: number }[] = [{ name: "adc valueAndGrad", step: adc, gap: 0 }];
  const missing: string[] = [];
  const disposers: (() => void)[] = [];
  for (const [name, load] of peers) {
    try {
      const peer = await load();
      if (peer.dispose) disposers.push(peer.dispose);
      const [l, gr] = peer.step();
      const e = gap(gr, ref, l, refLoss);
      if (!(e <= TOLERANCE)) throw new Error(`${peer.name} disagrees with adc's gradient (relative gap ${e.toExponential(2)})`);
      impls.push({ name: peer.name, step: peer.step, gap: e });
    } catch (e) {
      missing.push(`${name}: ${firstLine(e)}`);
    }
  }
  process.stderr.write(`measuring ${title}: ${impls.map((i) => i.name).join(", ")}\n`);
  const ms = await measureInterleaved(impls.map((i) => ({ name: i.name, body: () => i.step()[0] })), { warmup: 1, time: TIME, minBatches: 5 });
  disposers.forEach((d) => d());
  const jax = ms[impls.findIndex((i) => i.name.startsWith("jax-js"))];
  console.log(`\n## ${title} (issue 11)\n`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, single thread, float32; ${intro}; value + gradient of every parameter per call; ` +
    `GFLOP/s from the CPU time and ${(flops / 1e6).toFixed(0)} MFLOP per step.\n`);
  console.log("| implementation | CPU ms / step | (IQR) | wall ms | GFLOP/s | × jax-js jit | gap to adc |");
  console.log("|:---|---:|---:|---:|---:|---:|---:|");
  impls.forEach((impl, k) => {
    const m: Measurement = ms[k]!;
    const ratio = jax ? `${(m.cpu / jax.cpu).toFixed(2)}×` : "";
    console.log(`| ${impl.name} | ${fmt(m.cpu)} | ${fmt(m.cpuQ1)}–${fmt(m.cpuQ3)} | ${fmt(m.ns)} | ${(flops / m.cpu).toFixed(2)} | ${ratio} | ${impl.gap === 0 ? "0 (reference)" : impl.gap.toExponential(1)} |`);
  });
  for (const m of missing) console.log(`| ${m} | n/a | | | | | |`);
}

async function main(): Promise<void> {
  const pr = problem();
  const model = await compileWithAdc<{ cnnLossAndGrad: (p: Cnn, x: Tensor, labels: Int32Array) => [number, Cnn] }>(path.join(__dirname, "dl-models.ts"));
  const adc: Step = () => {
    const [l, g] = model.cnnLossAndGrad(pr.params, pr.x, pr.labels);
    return [l, Object.fromEntries(KEYS.map((k) => [k, g[k].data])) as unknown as Grads];
  };
  const only = process.env.ADC_BENCH_ONLY;
  if (only !== "transformer") {
    await compare(`CNN training step, batch ${BATCH}`, "conv 3×3×16, pool, conv 3×3×32, pool, dense 128, 10 on MNIST digits", FLOPS, adc, [
      ["TF.js cpu", () => tfjs(pr)],
      ["jax-js wasm jit", () => jaxjs(pr)],
    ]);
  }
  if (only !== "cnn") {
    const gp = gptProblem();
    await compare(`Transformer training step, batch ${GPT_BATCH}`, "examples/transformer's model: 2 blocks, width 32, causal attention over 10 positions, MLP 64, vocabulary 11",
      GPT_FLOPS, await adcGpt(gp), [
        ["TF.js cpu", () => tfjsGpt(gp)],
        ["jax-js wasm jit", () => jaxjsGpt(gp)],
      ]);
  }

  // The conv2d kernel against the GEMM at the same FLOPs: the CNN's second layer, and a GEMM of
  // that layer's own im2col shape and a square one.
  const h = randn([BATCH, 14, 14, 16], { seed: 1 });
  const w = randn([3, 3, 16, 32], { seed: 2 });
  const convFlops = 2 * BATCH * 14 * 14 * 32 * 16 * 9;
  const side = Math.round(Math.cbrt(convFlops / 2));
  const a1 = randn([BATCH * 196, 144], { seed: 3 });
  const b1 = randn([144, 32], { seed: 4 });
  const a2 = randn([side, side], { seed: 5 });
  const b2 = randn([side, side], { seed: 6 });
  const kernels = await measureInterleaved([
    { name: "conv2d", body: () => conv2d(h, w, 1, 1).data[0]! },
    { name: "gemm same shape", body: () => matmul(a1, b1).data[0]! },
    { name: "gemm square", body: () => matmul(a2, b2).data[0]! },
  ], { warmup: 0.5, time: TIME / 2, minBatches: 7 });
  console.log(`\n### conv2d kernel against the WASM GEMM\n`);
  console.log(`conv2d [${BATCH},14,14,16] * [3,3,16,32], padding 1 (${(convFlops / 1e6).toFixed(1)} MFLOP) vs the GEMM [${BATCH * 196},144]·[144,32] it runs on and a square ${side}³ GEMM (${((2 * side ** 3) / 1e6).toFixed(1)} MFLOP).\n`);
  console.log("| kernel | CPU ms | GFLOP/s |");
  console.log("|:---|---:|---:|");
  const kflops = [convFlops, 2 * BATCH * 196 * 144 * 32, 2 * side ** 3];
  kernels.forEach((m, i) => console.log(`| ${["conv2d (im2col + GEMM)", "GEMM, im2col shape", "GEMM, square"][i]} | ${fmt(m.cpu)} | ${(kflops[i]! / m.cpu).toFixed(2)} |`));

  const stats = arenaStats(model.cnnLossAndGrad) ?? { calls: 0, bytesHeld: 0, bytesAllocatedLastCall: 0 };
  const mem = process.memoryUsage();
  console.log(`\n### adc's memory per step\n`);
  console.log(`arena: ${stats.calls} calls, ${(stats.bytesHeld / 2 ** 20).toFixed(1)} MiB of buffers held and reused, ` +
    `${stats.bytesAllocatedLastCall} bytes allocated by the last step (besides the returned gradient, ${(KEYS.reduce((s, k) => s + pr.params[k].size, 0) * 4 / 2 ** 20).toFixed(2)} MiB); ` +
    `process heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB used, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MiB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`);
  console.log(`\n(sink ${sinkValue().toPrecision(6)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
