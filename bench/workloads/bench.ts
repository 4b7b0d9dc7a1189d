// The GMM and LSTM benchmark of issue 3: for each size, the objective's time, the hand-written
// gradient's time and their ratio, and the same for any other gradient implementations plugged in
// (adc's, once it compiles these objectives), all measured in one run, interleaved batch by batch.
// A benchmark, not a test: it asserts correctness (every extra implementation must agree with the
// hand-written gradient to 1e-8), never speed.
//
//   npx tsx bench/workloads/bench.ts           # standalone: objective and hand-written gradient
//
//   import { benchWorkloads } from "./workloads/bench";
//   await benchWorkloads([{ name: "adc", gmm: gmmObjective_grad, lstm: lstmObjective_grad }]);
//
// Environment: ADC_BENCH_TIME (seconds timed per implementation and size, default 0.6),
// ADC_BENCH_BATCH (seconds per timed batch, see ../harness.ts), ADC_BENCH_ONLY (GMM, LSTM or a size
// such as "d=2 k=5": only those rows).
import { measureInterleaved, sinkValue, type Body, type Measurement } from "../harness";
import { GMM_SIZES, LSTM_SIZES, gmmInput, lstmInput, type GmmInput, type LstmInput } from "./data";
import { gmmObjective } from "./gmm";
import { gmmGradient } from "./gmm-grad";
import { lstmObjective } from "./lstm";
import { lstmGradient } from "./lstm-grad";

/** A GMM gradient with gmmGradient's signature (w.r.t. alpha, means, q, l). */
export type GmmGradientFn = (
  alpha: Float64Array,
  means: Float64Array,
  q: Float64Array,
  l: Float64Array,
  x: Float64Array,
  gamma: number,
  m: number,
  d: number,
  k: number,
  n: number,
) => { alpha: Float64Array; means: Float64Array; q: Float64Array; l: Float64Array };

/** An LSTM gradient with lstmGradient's signature (w.r.t. main, extra). */
export type LstmGradientFn = (
  main: Float64Array,
  extra: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  l: number,
  c: number,
  b: number,
) => { main: Float64Array; extra: Float64Array };

/** Another gradient implementation to time against the hand-written one (either may be absent). */
export interface GradientImplementation {
  readonly name: string;
  readonly gmm?: GmmGradientFn;
  readonly lstm?: LstmGradientFn;
  /** The most tape memory one call holds, in bytes, given a way to make the call. */
  readonly tapeBytes?: (call: () => void) => number;
}

export interface Timed {
  readonly name: string;
  readonly time: Measurement;
  /** Gradient time ÷ objective time (CPU time). */
  readonly ratio: number;
  /** Largest relative disagreement with the hand-written gradient (0 for the hand-written row). */
  readonly maxError: number;
  /** Peak tape bytes of one call, when the implementation reports it. */
  readonly tapeBytes?: number;
}

export interface WorkloadResult {
  readonly workload: "GMM" | "LSTM";
  /** e.g. "d=10 k=25 n=1000" or "l=2 c=1024". */
  readonly size: string;
  readonly objective: Measurement;
  /** The hand-written gradient first, then the extra implementations in the order given. */
  readonly gradients: readonly Timed[];
}

export interface WorkloadBenchOptions {
  /** Seconds timed per implementation and size (default ADC_BENCH_TIME or 0.6). */
  readonly time?: number;
  /** Print the Markdown table to stdout when done (default true). */
  readonly print?: boolean;
}

/** Agreement required of every extra implementation with the hand-written gradient. */
const TOLERANCE = 1e-8;

/**
 * The disagreement of two gradients, block by block (each parameter array): max_j |a_j − b_j| /
 * max_j |b_j|, the largest over the blocks. A length mismatch is an infinite error.
 */
export function gradientDisagreement(
  actual: Readonly<Record<string, Float64Array>>,
  expected: Readonly<Record<string, Float64Array>>,
): number {
  let worst = 0;
  for (const key of Object.keys(expected)) {
    const a = actual[key];
    const b = expected[key]!;
    if (!a || a.length !== b.length) return Infinity;
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < b.length; j++) {
      scale = Math.max(scale, Math.abs(b[j]!));
      const e = Math.abs(a[j]! - b[j]!);
      diff = Number.isNaN(e) ? Infinity : Math.max(diff, e);
    }
    worst = Math.max(worst, scale === 0 ? diff : diff / scale);
  }
  return worst;
}

