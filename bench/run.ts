// `npm run bench`: compiles bench/functions.ts with adc, checks every gradient, then times, in this
// one process, the primal, adc's gradient, a hand-written gradient, TF.js and jax-js, and prints a
// Markdown table (paste it into BENCHMARKS.md). A benchmark, not a test: it asserts correctness,
// never speed.
//
// Environment:
//   ADC_BENCH_SKIP_ADC=1   do not fail when adc cannot compile bench/functions.ts (adc shows n/a)
//   ADC_BENCH_TIME=0.6     seconds timed per implementation (default 0.6 for adc/hand, half for peers)
//   ADC_BENCH_BATCH=0.002  target seconds per timed batch
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { compileFile, formatDiagnostic } from "../compiler";
import * as handWritten from "./hand";
import { measure, measureInterleaved, sinkValue, type Body, type Measurement } from "./harness";
import type { Peer, PeerGrad } from "./peers/peer";
import { loadJaxjs } from "./peers/jaxjs";
import { loadTfjs } from "./peers/tfjs";
import { benchWorkloads, targetLines } from "./workloads/bench";
import { benchUserWorkloads, loadUserGradients, userTable } from "./workloads/user";
import { loadAdcWorkloads } from "./workloads/adc";

type Vec = readonly number[];
type GradFn = (...xs: number[]) => number[];
type VgFn = (...xs: number[]) => [number, number[]];

interface Functions {
  seed: (x1: number, x2: number) => number;
  blend: (a: number, b: number, c: number, d: number, p: number, q: number, r: number) => number;
  seedGrad?: GradFn;
  seedValueAndGrad?: VgFn;
  blendGrad?: GradFn;
  blendValueAndGrad?: VgFn;
}

const ROOT = path.resolve(__dirname, "..");
const SOURCE = "bench/functions.ts";
const GENERATED = path.join(ROOT, "bench/generated/functions.ts");
const TIME = Number(process.env.ADC_BENCH_TIME ?? 0.6);

// ---------------------------------------------------------------------------------------------
// The benchmark points. Each call varies its inputs slightly (256 nearby points, cycled) so no
// result can be hoisted out of the loop; the variation keeps blend on the same branch.

const SEED_AT: Vec = [2, 0.5];
const BLEND_AT: Vec = [0.7, -1.3, 2.1, 0.4, -0.9, 1.1, 0.6];
/** Points for the correctness checks, including blend's other branch (s = a·b + c < 0). */
const SEED_CHECKS: Vec[] = [SEED_AT, [-1.5, 0.25], [0.1, -2]];
const BLEND_CHECKS: Vec[] = [BLEND_AT, [0.7, 1.3, -2.1, 0.4, -0.9, 1.1, 0.6], [-1.2, 0.4, 0.9, -0.3, 1.7, -0.5, 1.4]];

const POOL = 256;
function pool(at: Vec): Float64Array[] {
  return at.map((x, j) => {
    const col = new Float64Array(POOL);
    for (let i = 0; i < POOL; i++) col[i] = x * (1 + 1e-3 * (((i * 37 + j * 11) % 64) / 32 - 1));
    return col;
  });
}
const [S0, S1] = pool(SEED_AT) as [Float64Array, Float64Array];
const [B0, B1, B2, B3, B4, B5, B6] = pool(BLEND_AT) as [
  Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
];
const M = POOL - 1;

// ---------------------------------------------------------------------------------------------
// Loading adc's output.

function fail(message: string): never {
  console.error(`\nbench: ${message}`);
  process.exit(1);
}

