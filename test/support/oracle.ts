// The oracle: every derivative a compiled module exports for a Subject, checked at given points
// against independent references. Reverse mode against central differences of the primal (away
// from kinks), forward mode against reverse mode, hvp against central differences of the
// gradient, Jacobians in both modes against each other and central differences, the dot-product
// test ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩, vjp's pullback(s) = s·pullback(1), and the runtime tape empty after
// every call. The first failure is returned as a Verdict, never thrown, so the fuzz command can
// count and shrink it.
import { centralDifference, checkGradient } from "../../runtime/check";
import { tape } from "../../runtime";
import { leaves, sameShape, showPoint, type Arg } from "./cases";
import type { Module } from "./load";
import { mulberry32 } from "./random";
import { buildArgs, leafCount, type Subject } from "./subjects";

/** Reverse mode against central differences (truncation and rounding of a difference quotient). */
export const TOLERANCE = 1e-6;
/** Forward and reverse mode compute the same derivative in different orders: they agree to rounding. */
export const FORWARD_REVERSE = 1e-12;
/** hvp against central differences of the gradient. */
export const HVP_TOLERANCE = 1e-5;
/** Second derivatives by two forward-over-reverse routes (vector mode, scalar mode) agree to rounding. */
export const SECOND_ORDER = 1e-10;
/** Central differences at h and h/10 that disagree by more than this flag a point near a kink. */
export const KINK = 1e-5;
/** Primal values beyond this mean the generator let magnitudes run away (central differences get inaccurate). */
export const PRIMAL_BOUND = 1e3;
/** A second seed for vjp's pullback. */
const VJP_SEED = 2.5;
/** Beyond this many differentiated numbers, forward mode is checked along a few random directions. */
const UNIT_DIRECTIONS = 8;
const RANDOM_DIRECTIONS = 3;

/**
 * ok; mismatch: a derivative is wrong (the bug class that matters most); crash: the compiler or
 * the generated code throws; refused: the compiler refuses a program the generator considers
 * supported; invalid: the program itself misbehaves (a generator bug: a non-finite primal).
 */
export type Outcome = "ok" | "mismatch" | "crash" | "refused" | "invalid";

export interface Verdict {
  readonly outcome: Outcome;
  /** What went wrong, with the subject and the point. */
  readonly message?: string;
}

export const OK: Verdict = { outcome: "ok" };

export interface Stats {
  points: number;
  /** Points not compared with central differences (near a kink, or outside a guarded domain). */
  skipped: number;
  /** Points compared with central differences where some derivative is nonzero. */
  nonzero: number;
  jvps: number;
  hvpChecked: number;
  hvpSkipped: number;
  dotTests: number;
}

export function emptyStats(): Stats {
  return { points: 0, skipped: 0, nonzero: 0, jvps: 0, hvpChecked: 0, hvpSkipped: 0, dotTests: 0 };
}

export function addStats(into: Stats, from: Stats): void {
  for (const k of Object.keys(into) as (keyof Stats)[]) into[k] += from[k];
}