function check(name: string, what: string, error: number): void {
  if (!(error <= TOLERANCE)) {
    throw new Error(
      `${name}'s ${what} gradient disagrees with the hand-written one: relative error ${error.toExponential(2)} > ${TOLERANCE}`,
    );
  }
}

const gmmCall = (f: GmmGradientFn, p: GmmInput) => f(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, p.d, p.k, p.n);
const lstmCall = (f: LstmGradientFn, p: LstmInput) => f(p.main, p.extra, p.state, p.sequence, p.l, p.c, p.b);

async function time(objective: Body, gradients: { name: string; body: Body }[], seconds: number) {
  const ms = await measureInterleaved([{ name: "objective", body: objective }, ...gradients], { time: seconds });
  return { objective: ms[0]!, gradients: ms.slice(1) };
}

/**
 * Times the objective and the hand-written gradient of every GMM and LSTM size, with `extras`
 * alongside (an implementation without `gmm` or `lstm` is left out of that workload). Each extra
 * is first checked against the hand-written gradient at that size; a disagreement above 1e-8
 * throws. Returns the results and, unless `print: false`, prints them as a Markdown table.
 */
export async function benchWorkloads(
  extras: readonly GradientImplementation[] = [],
  options: WorkloadBenchOptions = {},
): Promise<WorkloadResult[]> {
  const seconds = options.time ?? Number(process.env.ADC_BENCH_TIME ?? 0.6);
  const results: WorkloadResult[] = [];

  const only = process.env.ADC_BENCH_ONLY;
  const picked = (workload: string, size: string) => !only || workload === only || size.startsWith(only);
  for (const { d, k, n } of GMM_SIZES) {
    if (!picked("GMM", `d=${d} k=${k}`)) continue;
    const p = gmmInput(d, k, n);
    const hand = gmmCall(gmmGradient, p);
    const impls = extras.filter((e) => e.gmm).map((e) => ({ name: e.name, f: e.gmm!, tape: e.tapeBytes }));
    const errors = impls.map(({ name, f }) => {
      const error = gradientDisagreement(gmmCall(f, p), hand);
      check(name, `GMM (d=${d} k=${k} n=${n})`, error);
      return error;
    });
    const tapes = impls.map(({ f, tape }) => tape?.(() => gmmCall(f, p)));
    const grads = [{ name: "hand-written", f: gmmGradient }, ...impls];
    const t = await time(
      () => gmmObjective(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, d, k, n),
      grads.map(({ name, f }) => ({ name, body: () => gmmCall(f, p).alpha[0]! })),
      seconds,
    );
    results.push({
      workload: "GMM",
      size: `d=${d} k=${k} n=${n}`,
      objective: t.objective,
      gradients: grads.map(({ name }, i) => ({
        name,
        time: t.gradients[i]!,
        ratio: t.gradients[i]!.cpu / t.objective.cpu,
        maxError: i === 0 ? 0 : errors[i - 1]!,
        tapeBytes: i === 0 ? undefined : tapes[i - 1],
      })),
    });
  }

  for (const { l, c } of LSTM_SIZES) {
    if (!picked("LSTM", `l=${l} c=${c}`)) continue;
    const p = lstmInput(l, c);
    const hand = lstmCall(lstmGradient, p);
    const impls = extras.filter((e) => e.lstm).map((e) => ({ name: e.name, f: e.lstm!, tape: e.tapeBytes }));
    const errors = impls.map(({ name, f }) => {
      const error = gradientDisagreement(lstmCall(f, p), hand);
      check(name, `LSTM (l=${l} c=${c})`, error);
      return error;
    });
    const tapes = impls.map(({ f, tape }) => tape?.(() => lstmCall(f, p)));
    const grads = [{ name: "hand-written", f: lstmGradient }, ...impls];
    const t = await time(
      () => lstmObjective(p.main, p.extra, p.state, p.sequence, l, c, p.b),
      grads.map(({ name, f }) => ({ name, body: () => lstmCall(f, p).main[0]! })),
      seconds,
    );
    results.push({
      workload: "LSTM",
      size: `l=${l} c=${c}`,
      objective: t.objective,
      gradients: grads.map(({ name }, i) => ({
        name,
        time: t.gradients[i]!,
        ratio: t.gradients[i]!.cpu / t.objective.cpu,
        maxError: i === 0 ? 0 : errors[i - 1]!,
        tapeBytes: i === 0 ? undefined : tapes[i - 1],
      })),
    });
  }

  if (options.print ?? true) {
    console.log(workloadsTable(results));
    console.log(`\n(sink ${sinkValue().toPrecision(3)})`);
  }
  return results;
}

