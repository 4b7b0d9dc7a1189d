// `npm run bench` (third part): one training-step gradient of the MLP 784-128-10 (relu, softmax
// cross-entropy over integer labels, float32), the value and the gradient of all four parameters,
// at batch 64 and 256:
//   - hand-written: examples/mlp/hand.ts (the runtime's WASM matmul, matmulTransA/B, fused loops);
//   - adc: the gradient adc generates for examples/mlp/model.ts (n/a while adc refuses it);
//   - TF.js 4.22.0, cpu backend: tf.valueAndGrads of tf.losses.softmaxCrossEntropy, in tf.tidy;
//   - jax-js 0.1.25, wasm device: jit(valueAndGrad(loss)) over a {w1, b1, w2, b2} pytree.
// Every implementation returns the loss and the four gradients as numbers a training loop can use
// (the peers read theirs back with dataSync), and all of them are checked against the hand-written
// gradient before anything is timed. FLOPs per step: 2·B·(784·128 + 128·10)·3 (the usual "forward
// + twice that backward"; the backward pass needs no gradient of the input, so the matmuls
// actually do 2·B·(784·128·2 + 128·10·3)). A benchmark, not a test: it asserts correctness, never
// speed. Prints a Markdown table.
import * as os from "node:os";
import type * as TF from "@tensorflow/tfjs";
import type * as JAX from "@jax-js/jax" with { "resolution-mode": "import" };
import { importJaxWasm } from "./peers/jaxjs";
import { Rng, Tensor, randn } from "adc";
import { compileAdcGradient } from "../examples/mlp/gradient";
import { type Mlp, initMlp, lossAndGradHand } from "../examples/mlp/hand";
import { loadAll } from "../examples/mnist/data";
import { type Measurement, measureInterleaved, sinkValue } from "./harness";

const TIME = Number(process.env.ADC_BENCH_TIME ?? 0.6);
const BATCHES = [64, 256];
const KEYS = ["w1", "b1", "w2", "b2"] as const;
/** The largest relative gap to the hand-written gradient a float32 implementation may have. */
const TOLERANCE = 1e-4;

type Grads = Record<(typeof KEYS)[number], ArrayLike<number>>;
/** One gradient evaluation: the loss and the four gradients, as numbers. */
type Step = () => [number, Grads];

interface Problem {
  readonly batch: number;
  readonly params: Mlp;
  readonly x: Tensor;
  readonly labels: Int32Array;
}

interface Row {
  readonly batch: number;
  readonly impl: string;
  readonly m?: Measurement;
  readonly na?: string;
  readonly gap?: number;
}

function flops(batch: number): number {
  return 2 * batch * (784 * 128 + 128 * 10) * 3;
}

/** The first `batch` MNIST digits (real inputs: relu sparsity as in training), seeded parameters. */
function problem(batch: number, all: [Tensor, Int32Array]): Problem {
  const [xs, ys] = all;
  const rng = new Rng(5);
  const params = initMlp(784, 128, 10, rng);
  params.b1 = randn([128], { rng, std: 0.1 });
  params.b2 = randn([10], { rng, std: 0.1 });
  const x = new Tensor(xs.data.slice(0, batch * 784), [batch, 784]);
  return { batch, params, x, labels: ys.slice(0, batch) };
}

function gap(a: Grads, b: Grads, la: number, lb: number): number {
  let worst = Math.abs(la - lb) / Math.max(1, Math.abs(lb));
  for (const k of KEYS) {
    const x = a[k];
    const y = b[k];
    if (x.length !== y.length) return Infinity;
    let scale = 1e-30;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / scale);
  }
  return worst;
}

const tensorStep = (f: (p: Mlp, x: Tensor, labels: Int32Array) => [number, Mlp], pr: Problem): Step => () => {
  const [loss, g] = f(pr.params, pr.x, pr.labels);
  return [loss, { w1: g.w1.data, b1: g.b1.data, w2: g.w2.data, b2: g.b2.data }];
};