/** |a − b| relative where they are large, absolute where small; NaN is infinitely far. */
export function gap(a: number, b: number): number {
  if (a === b) return 0;
  const e = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
  return Number.isNaN(e) ? Infinity : e;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** Deterministic numbers in [-1, 1), for directions (2u − 1 is exact for u = k / 2³²). */
function directions(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => 2 * uniform() - 1;
}

/** Thrown inside the checks to end them with a verdict. */
class Failure extends Error {
  constructor(readonly verdict: Verdict) {
    super(verdict.message);
  }
}

function lookup(module: Module, name: string): (...xs: any[]) => any {
  const value = name.split(".").reduce<any>((m, k) => m?.[k], module);
  if (typeof value !== "function") throw new Failure({ outcome: "crash", message: `the module exports no function ${name}` });
  return value;
}

/** Checks every subject at its points; the first failure wins. */
export function checkSubjects(
  module: Module,
  subjects: readonly Subject[],
  points: (subject: number) => readonly (readonly number[])[],
  stats: Stats,
): Verdict {
  try {
    subjects.forEach((s, k) => {
      for (const x of points(k)) checkPoint(module, s, x, stats);
    });
    return OK;
  } catch (e) {
    if (e instanceof Failure) return e.verdict;
    return { outcome: "crash", message: `the oracle threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
}

/** A scalar function of the differentiated numbers (the other arguments fixed at the point). */
type Scalar = (...xs: number[]) => number;

function checkPoint(module: Module, s: Subject, x: readonly number[], stats: Stats): void {
  stats.points++;
  const f = lookup(module, s.f);
  const args = (flat: readonly number[] = x): Arg[] => buildArgs(s.params, flat);
  const where = () => `${s.f}(${showPoint(args())})`;
  const fail = (outcome: Outcome, what: string): never => {
    throw new Failure({ outcome, message: `${what}\n  at ${where()}` });
  };
  /** Runs generated code: an exception is a crash, and the tape must be empty afterwards. */
  const run = <T>(what: string, call: () => T): T => {
    let out: T;
    try {
      out = call();
    } catch (e) {
      return fail("crash", `${what} throws ${e instanceof Error ? e.message : String(e)}`);
    }
    const left = tape.mark();
    if (left.numbers !== 0 || left.tensors !== 0) {
      // Empty it so the next program starts clean.
      tape.take({ numbers: 0, tensors: 0 });
      fail("mismatch", `${what} leaves ${left.numbers} numbers and ${left.tensors} tensors on the tape`);
    }
    return out;
  };

  let y: unknown;
  try {
    y = f(...args());
  } catch (e) {
    fail("invalid", `generator bug: the primal throws ${String(e)}`);
  }
  // A vector-valued result's numbers: a tuple or array in order, an object's fields in key order.
  const values = s.results === 0 ? [y as number] : leaves(y);
  const finite = values.every((v) => Number.isFinite(v));
  if (!finite || values.some((v) => Math.abs(v) > PRIMAL_BOUND)) {
    if (s.guarded && !finite) {
      stats.skipped++;
      return;
    }
    fail("invalid", `generator bug: the primal is ${JSON.stringify(y)}`);
  }

  // Leaf ranges of each parameter in the flat point.
  const starts: number[] = [];
  s.params.reduce((at, p) => (starts.push(at), at + leafCount(p)), 0);
  const leafRange = (i: number) => Array.from({ length: leafCount(s.params[i]) }, (_, j) => starts[i] + j);

  if (s.reverse) checkReverse();
  if (s.jacobian) checkJacobian();
  return;

  function checkReverse(): void {
    const r = s.reverse!;
    const wrtLeaves = r.wrt.flatMap(leafRange);
    const at = wrtLeaves.map((i) => x[i]);
    const withWrt = (sub: readonly number[]): number[] => {
      const flat = [...x];
      wrtLeaves.forEach((i, j) => (flat[i] = sub[j]));
      return flat;
    };
    const fw: Scalar = (...sub) => f(...args(withWrt(sub))) as number;

    // The reverse-mode gradient (and the value, for valueAndGrad and vjp).
    const g = lookup(module, r.name);
    const out = run(r.call, () => g(...args()));
    let gradient: unknown = out;
    let value: number | undefined;
    if (r.operator === "valueAndGrad") [value, gradient] = out as [number, unknown];
    if (r.operator === "vjp") {
      const [v, pullback] = out as [number, (seed: number) => unknown];
      value = v;
      gradient = run(`the pullback of ${r.call}`, () => pullback(1));
      const again = run(`the pullback of ${r.call}, called again`, () => pullback(1));
      const scaled = run(`the pullback of ${r.call}`, () => pullback(VJP_SEED));
      const [one, two] = [flatten(gradient, "pullback(1)"), flatten(again, "pullback(1), again")];
      const three = flatten(scaled, `pullback(${VJP_SEED})`);
      one.forEach((gi, j) => {
        if (!Object.is(gi, two[j])) fail("mismatch", `a second call of the pullback of ${r.call} gives ${two[j]}, the first ${gi}`);
        if (!Object.is(three[j], VJP_SEED * gi) && gap(three[j], VJP_SEED * gi) > 1e-12) fail("mismatch", `pullback(${VJP_SEED})[${j}] = ${three[j]}, ${VJP_SEED} × pullback(1) = ${VJP_SEED * gi}`);
      });
    }
    if (value !== undefined && gap(value, y as number) > 1e-12) fail("mismatch", `${r.call} gives the value ${value}, the primal ${y}`);
    const reverse = flatten(gradient, r.call);

    // Forward mode: jvps along unit directions (or a few random ones) of the differentiated numbers.
    const forward: { direction: number[]; tangent: number; what?: string }[] = [];
    if (s.jvp) {
      const jvp = lookup(module, s.jvp);
      const n = wrtLeaves.length;
      const dirs =
        n <= UNIT_DIRECTIONS
          ? wrtLeaves.map((_, j) => wrtLeaves.map((_, k) => (k === j ? 1 : 0)))
          : Array.from({ length: RANDOM_DIRECTIONS }, (_, d) => {
              const next = directions(d + 1);
              return wrtLeaves.map(() => next());
            });
      for (const direction of dirs) {
        const tangentFlat = x.map(() => 0);
        wrtLeaves.forEach((i, j) => (tangentFlat[i] = direction[j]));
        const [v, t] = run(`${s.jvp}`, () => jvp(args(), args(tangentFlat))) as [number, number];
        stats.jvps++;
        // === rather than Object.is: folding `0 + x` to `x` may turn a +0 into -0 (reported; harmless to derivatives).
        if (v !== y) fail("mismatch", `jvp(${s.f}) gives the value ${v}, the primal ${y}`);
        forward.push({ direction, tangent: t });
      }
    }

    // Vector mode: k tangents in one sweep, each against reverse mode along its direction.
    if (s.jvpK) {
      const jvpK = lookup(module, s.jvpK.name);
      const next = directions(wrtLeaves.length * 7 + s.jvpK.k);
      const dirs = Array.from({ length: s.jvpK.k }, () => wrtLeaves.map(() => next()));
      const tangents = dirs.map((d) => {
        const t = x.map(() => 0);
        wrtLeaves.forEach((i, j) => (t[i] = d[j]));
        return args(t);
      });
      const [v, ts] = run(`jvp(${s.f}, { directions: ${s.jvpK.k} })`, () => jvpK(args(), tangents)) as [number, number[]];
      stats.jvps += s.jvpK.k;
      if (v !== y) fail("mismatch", `jvp(${s.f}, { directions: ${s.jvpK.k} }) gives the value ${v}, the primal ${y}`);
      if (!Array.isArray(ts) || ts.length !== s.jvpK.k) fail("mismatch", `jvp(${s.f}, { directions: ${s.jvpK.k} }) gives ${JSON.stringify(ts)}, not ${s.jvpK.k} tangents`);
      forward.push(...dirs.map((direction, d) => ({ direction, tangent: ts[d], what: `jvp(${s.f}, { directions: ${s.jvpK!.k} })` })));
    }

    // Central differences, away from kinks.
    const kinked = nearKink(fw, at);
    const numeric = kinked ? undefined : at.map((_, i) => centralDifference(fw, at, i));
    if (s.guarded) {
      // Where the taken path's derivative is finite (forward mode and differences agree it is),
      // reverse mode must be finite and right: an unused NaN must not leak into it.
      const forwardFinite = forward.every((d) => Number.isFinite(d.tangent));
      if (!forwardFinite || (numeric && !numeric.every(Number.isFinite))) {
        stats.skipped++;
        return;
      }
      if (!reverse.every(Number.isFinite)) {
        fail("mismatch", `${r.call} is not finite where forward mode is: [${reverse.join(", ")}] (an unused value's NaN, issue 13)`);
      }
    }
    for (const { direction, tangent, what } of forward) {
      const expected = dot(reverse, direction);
      if (gap(tangent, expected) > FORWARD_REVERSE) {
        const along = direction.filter((d) => d !== 0).length === 1 ? `along entry ${direction.indexOf(1)}` : `along [${direction.join(", ")}]`;
        fail("mismatch", `${what ?? `jvp(${s.f})`} ${along} gives ${tangent}, reverse mode ${expected}\n  reverse: [${reverse.join(", ")}]`);
      }
    }
    if (!numeric) {
      stats.skipped++;
      return;
    }
    const check = checkGradient(fw, reverse, at, { tolerance: TOLERANCE });
    if (numeric.some((d) => d !== 0)) stats.nonzero++;
    if (!check.ok) {
      fail("mismatch", `${r.call} is wrong: error ${check.maxError}\n  adc:     [${check.analytic.join(", ")}]\n  numeric: [${check.numeric.join(", ")}]`);
    }
    if (s.hvp) checkHvp(wrtLeaves, (xs) => flatten(run(r.call, () => gradientOf(g(...args(xs)))), r.call));

    function gradientOf(result: any): unknown {
      if (r.operator === "valueAndGrad") return result[1];
      if (r.operator === "vjp") return result[1](1);
      return result;
    }

    function flatten(result: unknown, what: string): number[] {
      const parts = r.bare ? [result] : result;
      const ok = Array.isArray(parts) && parts.length === r.wrt.length && r.wrt.every((i, j) => sameShape(args()[i], parts[j]));
      if (!ok) fail("mismatch", `${what} has the wrong shape: ${JSON.stringify(result, (_k, v) => (v instanceof Float64Array ? [...v] : v))}`);
      return (parts as unknown[]).flatMap(leaves);
    }
  }

  /**
   * hvp(f)(args, eᵢ) (eᵢ shaped like the arguments) against central differences of the reverse
   * gradient along the i-th number, where those are smooth; the Hessian (vector mode, one row per
   * number, each shaped like the gradient) and grad(grad(f)) against those columns. `wrtLeaves`:
   * the numbers the gradient covers, in its order.
   */
  function checkHvp(wrtLeaves: readonly number[], gradientAt: (xs: number[]) => number[]): void {
    const hvp = lookup(module, s.hvp!);
    const columns: number[][] = [];
    x.forEach((_, i) => {
      const unit = x.map((_, k) => (k === i ? 1 : 0));
      const column = run(`hvp(${s.f})`, () => hvp(args(), args(unit)));
      // Shaped like the arguments (a bare number for a function of one number).
      const shaped = (s.params.length === 1 && typeof column === "number") || sameShape(args(), column);
      if (!shaped) fail("mismatch", `hvp(${s.f}) has the wrong shape: ${JSON.stringify(column, (_k, v) => (v instanceof Float64Array ? [...v] : v))}`);
      const hv = leaves(column);
      columns.push(hv);
      const difference = (step: number) => {
        const h = step * Math.max(1, Math.abs(x[i]));
        const plus = [...x];
        const minus = [...x];
        plus[i] += h;
        minus[i] -= h;
        const [gp, gm] = [gradientAt(plus), gradientAt(minus)];
        return gp.map((v, j) => (v - gm[j]) / (plus[i] - minus[i]));
      };
      const [coarse, fine] = [difference(1e-5), difference(1e-6)];
      wrtLeaves.forEach((w, j) => {
        if (!(gap(coarse[j], fine[j]) <= HVP_TOLERANCE)) {
          stats.hvpSkipped++;
          return;
        }
        stats.hvpChecked++;
        if (!(gap(hv[w], fine[j]) <= HVP_TOLERANCE)) {
          fail("mismatch", `hvp(${s.f}) along x${i}, entry ${w}: ${hv[w]}, central differences of the gradient ${fine[j]}`);
        }
      });
    });
    if (s.hessian) {
      const H = run(`hessian(${s.f})`, () => lookup(module, s.hessian!)(...args())) as unknown[];
      // One row per number of the arguments, each shaped like the gradient: bare for one parameter.
      const template = s.params.length === 1 ? args()[0] : args();
      if (!Array.isArray(H) || H.length !== x.length || !H.every((row) => sameShape(template, row))) {
        fail("mismatch", `hessian(${s.f}) has the wrong shape: ${JSON.stringify(H, (_k, v) => (v instanceof Float64Array ? [...v] : v))}`);
      }
      const rows = H.map(leaves);
      rows.forEach((row, i) =>
        x.forEach((_, j) => {
          if (gap(row[j], columns[j][i]) > SECOND_ORDER) fail("mismatch", `hessian(${s.f})[${i}][${j}] = ${row[j]}, hvp along x${j} gives ${columns[j][i]}`);
        }),
      );
    }
    if (s.grad2) {
      const d2 = run(`grad(grad(${s.f}))`, () => lookup(module, s.grad2!)(...x)) as number;
      if (gap(d2, columns[0][0]) > SECOND_ORDER) fail("mismatch", `grad(grad(${s.f})) = ${d2}, hvp gives ${columns[0][0]}`);
    }
  }

  /** Both Jacobians against each other and central differences; the dot-product test with jvp. */
  function checkJacobian(): void {
    const { forward, reverse } = s.jacobian!;
    const m = Math.max(1, s.results);
    // Each row is shaped like the gradient: bare (a number, an array) for a function of one parameter.
    const template = s.params.length === 1 ? args()[0] : args();
    const rows = (J: unknown, what: string): number[][] => {
      const M = (s.results === 0 ? [J] : J) as unknown[];
      if (!Array.isArray(M) || M.length !== m || !M.every((row) => sameShape(template, row))) {
        fail("mismatch", `${what} has the wrong shape: ${JSON.stringify(J)}`);
      }
      return M.map(leaves);
    };
    const JF = rows(run(`jacobian(${s.f})`, () => lookup(module, forward)(...args())), `jacobian(${s.f})`);
    const JR = rows(run(`jacobian(${s.f}, { mode: "reverse" })`, () => lookup(module, reverse)(...args())), `the reverse jacobian of ${s.f}`);
    let kinked = false;
    for (let i = 0; i < m; i++) {
      const fi: Scalar = (...xs) => {
        const out = f(...args(xs));
        return s.results === 0 ? out : leaves(out)[i];
      };
      const rowKinked = nearKink(fi, x);
      kinked ||= rowKinked;
      for (let j = 0; j < x.length; j++) {
        if (gap(JF[i][j], JR[i][j]) > FORWARD_REVERSE) fail("mismatch", `J[${i}][${j}]: forward mode ${JF[i][j]}, reverse mode ${JR[i][j]}`);
        if (rowKinked) continue;
        const numeric = centralDifference(fi, x, j);
        if (gap(JR[i][j], numeric) > TOLERANCE) fail("mismatch", `J[${i}][${j}] = ${JR[i][j]}, central differences ${numeric}`);
      }
    }
    if (kinked) stats.skipped++;
    else if (JR.some((row) => row.some((d) => d !== 0))) stats.nonzero++;
    if (s.jvpK) {
      // Vector mode: k tangents in one sweep, each J·v against the forward Jacobian.
      const next = directions(x.length * 13 + s.jvpK.k);
      const dirs = Array.from({ length: s.jvpK.k }, () => x.map(() => next()));
      const what = `jvp(${s.f}, { directions: ${s.jvpK.k} })`;
      const [value, ts] = run(what, () => lookup(module, s.jvpK!.name)(args(), dirs.map((d) => args(d)))) as [unknown, unknown[]];
      stats.jvps += s.jvpK.k;
      if (JSON.stringify(value) !== JSON.stringify(y)) fail("mismatch", `${what} gives the value ${JSON.stringify(value)}, the primal ${JSON.stringify(y)}`);
      dirs.forEach((v, d) => {
        const jv = leaves(ts[d]);
        JF.forEach((row, i) => {
          if (gap(jv[i], dot(row, v)) > FORWARD_REVERSE * 10) fail("mismatch", `${what}: tangent ${d}, entry ${i} is ${jv[i]}, J·v ${dot(row, v)}`);
        });
      });
    }
    if (!s.jvp) return;
    // ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ with J·v from jvp and Jᵀ·w from the reverse Jacobian.
    const jvp = lookup(module, s.jvp);
    const next = directions(x.length * 31 + m);
    for (let trial = 0; trial < 2; trial++) {
      const v = x.map(() => next());
      const [value, tangent] = run(`jvp(${s.f})`, () => jvp(args(), args(v))) as [unknown, unknown];
      stats.jvps++;
      if (JSON.stringify(value) !== JSON.stringify(y)) fail("mismatch", `jvp(${s.f}) gives the value ${JSON.stringify(value)}, the primal ${JSON.stringify(y)}`);
      const jv = leaves(tangent);
      const w = jv.map(() => next());
      const jtw = x.map((_, j) => JR.reduce((sum, row, i) => sum + row[j] * w[i], 0));
      stats.dotTests++;
      if (gap(dot(jv, w), dot(v, jtw)) > FORWARD_REVERSE * 10) {
        fail("mismatch", `dot-product test: ⟨J·v, w⟩ = ${dot(jv, w)} (jvp), ⟨v, Jᵀ·w⟩ = ${dot(v, jtw)} (reverse Jacobian)\n  v = [${v.join(", ")}], w = [${w.join(", ")}]`);
      }
    }
  }
}

/**
 * Whether `f` is kinked (or discontinuous) within ~h of `x`: differences at h and h/10 disagree, or
 * f(x) is not the mean of its neighbours (to O(h²)): x alone takes a branch its neighbours do not,
 * as at `x + y - x === y`, which holds at some points and fails a few ulps away. AD differentiates
 * the branch x takes; central differences see the other one.
 */
export function nearKink(f: Scalar, x: readonly number[]): boolean {
  const fx = f(...x);
  for (let i = 0; i < x.length; i++) {
    if (!(gap(centralDifference(f, x, i, 1e-6), centralDifference(f, x, i, 1e-7)) <= KINK)) return true;
    const h = 1e-6;
    const up = [...x];
    const down = [...x];
    up[i] += h;
    down[i] -= h;
    if (!(Math.abs(fx - (f(...up) + f(...down)) / 2) <= KINK * Math.max(1, Math.abs(fx)))) return true;
  }
  return false;
}