const ms = (m: Measurement): string => (m.cpu / 1e6).toPrecision(3);

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toPrecision(3)} KiB`;
  return `${(n / 1024 / 1024).toPrecision(3)} MiB`;
}

/**
 * The results as a Markdown table: per workload and size, the objective's time, then each
 * gradient's time and ratio to the objective (CPU time, median over batches, in ms), and each extra
 * implementation's disagreement with the hand-written gradient.
 */
export function workloadsTable(results: readonly WorkloadResult[]): string {
  const names: string[] = [];
  for (const r of results) for (const g of r.gradients) if (!names.includes(g.name)) names.push(g.name);
  const head = ["workload", "size", "objective (ms)"];
  for (const name of names) {
    head.push(`${name} (ms)`, `${name} ÷ objective`);
    if (name !== "hand-written") head.push(`${name} max rel. error`);
    if (results.some((r) => r.gradients.some((g) => g.name === name && g.tapeBytes !== undefined))) head.push(`${name} peak tape`);
  }
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i < 2 ? ":---" : "---:")).join("|")}|`];
  for (const r of results) {
    const cells = [r.workload, r.size, ms(r.objective)];
    for (const name of names) {
      const g = r.gradients.find((x) => x.name === name);
      cells.push(g ? ms(g.time) : "n/a", g ? g.ratio.toFixed(2) : "n/a");
      if (name !== "hand-written") cells.push(g ? g.maxError.toExponential(1) : "n/a");
      if (results.some((x) => x.gradients.some((y) => y.name === name && y.tapeBytes !== undefined))) {
        cells.push(g?.tapeBytes !== undefined ? bytes(g.tapeBytes) : "n/a");
      }
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Peak tape of adc's gradients before issue 10 (BENCHMARKS.md, issue 3's final run), in bytes. */
const TAPE_BEFORE: Readonly<Record<string, number>> = {
  "GMM d=2 k=5 n=1000": 563 * 1024,
  "GMM d=10 k=25 n=1000": 8.79 * 1024 * 1024,
  "GMM d=20 k=50 n=1000": 32.8 * 1024 * 1024,
  "GMM d=64 k=10 n=1000": 20.0 * 1024 * 1024,
  "LSTM l=2 c=1024": 2.02 * 1024 * 1024,
  "LSTM l=4 c=1024": 3.79 * 1024 * 1024,
};

/**
 * Issue 10's targets for an implementation (adc): its gradient ÷ objective at most 1.2× the
 * hand-written one's on GMM and 1.1× on LSTM, and its peak tape at most half of what it was before.
 */
export function targetLines(results: readonly WorkloadResult[], name = "adc"): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const hand = r.gradients.find((g) => g.name === "hand-written");
    const impl = r.gradients.find((g) => g.name === name);
    if (!hand || !impl) continue;
    const bound = r.workload === "GMM" ? 1.2 : 1.1;
    const rel = impl.ratio / hand.ratio;
    let line = `${r.workload} ${r.size}: ${name} ÷ objective ${impl.ratio.toFixed(2)} = ${rel.toFixed(2)}× hand-written's ${hand.ratio.toFixed(2)} (target ≤ ${bound}×) ${rel <= bound ? "met ✓" : "missed ✗"}`;
    const before = TAPE_BEFORE[`${r.workload} ${r.size}`];
    if (impl.tapeBytes !== undefined && before !== undefined) {
      const cut = impl.tapeBytes / before;
      line += `; peak tape ${bytes(impl.tapeBytes)}, ${cut.toFixed(2)}× the ${bytes(before)} before (target ≤ 0.5×) ${cut <= 0.5 ? "met ✓" : "missed ✗"}`;
    }
    lines.push(line);
  }
  return lines;
}

if (typeof require !== "undefined" && require.main === module) {
  benchWorkloads().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
