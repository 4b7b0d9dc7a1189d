// `npm run bench` (second part): forward mode and second derivatives. Compiles
// bench/forward-functions.ts with adc, checks every derivative, then times in this one process:
//   - a directional derivative by adc's jvp against the primal (target ≤ 2×) and jax-js's jvp;
//   - the Hessian of the 20-variable extended Rosenbrock function: adc's hessian (one
//     forward-over-reverse sweep carrying 20 directions) against n = 20 reverse sweeps (20 gradient
//     calls, what any Hessian by columns of a reverse gradient costs at least), 20 hvp calls, and
//     jax-js's hessian (jacfwd(grad(f))), with and without jit.
// Prints a Markdown table. A benchmark, not a test: it asserts correctness, never speed.
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { compileFile, formatDiagnostic } from "../compiler";
import { measureInterleaved, sinkValue, type Body, type Measurement } from "./harness";
import type * as JAX from "@jax-js/jax" with { "resolution-mode": "import" };

const ROOT = path.resolve(__dirname, "..");
const GENERATED = path.join(ROOT, "bench/generated/forward-functions.ts");
const TIME = Number(process.env.ADC_BENCH_TIME ?? 0.6);
const N = 20;

type Fn = (...xs: number[]) => number;
interface Generated {
  seed: Fn;
  blend: Fn;
  rosen20: Fn;
  seedJvp: (p: number[], t: number[]) => [number, number];
  seedGrad: (...xs: number[]) => number[];
  blendJvp: (p: number[], t: number[]) => [number, number];
  blendGrad: (...xs: number[]) => number[];
  rosen20Grad: (...xs: number[]) => number[];
  rosen20Hessian: (...xs: number[]) => number[][];
  rosen20Hvp: (p: number[], v: number[]) => number[];
}

function fail(message: string): never {
  console.error(`\nbench/forward: ${message}`);
  process.exit(1);
}