async function loadAdc(): Promise<{ fns: Functions; adc: string | undefined }> {
  let result;
  try {
    result = compileFile(path.join(ROOT, SOURCE));
  } catch (e) {
    return noAdc(`adc threw: ${(e as Error).stack ?? e}`);
  }
  if (result.diagnostics.length > 0 || result.code === undefined) {
    const text = result.diagnostics.map((d) => formatDiagnostic(d)).join("\n\n");
    return noAdc(`adc refused ${SOURCE} (${result.diagnostics.length} diagnostics):\n\n${text}`);
  }
  fs.mkdirSync(path.dirname(GENERATED), { recursive: true });
  fs.writeFileSync(GENERATED, result.code);
  const fns = (await import(pathToFileURL(GENERATED).href)) as Functions;
  for (const k of ["seedGrad", "seedValueAndGrad", "blendGrad", "blendValueAndGrad"] as const) {
    if (typeof fns[k] !== "function") fail(`the generated module exports no function ${k}`);
  }
  return { fns, adc: undefined };
}

/** Without adc (ADC_BENCH_SKIP_ADC=1): the primal functions, with the markers stubbed out. */
function noAdc(reason: string): { fns: Functions; adc: string } {
  if (!process.env.ADC_BENCH_SKIP_ADC) fail(`${reason}\n\n(set ADC_BENCH_SKIP_ADC=1 to run the peers anyway)`);
  console.error(`bench: ${reason}\nbench: ADC_BENCH_SKIP_ADC is set, continuing without adc\n`);
  const text = fs.readFileSync(path.join(ROOT, SOURCE), "utf8");
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const stub = { grad: () => undefined, valueAndGrad: () => undefined };
  new Function("require", "module", "exports", js)(() => stub, module, module.exports);
  const fns = module.exports as unknown as Functions;
  return { fns: { seed: fns.seed, blend: fns.blend }, adc: "not compiled" };
}

// ---------------------------------------------------------------------------------------------
// Correctness.

/** max_j |g_j − ref_j| / max_j |ref_j|. */
function relErr(g: Vec, ref: Vec): number {
  if (g.length !== ref.length) return Infinity;
  let scale = 0;
  let err = 0;
  for (let j = 0; j < ref.length; j++) {
    scale = Math.max(scale, Math.abs(ref[j]!));
    err = Math.max(err, Math.abs(g[j]! - ref[j]!));
  }
  return Number.isFinite(err) ? err / Math.max(scale, 1e-300) : Infinity;
}

function centralDifference(f: (...xs: number[]) => number, at: Vec): number[] {
  return at.map((x, j) => {
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const plus = [...at];
    const minus = [...at];
    plus[j] = x + h;
    minus[j] = x - h;
    return (f(...plus) - f(...minus)) / (2 * h);
  });
}