async function tfjs(): Promise<{ name: string; step: (pr: Problem) => Step }> {
  const tf: typeof TF = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}, not cpu`);
  return {
    name: `TF.js ${tf.version_core} cpu`,
    step: (pr) => {
      const x = tf.tensor2d(pr.x.data as Float32Array, [pr.batch, 784]);
      const y = tf.oneHot(tf.tensor1d(pr.labels, "int32"), 10).toFloat();
      const ps = KEYS.map((k) => tf.tensor(pr.params[k].data as Float32Array, [...pr.params[k].shape]));
      const loss = (w1: TF.Tensor, b1: TF.Tensor, w2: TF.Tensor, b2: TF.Tensor): TF.Scalar =>
        tf.losses.softmaxCrossEntropy(y, tf.relu(x.matMul(w1 as TF.Tensor2D).add(b1)).matMul(w2 as TF.Tensor2D).add(b2));
      const vg = tf.valueAndGrads(loss as (...a: TF.Tensor[]) => TF.Scalar);
      return () => {
        let out!: [number, Grads];
        tf.tidy(() => {
          const { value, grads } = vg(ps);
          const [w1, b1, w2, b2] = grads.map((g) => g.dataSync());
          out = [value.dataSync()[0]!, { w1: w1!, b1: b1!, w2: w2!, b2: b2! }];
        });
        return out;
      };
    },
  };
}

async function jaxjs(): Promise<{ name: string; step: (pr: Problem) => Step; dispose: () => void }> {
  const jax = await importJaxWasm();
  const { numpy: np, nn } = jax;
  type A = JAX.Array;
  type P = { w1: A; b1: A; w2: A; b2: A };
  // Every array is used once here, so no `.ref` is needed inside (jax-js's move semantics).
  const loss = (p: P, x: A, y: A): A => {
    const h = nn.relu(np.matmul(x, p.w1).add(p.b1));
    const logits = np.matmul(h, p.w2).add(p.b2);
    return np.mean(np.sum(nn.logSoftmax(logits, -1).mul(y), -1)).mul(-1);
  };
  const jitted: { dispose(): void }[] = [];
  return {
    name: "jax-js 0.1.25 wasm jit",
    step: (pr) => {
      const f = jax.jit(jax.valueAndGrad(loss));
      jitted.push(f);
      const arr = (t: Tensor) => np.array(t.data as Float32Array, { shape: [...t.shape], dtype: np.float32 });
      const p: P = { w1: arr(pr.params.w1), b1: arr(pr.params.b1), w2: arr(pr.params.w2), b2: arr(pr.params.b2) };
      const onehot = new Float32Array(pr.batch * 10);
      pr.labels.forEach((k, i) => (onehot[i * 10 + k] = 1));
      const x = arr(pr.x);
      const y = np.array(onehot, { shape: [pr.batch, 10], dtype: np.float32 });
      return () => {
        // The call consumes its arguments: pass new references; dataSync reads and frees each result.
        const [v, gr] = f({ w1: p.w1.ref, b1: p.b1.ref, w2: p.w2.ref, b2: p.b2.ref }, x.ref, y.ref) as unknown as [A, P];
        return [v.item(), { w1: gr.w1.dataSync(), b1: gr.b1.dataSync(), w2: gr.w2.dataSync(), b2: gr.b2.dataSync() }];
      };
    },
    dispose: () => jitted.forEach((j) => j.dispose()),
  };
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split("\n")[0]!.slice(0, 120);

async function main(): Promise<void> {
  const progress = (what: string) => process.stderr.write(`measuring ${what}\n`);
  const all = loadAll();
  const adc = await compileAdcGradient();
  const peers: { name: string; step: (pr: Problem) => Step }[] = [];
  const unavailable: Row[] = [];
  let disposeJax = () => {};
  for (const [name, load] of [
    ["TF.js cpu", tfjs],
    ["jax-js wasm jit", jaxjs],
  ] as const) {
    try {
      const peer = await load();
      peers.push(peer);
      if ("dispose" in peer) disposeJax = peer.dispose as () => void;
    } catch (e) {
      unavailable.push({ batch: 0, impl: name, na: firstLine(e) });
    }
  }

  const rows: Row[] = [];
  for (const batch of BATCHES) {
    const pr = problem(batch, all);
    const hand = tensorStep(lossAndGradHand, pr);
    const [refLoss, ref] = hand();
    const check = (name: string, step: Step): number => {
      const [l, g] = step();
      const e = gap(g, ref, l, refLoss);
      if (!(e <= TOLERANCE)) {
        console.error(`bench/mlp: ${name} at batch ${batch} disagrees with the hand-written gradient (relative gap ${e})`);
        process.exit(1);
      }
      return e;
    };
    // All of them interleaved batch by batch, so the shared machine's ups and downs hit them alike.
    const impls: { name: string; step: Step }[] = [{ name: "hand-written (runtime kernels)", step: hand }];
    if (typeof adc === "function") impls.push({ name: "adc valueAndGrad", step: tensorStep(adc, pr) });
    for (const peer of peers) impls.push({ name: peer.name, step: peer.step(pr) });
    const gaps = impls.map((i) => check(i.name, i.step));
    progress(`batch ${batch}: ${impls.map((i) => i.name).join(", ")}`);
    const ms = await measureInterleaved(
      impls.map((i) => ({ name: i.name, body: () => i.step()[0] })),
      { warmup: 0.3, time: TIME, minBatches: 9 },
    );
    impls.forEach((i, k) => rows.push({ batch, impl: i.name, m: ms[k], gap: gaps[k] }));
    if (typeof adc !== "function") {
      rows.splice(rows.length - peers.length, 0, { batch, impl: "adc valueAndGrad", na: `n/a: adc refuses model.ts (${adc.refused.replace(/^.*error /, "").split(";")[0]})` });
    }
    rows.push(...unavailable.map((r) => ({ ...r, batch })));
  }
  disposeJax();

  const fmt = (ns: number) => (ns / 1e6).toFixed(ns < 1e7 ? 2 : 1);
  console.log(`\n## MLP 784-128-10 training step (issue 5)\n`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, single thread, float32; ` +
    `value + gradient of all parameters per call; GFLOP/s from the CPU time and 2·B·(784·128 + 128·10)·3 FLOPs.\n`);
  console.log("| batch | implementation | CPU ms / step | (IQR) | wall ms | GFLOP/s | × jax-js jit | gap to hand-written |");
  console.log("|---:|:---|---:|---:|---:|---:|---:|---:|");
  for (const batch of BATCHES) {
    const jax = rows.find((r) => r.batch === batch && r.impl.startsWith("jax-js") && r.m)?.m;
    for (const r of rows.filter((x) => x.batch === batch)) {
      if (!r.m) {
        console.log(`| ${batch} | ${r.impl} | ${r.na} | | | | | |`);
        continue;
      }
      const gf = flops(batch) / r.m.cpu;
      const ratio = jax ? `${(r.m.cpu / jax.cpu).toFixed(2)}×` : "";
      const g = r.gap === 0 ? "0 (reference)" : (r.gap ?? 0).toExponential(1);
      console.log(`| ${batch} | ${r.impl} | ${fmt(r.m.cpu)} | ${fmt(r.m.cpuQ1)}–${fmt(r.m.cpuQ3)} | ${fmt(r.m.ns)} | ${gf.toFixed(2)} | ${ratio} | ${g} |`);
    }
  }
  console.log(`\n(sink ${sinkValue().toPrecision(6)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