async function loadAdc(): Promise<Generated> {
  const result = compileFile(path.join(ROOT, "bench/forward-functions.ts"));
  if (result.code === undefined) fail(result.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  fs.mkdirSync(path.dirname(GENERATED), { recursive: true });
  fs.writeFileSync(GENERATED, result.code);
  return (await import(pathToFileURL(GENERATED).href)) as Generated;
}

/** Inputs varied slightly per call (256 nearby points, cycled) so nothing is hoisted out of the loop. */
const POOL = 256;
function pool(at: readonly number[]): number[][] {
  return Array.from({ length: POOL }, (_, i) => at.map((x, j) => x * (1 + 1e-3 * (((i * 37 + j * 11) % 64) / 32 - 1))));
}

const SEED_AT = [2, 0.5];
const SEED_DIR = [0.6, -0.8];
const BLEND_AT = [0.7, -1.3, 2.1, 0.4, -0.9, 1.1, 0.6];
const BLEND_DIR = [0.3, -0.2, 0.5, 0.1, -0.4, 0.6, -0.3];
const ROSEN_AT = Array.from({ length: N }, (_, i) => (i % 2 === 0 ? -1.2 : 1) + 0.01 * i);

function gap(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

interface Row {
  readonly fn: string;
  readonly impl: string;
  readonly m?: Measurement;
  readonly na?: string;
  /** The measurement this row is compared with, and how. */
  readonly base?: string;
  readonly check?: string;
}

async function jaxPeer() {
  const g = globalThis as { Float16Array?: unknown };
  g.Float16Array ??= Float32Array; // jax-js 0.1.25 needs it to exist on Node 20 (see peers/jaxjs.ts)
  const jax: typeof JAX = await import("@jax-js/jax");
  const np = jax.numpy;
  const devices = await jax.init("wasm");
  if (!devices.includes("wasm")) throw new Error("wasm backend unavailable");
  jax.defaultDevice("wasm");
  type A = JAX.Array;
  const f64 = (x: number | number[] | number[][]) => np.array(x, { dtype: np.float64 });
  const seed = (x1: A, x2: A): A => x1.ref.mul(np.exp(np.square(x1).add(np.square(x2)).mul(-0.5)));
  const blend = (a: A, b: A, c: A, d: A, p: A, q: A, r: A): A => {
    const s = a.ref.mul(b).add(c.ref);
    const t = np.sin(s.ref).mul(np.cos(d.ref.sub(p.ref)));
    const u = np.exp(np.square(q.ref).add(np.square(r.ref)).mul(-0.5));
    const v = np.log(np.square(a).add(np.square(s.ref)).add(1));
    const w = np.sqrt(u.ref.add(np.square(v.ref)).add(0.25));
    const h = np.tanh(t.ref.mul(w.ref).sub(u.ref.div(np.square(d).add(1))));
    const k = h.ref.mul(s.ref).add(t.ref.mul(v.ref)).sub(w.ref.div(np.square(c).add(1)));
    const m = np.where(s.greater(0), k.ref.mul(u.ref).add(h.ref), k.ref.sub(u.mul(h.ref)));
    return m.mul(t).add(np.sin(k.mul(p)).mul(v)).sub(np.cos(h.add(q)).mul(w).div(np.square(r).add(1)));
  };
  // rosen20 on a vector: the shifts x[1:] and x[:-1] as 19×20 selection matrices.
  const shift = (offset: number) => f64(Array.from({ length: N - 1 }, (_, i) => Array.from({ length: N }, (_, j) => (j === i + offset ? 1 : 0))));
  const next = shift(1);
  const prev = shift(0);
  const rosen = (x: A): A => {
    const xn = np.matmul(next.ref, x.ref);
    const xp = np.matmul(prev.ref, x);
    return np.sum(np.square(xn.sub(np.square(xp.ref))).mul(100).add(np.square(np.negative(xp).add(1))));
  };
  const jvpOf = (f: (...xs: A[]) => A) => (p: number[], t: number[]): [number, number] => {
    const [y, dy] = jax.jvp(f, p.map((x) => f64(x)), t.map((x) => f64(x))) as unknown as [A, A];
    return [y.item(), dy.item()];
  };
  const hessianFn = jax.hessian(rosen as (x: A) => A);
  const jitHessian = jax.jit(hessianFn as unknown as (x: A) => A);
  const hessianOf = (h: (x: A) => A) => (x: number[]): number[][] => h(f64(x)).js() as number[][];
  return {
    name: "jax-js 0.1.25 wasm",
    seedJvp: jvpOf(seed as (...xs: A[]) => A),
    blendJvp: jvpOf(blend as (...xs: A[]) => A),
    hessian: hessianOf(hessianFn as unknown as (x: A) => A),
    jitHessian: hessianOf(jitHessian as unknown as (x: A) => A),
    dispose: () => jitHessian.dispose(),
  };
}

async function main(): Promise<void> {
  const adc = await loadAdc();
  // ----- correctness first: jvp = ∇f·v (reverse mode), Hessian = differences of the gradient, hvp = H·v.
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const checks: [string, number][] = [
    ["seed jvp", gap(adc.seedJvp(SEED_AT, SEED_DIR)[1], dot(adc.seedGrad(...SEED_AT), SEED_DIR))],
    ["blend jvp", gap(adc.blendJvp(BLEND_AT, BLEND_DIR)[1], dot(adc.blendGrad(...BLEND_AT), BLEND_DIR))],
  ];
  const H = adc.rosen20Hessian(...ROSEN_AT);
  let hErr = 0;
  for (let j = 0; j < N; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(ROSEN_AT[j]!));
    const plus = ROSEN_AT.slice();
    const minus = ROSEN_AT.slice();
    plus[j] += h;
    minus[j] -= h;
    const gp = adc.rosen20Grad(...plus);
    const gm = adc.rosen20Grad(...minus);
    for (let i = 0; i < N; i++) hErr = Math.max(hErr, gap(H[i]![j]!, (gp[i]! - gm[i]!) / (plus[j]! - minus[j]!)));
  }
  checks.push(["rosen20 hessian vs differences of grad", hErr]);
  const hv = adc.rosen20Hvp(ROSEN_AT, SEED_DIR.concat(BLEND_DIR, BLEND_DIR, [0.1, 0.2, 0.3, 0.4]).slice(0, N));
  const v = SEED_DIR.concat(BLEND_DIR, BLEND_DIR, [0.1, 0.2, 0.3, 0.4]).slice(0, N);
  checks.push(["rosen20 hvp vs H·v", Math.max(...H.map((row, i) => gap(hv[i]!, dot(row, v))))]);
  for (const [what, err] of checks) {
    if (!(err <= (what.includes("differences") ? 1e-6 : 1e-12))) fail(`${what}: error ${err}`);
  }

  let jax: Awaited<ReturnType<typeof jaxPeer>> | string;
  try {
    jax = await jaxPeer();
    const jh = jax.hessian(ROSEN_AT);
    const e = Math.max(...H.map((row, i) => Math.max(...row.map((h, j) => gap(h, jh[i]![j]!)))));
    if (!(e <= 1e-9)) fail(`jax-js hessian disagrees with adc's: ${e}`);
    const [, jt] = jax.seedJvp(SEED_AT, SEED_DIR);
    if (!(gap(jt, adc.seedJvp(SEED_AT, SEED_DIR)[1]) <= 1e-12)) fail("jax-js jvp disagrees with adc's");
  } catch (e) {
    jax = String((e as Error).message ?? e).split("\n")[0]!.slice(0, 80);
  }

  const rows: Row[] = [];
  const progress = (what: string) => process.stderr.write(`measuring ${what}\n`);

  // ----- directional derivatives
  for (const [fn, f, jvp, at, dir, peer] of [
    ["seed", adc.seed, adc.seedJvp, SEED_AT, SEED_DIR, typeof jax === "string" ? undefined : jax.seedJvp],
    ["blend", adc.blend, adc.blendJvp, BLEND_AT, BLEND_DIR, typeof jax === "string" ? undefined : jax.blendJvp],
  ] as const) {
    const xs = pool(at);
    const M = POOL - 1;
    // Explicit arguments (no spread), as a caller of f writes them.
    const primal: Body =
      at.length === 2
        ? (i) => {
            const x = xs[i & M]!;
            return f(x[0]!, x[1]!);
          }
        : (i) => {
            const x = xs[i & M]!;
            return f(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!, x[6]!);
          };
    const forward: Body = (i) => {
      const [y, dy] = jvp(xs[i & M]!, dir as number[]);
      return y + dy;
    };
    progress(`${fn}: primal, adc jvp`);
    const [mp, mj] = await measureInterleaved([{ name: "primal", body: primal }, { name: "jvp", body: forward }], { time: TIME, minBatches: 9 });
    rows.push({ fn, impl: "primal f(x)", m: mp });
    rows.push({ fn, impl: "adc jvp (value + ∇f·v)", m: mj, base: "primal", check: "= ∇f·v (reverse) ✓" });
    if (peer) {
      progress(`${fn}: jax-js jvp`);
      const [mx] = await measureInterleaved([{ name: "jax", body: (i) => peer(xs[i & M]!, dir as number[])[1] }], { time: TIME / 2, minBatches: 5 });
      rows.push({ fn, impl: "jax-js jvp", m: mx, base: "primal", check: "= adc ✓" });
    } else rows.push({ fn, impl: "jax-js jvp", na: jax as string });
  }

  // ----- the Hessian of rosen20
  {
    const xs = pool(ROSEN_AT);
    const M = POOL - 1;
    const basis = Array.from({ length: N }, (_, j) => Array.from({ length: N }, (_, i) => (i === j ? 1 : 0)));
    const gradient: Body = (i) => adc.rosen20Grad(...xs[i & M]!)[0]!;
    const nSweeps: Body = (i) => {
      let s = 0;
      for (let j = 0; j < N; j++) s += adc.rosen20Grad(...xs[(i + j) & M]!)[j]!;
      return s;
    };
    const hessian: Body = (i) => adc.rosen20Hessian(...xs[i & M]!)[3]![4]!;
    const hvps: Body = (i) => {
      let s = 0;
      for (let j = 0; j < N; j++) s += adc.rosen20Hvp(xs[i & M]!, basis[j]!)[j]!;
      return s;
    };
    progress("rosen20: grad, 20 grads, hessian, 20 hvps");
    const [mg, mn, mh, mv] = await measureInterleaved(
      [
        { name: "grad", body: gradient },
        { name: "n grads", body: nSweeps },
        { name: "hessian", body: hessian },
        { name: "hvps", body: hvps },
      ],
      { time: TIME, minBatches: 9 },
    );
    rows.push({ fn: "rosen20", impl: "adc grad (one reverse sweep)", m: mg });
    rows.push({ fn: "rosen20", impl: "20 adc grads (n reverse sweeps)", m: mn, base: "grad" });
    rows.push({ fn: "rosen20", impl: "adc hessian (1 sweep, 20 directions)", m: mh, base: "20 grads", check: "= differences of ∇f ✓" });
    rows.push({ fn: "rosen20", impl: "20 adc hvps (H·eⱼ)", m: mv, base: "20 grads", check: "= H·v ✓" });
    if (typeof jax !== "string") {
      const peer = jax;
      progress("rosen20: jax-js hessian, jit(hessian)");
      const [mx, mjit] = await measureInterleaved(
        [
          { name: "jax hessian", body: (i) => peer.hessian(xs[i & M]!)[3]![4]! },
          { name: "jax jit hessian", body: (i) => peer.jitHessian(xs[i & M]!)[3]![4]! },
        ],
        { time: TIME / 2, minBatches: 5 },
      );
      rows.push({ fn: "rosen20", impl: "jax-js hessian", m: mx, base: "20 grads", check: "= adc ✓" });
      rows.push({ fn: "rosen20", impl: "jax-js jit(hessian)", m: mjit, base: "20 grads", check: "= adc ✓" });
      peer.dispose();
    } else rows.push({ fn: "rosen20", impl: "jax-js hessian", na: jax });
  }

  const time = (ns: number) => (ns < 1e3 ? `${ns.toFixed(1)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(2)} µs` : `${(ns / 1e6).toFixed(2)} ms`);
  const baseOf = (r: Row) => {
    if (!r.base) return undefined;
    const b = rows.find((x) => x.fn === r.fn && (r.base === "primal" ? x.impl.startsWith("primal") : r.base === "grad" ? x.impl.startsWith("adc grad") : x.impl.startsWith("20 adc grads")));
    return b?.m;
  };
  console.log("\n| function | implementation | CPU time / call | (IQR) | ratio | check |");
  console.log("| --- | --- | ---: | --- | ---: | --- |");
  for (const r of rows) {
    if (!r.m) {
      console.log(`| ${r.fn} | ${r.impl} | n/a (${r.na}) | | | |`);
      continue;
    }
    const b = baseOf(r);
    const ratio = b ? `${(r.m.cpu / b.cpu).toFixed(2)}× ${r.base}` : "";
    console.log(`| ${r.fn} | ${r.impl} | ${time(r.m.cpu)} | ${time(r.m.cpuQ1)} – ${time(r.m.cpuQ3)} | ${ratio} | ${r.check ?? ""} |`);
  }
  for (const fn of ["seed", "blend"]) {
    const p = rows.find((r) => r.fn === fn && r.impl.startsWith("primal"))!.m!;
    const j = rows.find((r) => r.fn === fn && r.impl.startsWith("adc jvp"))!.m!;
    const ratio = j.cpu / p.cpu;
    console.log(`\nadc jvp / primal, ${fn}: ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? "✓" : "✗"}`);
  }
  console.log(`(sink ${sinkValue().toPrecision(6)})`);
}

main().then(
  () => process.exit(0),
  (e) => fail(String((e as Error).stack ?? e)),
);