function checkHand(name: string, f: (...xs: number[]) => number, hand: GradFn, points: Vec[]): void {
  for (const at of points) {
    const err = relErr(hand(...at), centralDifference(f, at));
    if (!(err < 1e-6)) fail(`the hand-written gradient of ${name} is wrong at (${at.join(", ")}): rel. error ${err}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Rows of the table.

interface Row {
  fn: string;
  impl: string;
  m?: Measurement;
  na?: string;
  /** Max relative error of the gradient against the hand-written one; undefined for the primal. */
  err?: number;
  tol?: number;
}

function fmtTime(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}
function fmtRatio(x: number): string {
  return x < 10 ? `${x.toFixed(2)}×` : `${Math.round(x).toLocaleString("en-US")}×`;
}
function fmtCheck(r: Row): string {
  if (r.err === undefined) return "";
  const e = r.err === 0 ? "0" : r.err.toExponential(0);
  return r.err <= r.tol! ? `✓ ${e}` : `✗ ${e}`;
}

function printTable(rows: Row[]): void {
  const head = ["function", "implementation", "CPU time / call", "(IQR)", "wall time / call", "× hand ∇", "× primal", "∇ vs hand"];
  const lines = rows.map((r) => {
    const hand = rows.find((x) => x.fn === r.fn && x.impl.startsWith("hand"))?.m;
    const primal = rows.find((x) => x.fn === r.fn && x.impl.startsWith("primal"))?.m;
    if (!r.m) return [r.fn, r.impl, `n/a (${r.na})`, "", "", "", "", fmtCheck(r)];
    return [
      r.fn,
      r.impl,
      fmtTime(r.m.cpu),
      `${fmtTime(r.m.cpuQ1)} – ${fmtTime(r.m.cpuQ3)}`,
      fmtTime(r.m.ns),
      hand ? fmtRatio(r.m.cpu / hand.cpu) : "",
      primal ? fmtRatio(r.m.cpu / primal.cpu) : "",
      fmtCheck(r),
    ];
  });
  const right = [false, false, true, true, true, true, true, false];
  const width = head.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cells: string[]): string =>
    `| ${cells.map((x, c) => (right[c] ? x.padStart(width[c]!) : x.padEnd(width[c]!))).join(" | ")} |`;
  console.log(fmt(head));
  console.log(`|${width.map((w, c) => (right[c] ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

// ---------------------------------------------------------------------------------------------

const t0 = performance.now();
function progress(what: string): void {
  process.stderr.write(`[${((performance.now() - t0) / 1e3).toFixed(1)} s] measuring ${what}\n`);
}

async function loadPeer(load: () => Promise<Peer>): Promise<Peer | string> {
  try {
    return await load();
  } catch (e) {
    return String((e as Error).message ?? e).split("\n")[0]!.slice(0, 80);
  }
}

function peerBody(g: PeerGrad, cols: Float64Array[]): Body {
  return (i) => {
    const k = i & M;
    const out = g(cols.map((c) => c[k]!));
    let s = 0;
    for (const x of out) s += x;
    return s;
  };
}

async function peerRows(fnName: string, peers: (Peer | string)[], labels: string[], at: Vec, cols: Float64Array[], ref: Vec): Promise<Row[]> {
  const rows: Row[] = [];
  for (let p = 0; p < peers.length; p++) {
    const peer = peers[p]!;
    const variants = typeof peer === "string" ? [fnName] : Object.keys(peer.grads).filter((k) => k.split("/")[0] === fnName);
    for (const key of variants) {
      const variant = key.includes("/") ? ` ${key.split("/")[1]}` : "";
      if (typeof peer === "string") {
        rows.push({ fn: fnName, impl: labels[p]!, na: peer });
        continue;
      }
      const impl = `${peer.name}${variant === " jit" ? " jit(grad)" : " grad"} (${peer.precision})`;
      const g = peer.grads[key]!;
      try {
        const err = relErr(g(at), ref);
        progress(`${fnName}: ${impl}`);
        const m = await measure(impl, peerBody(g, cols), { warmup: 0.15, time: TIME / 2, minBatches: 5 });
        rows.push({ fn: fnName, impl, m, err, tol: 1e-4 });
      } catch (e) {
        rows.push({ fn: fnName, impl, na: String((e as Error).message ?? e).split("\n")[0]!.slice(0, 80) });
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `adc benchmark — ${new Date().toISOString()}\n` +
      `Node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.arch()}, ` +
      `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}\n`,
  );

  const { fns, adc } = await loadAdc();
  // Every function timed is read into a local once, so all of them are called the same way (an
  // imported binding would be read through the module object at every call).
  const { seed, blend } = fns;
  const { seedGradHand, blendGradHand } = handWritten;
  const seedGrad = fns.seedGrad!;
  const seedValueAndGrad = fns.seedValueAndGrad!;
  const blendGrad = fns.blendGrad!;
  const blendValueAndGrad = fns.blendValueAndGrad!;

  // The hand-written gradients against central differences: abort if wrong.
  checkHand("seed", seed as (...xs: number[]) => number, seedGradHand as GradFn, SEED_CHECKS);
  checkHand("blend", blend as (...xs: number[]) => number, blendGradHand as GradFn, BLEND_CHECKS);

  // adc against the hand-written gradients, at every check point (both branches of blend).
  const adcErr = (grad: GradFn, vg: VgFn, f: (...xs: number[]) => number, hand: GradFn, points: Vec[]) => {
    let gErr = 0;
    let vgErr = 0;
    for (const at of points) {
      gErr = Math.max(gErr, relErr(grad(...at), hand(...at)));
      const [v, g] = vg(...at);
      vgErr = Math.max(vgErr, relErr(g, hand(...at)), Math.abs(v - f(...at)) / Math.max(Math.abs(f(...at)), 1e-300));
    }
    return { gErr, vgErr };
  };
  const seedAdcErr = adc ? undefined : adcErr(seedGrad, seedValueAndGrad, seed as never, seedGradHand as GradFn, SEED_CHECKS);
  const blendAdcErr = adc ? undefined : adcErr(blendGrad, blendValueAndGrad, blend as never, blendGradHand as GradFn, BLEND_CHECKS);

  // Peers: a failure to load becomes "n/a (reason)" in their rows.
  const peers = [await loadPeer(loadTfjs), await loadPeer(loadJaxjs)];
  const labels = ["TF.js", "jax-js"];

  const rows: Row[] = [];
  const adcTol = 1e-12;

  // ----- seed
  {
    const primal: Body = (i) => {
      const k = i & M;
      return seed(S0[k]!, S1[k]!);
    };
    const hand: Body = (i) => {
      const k = i & M;
      const g = seedGradHand(S0[k]!, S1[k]!);
      return g[0] + g[1];
    };
    const adcGrad: Body = (i) => {
      const k = i & M;
      const g = seedGrad(S0[k]!, S1[k]!);
      return g[0]! + g[1]!;
    };
    const adcVg: Body = (i) => {
      const k = i & M;
      const vg = seedValueAndGrad(S0[k]!, S1[k]!);
      const g = vg[1];
      return vg[0] + g[0]! + g[1]!;
    };
    const bodies = [
      { name: "primal", body: primal },
      { name: "hand", body: hand },
      ...(adc ? [] : [{ name: "adc grad", body: adcGrad }, { name: "adc valueAndGrad", body: adcVg }]),
    ];
    progress(`seed: ${bodies.map((b) => b.name).join(", ")}`);
    const ms = await measureInterleaved(bodies, { time: TIME, minBatches: 9 });
    rows.push({ fn: "seed", impl: "primal f(x)", m: ms[0] });
    rows.push({ fn: "seed", impl: "hand-written grad", m: ms[1], err: 0, tol: 0 });
    if (adc) {
      rows.push({ fn: "seed", impl: "adc grad", na: adc });
      rows.push({ fn: "seed", impl: "adc valueAndGrad", na: adc });
    } else {
      rows.push({ fn: "seed", impl: "adc grad", m: ms[2], err: seedAdcErr!.gErr, tol: adcTol });
      rows.push({ fn: "seed", impl: "adc valueAndGrad", m: ms[3], err: seedAdcErr!.vgErr, tol: adcTol });
    }
    rows.push(...(await peerRows("seed", peers, labels, SEED_AT, [S0, S1], seedGradHand(SEED_AT[0]!, SEED_AT[1]!))));
  }

  // ----- blend
  {
    const primal: Body = (i) => {
      const k = i & M;
      return blend(B0[k]!, B1[k]!, B2[k]!, B3[k]!, B4[k]!, B5[k]!, B6[k]!);
    };
    const hand: Body = (i) => {
      const k = i & M;
      const g = blendGradHand(B0[k]!, B1[k]!, B2[k]!, B3[k]!, B4[k]!, B5[k]!, B6[k]!);
      return g[0] + g[1] + g[2] + g[3] + g[4] + g[5] + g[6];
    };
    const adcGrad: Body = (i) => {
      const k = i & M;
      const g = blendGrad(B0[k]!, B1[k]!, B2[k]!, B3[k]!, B4[k]!, B5[k]!, B6[k]!);
      return g[0]! + g[1]! + g[2]! + g[3]! + g[4]! + g[5]! + g[6]!;
    };
    const adcVg: Body = (i) => {
      const k = i & M;
      const vg = blendValueAndGrad(B0[k]!, B1[k]!, B2[k]!, B3[k]!, B4[k]!, B5[k]!, B6[k]!);
      const g = vg[1];
      return vg[0] + g[0]! + g[1]! + g[2]! + g[3]! + g[4]! + g[5]! + g[6]!;
    };
    const bodies = [
      { name: "primal", body: primal },
      { name: "hand", body: hand },
      ...(adc ? [] : [{ name: "adc grad", body: adcGrad }, { name: "adc valueAndGrad", body: adcVg }]),
    ];
    progress(`blend: ${bodies.map((b) => b.name).join(", ")}`);
    const ms = await measureInterleaved(bodies, { time: TIME, minBatches: 9 });
    rows.push({ fn: "blend", impl: "primal f(x)", m: ms[0] });
    rows.push({ fn: "blend", impl: "hand-written grad", m: ms[1], err: 0, tol: 0 });
    if (adc) {
      rows.push({ fn: "blend", impl: "adc grad", na: adc });
      rows.push({ fn: "blend", impl: "adc valueAndGrad", na: adc });
    } else {
      rows.push({ fn: "blend", impl: "adc grad", m: ms[2], err: blendAdcErr!.gErr, tol: adcTol });
      rows.push({ fn: "blend", impl: "adc valueAndGrad", m: ms[3], err: blendAdcErr!.vgErr, tol: adcTol });
    }
    const ref = (blendGradHand as GradFn)(...BLEND_AT);
    rows.push(...(await peerRows("blend", peers, labels, BLEND_AT, [B0, B1, B2, B3, B4, B5, B6], ref)));
  }

  for (const p of peers) if (typeof p !== "string") p.dispose();

  console.log();
  printTable(rows);
  console.log();
  console.log(
    "CPU time / call: median over ~2 ms batches of the process CPU time per call (IQR: 25th–75th percentile " +
      "of the batches); wall time / call: the same for the wall clock. On a shared machine CPU time leaves out " +
      "the time spent waiting for a core; the ratios use it. × hand ∇: against the hand-written gradient; " +
      "× primal: against the function itself. ∇ vs hand: max_j |g_j − hand_j| / max_j |hand_j| at the " +
      "benchmark point (for adc, the max over all check points, both branches of blend); the hand-written " +
      "gradients are first checked against central differences.",
  );
  for (const fn of ["seed", "blend"]) {
    const a = rows.find((r) => r.fn === fn && r.impl === "adc grad")?.m;
    const h = rows.find((r) => r.fn === fn && r.impl.startsWith("hand"))?.m;
    if (a && h) {
      const ratio = a.cpu / h.cpu;
      console.log(`adc grad / hand-written, ${fn}: ${fmtRatio(ratio)} (target ≤ 1.30×) ${ratio <= 1.3 ? "✓" : "✗"}`);
    }
  }
  const bad = rows.filter((r) => r.m && r.err !== undefined && !(r.err <= r.tol!));
  const live = peers.map((p) => (typeof p === "string" || !p.live ? undefined : `${p.name}: ${p.live()} live tensors after the run`));
  for (const l of live) if (l) console.log(l);
  console.log(`(sink ${sinkValue().toPrecision(6)})`);
  if (bad.length > 0) fail(`wrong gradients: ${bad.map((r) => `${r.fn} / ${r.impl}`).join(", ")}`);
  if (adc) console.log(`\nadc: n/a (${adc})`);

  console.log("\n## GMM and LSTM\n");
  console.log("Gradient ÷ objective, CPU time, one run.\n");
  const workloads = await benchWorkloads([await loadAdcWorkloads().catch((e: Error) => fail(e.message))]);
  console.log("");
  for (const line of targetLines(workloads)) console.log(line);

  console.log("\n## User-style GMM and LSTM\n");
  console.log("adc's gradient of the user-style code against the hand-written gradient of the tuned code, CPU time, one run.\n");
  const user = await benchUserWorkloads(await loadUserGradients().catch((e: Error) => fail(e.message)));
  console.log(userTable(user));
}

main().then(
  () => process.exit(0),
  (e) => fail(String((e as Error).stack ?? e)),
);
