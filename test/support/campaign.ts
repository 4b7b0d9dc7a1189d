// Running generated programs through adc and the oracle, shared by test/property.test.ts and
// scripts/fuzz.ts: program i of a run with seed S is a pure function of (S, i), so any program can
// be generated again alone; a batch of programs compiles as one module (much cheaper than one
// module each); a failing program is checked again alone, shrunk by fast-check to a minimal
// program that fails the same way, and written as a regression fixture.
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { formatDiagnostic } from "../../compiler/diagnostics";
import type { Category } from "./categories";
import { compileFast, evaluateFast } from "./fast-compile";
import type { Module } from "./load";
import { checkSubjects, emptyStats, type Stats, type Verdict } from "./oracle";
import { samplePoints } from "./program-gen";
import { totalLeaves, type Subject } from "./subjects";

/** Points per subject. */
export const POINTS = 3;
/** Where generated modules are compiled "from" (nothing is written there). */
export const MODULE_FILE = path.resolve(__dirname, "../regression-fixtures/__generated__.ts");
export const FIXTURES_DIR = path.resolve(__dirname, "../regression-fixtures");

/** A 31-bit hash of two integers (murmur3's finalizer over a mix of both). */
function hash(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 1;
}

/** The seed of program `index` of a run seeded `runSeed`. */
export function programSeed(runSeed: number, index: number): number {
  return hash(runSeed, index);
}

/** The category of program `index`: drawn by weight, from its own hash. */
export function categoryOf(categories: readonly Category[], runSeed: number, index: number): Category {
  const total = categories.reduce((n, c) => n + c.weight, 0);
  let pick = hash(runSeed ^ 0x2545f491, index) % total;
  for (const c of categories) {
    if (pick < c.weight) return c;
    pick -= c.weight;
  }
  return categories[categories.length - 1];
}

export function generate(category: Category, seed: number): unknown {
  return fc.sample(category.arbitrary, { seed, numRuns: 1 })[0];
}

/** The points of each subject of a program: flat lists of numbers (subjects.ts builds the arguments). */
export function pointsOf(seed: number, subjects: readonly Subject[]): number[][][] {
  return subjects.map((s, k) => samplePoints(seed + 7 * k, totalLeaves(s.params), POINTS));
}

function message(e: unknown): string {
  return e instanceof Error ? e.stack ?? e.message : String(e);
}

/** Compiles module text and evaluates it; a verdict instead when adc refuses it or throws. */
export function compileAndLoad(text: string, fileName = MODULE_FILE): { module: Module } | { verdict: Verdict } {
  let result;
  try {
    result = compileFast(text, fileName);
  } catch (e) {
    return { verdict: { outcome: "crash", message: `adc throws: ${message(e)}` } };
  }
  if (result.diagnostics.length > 0 || result.code === undefined) {
    const shown = result.diagnostics.map((d) => formatDiagnostic(d, { cwd: path.dirname(fileName) })).join("\n");
    return { verdict: { outcome: "refused", message: shown || "adc gives no code and no diagnostic" } };
  }
  try {
    return { module: evaluateFast(result.code, fileName) };
  } catch (e) {
    return { verdict: { outcome: "crash", message: `the generated module does not load: ${message(e)}` } };
  }
}

/**
 * Verdicts of programs compiled together as one module, each checked at the points of its seed.
 * When the module as a whole is refused or crashes, every program is checked alone.
 */
export function checkBatch(category: Category, raws: readonly unknown[], seeds: readonly number[], stats: Stats): Verdict[] {
  let rendered;
  try {
    rendered = category.render(raws);
  } catch (e) {
    if (raws.length > 1) return raws.map((r, k) => checkBatch(category, [r], [seeds[k]], stats)[0]);
    return [{ outcome: "invalid", message: `generator bug: rendering throws ${message(e)}` }];
  }
  const loaded = compileAndLoad(rendered.text);
  if ("verdict" in loaded) {
    if (raws.length > 1) return raws.map((r, k) => checkBatch(category, [r], [seeds[k]], stats)[0]);
    return [{ ...loaded.verdict, message: `${loaded.verdict.message}\n${rendered.text}` }];
  }
  return rendered.programs.map((subjects, k) => {
    const points = pointsOf(seeds[k], subjects);
    const verdict = checkSubjects(loaded.module, subjects, (i) => points[i], stats);
    return verdict.outcome === "ok" ? verdict : { ...verdict, message: `${verdict.message}\n${category.render([raws[k]]).text}` };
  });
}

export function checkAlone(category: Category, raw: unknown, seed: number, stats: Stats = emptyStats()): Verdict {
  return checkBatch(category, [raw], [seed], stats)[0];
}

/** What two failures share when shrinking keeps "the same failure": the outcome, and for crashes and refusals the kind of message. */
export function failureSignature(v: Verdict): string {
  if (v.outcome === "refused") return `refused ${/ADC\d+/.exec(v.message ?? "")?.[0] ?? ""}`;
  if (v.outcome === "crash") {
    const first = (v.message ?? "").split("\n")[0];
    // Names and numbers change as the program shrinks.
    return `crash ${first.replace(/\b[A-Za-z_$][\w$]*\d[\w$]*\b/g, "#").replace(/-?\d+(\.\d+)?(e-?\d+)?/g, "#")}`;
  }
  return v.outcome;
}

export interface Shrunk {
  readonly raw: unknown;
  readonly verdict: Verdict;
  /** Failing programs found while shrinking (each smaller than the last). */
  readonly steps: number;
  /** Whether the time budget ran out before shrinking was done. */
  readonly timedOut: boolean;
}

/**
 * The smallest program fast-check's shrinking finds that fails like `original` (program `seed`,
 * checked alone). The budget bounds the time: once spent, every candidate counts as passing.
 */
export function shrink(category: Category, seed: number, original: Verdict, budgetMs = 120_000): Shrunk {
  const signature = failureSignature(original);
  const deadline = Date.now() + budgetMs;
  let last: { raw: unknown; verdict: Verdict } | undefined;
  let steps = 0;
  let timedOut = false;
  const result = fc.check(
    fc.property(category.arbitrary, (raw) => {
      if (Date.now() > deadline) {
        timedOut = true;
        return true;
      }
      const verdict = checkAlone(category, raw, seed);
      if (failureSignature(verdict) !== signature) return true;
      last = { raw, verdict };
      steps++;
      return false;
    }),
    { seed, numRuns: 1 },
  );
  if (!result.failed || !last) return { raw: generate(category, seed), verdict: original, steps: 0, timedOut };
  return { raw: result.counterexample![0], verdict: last.verdict, steps, timedOut };
}

/** A regression fixture: the module (test/regression-fixtures/<name>.ts) and what to check in it (<name>.json). */
export interface FuzzFixture {
  readonly category: string;
  /** The program's seed, and the run it came from. */
  readonly seed: number;
  readonly run?: { readonly seed: number; readonly index: number };
  readonly outcome: Verdict["outcome"];
  /** The first line of what was wrong when it was found. */
  readonly found: string;
  readonly subjects: readonly Subject[];
  /** Per subject, the points (flat lists of numbers). */
  readonly points: readonly (readonly (readonly number[])[])[];
  /** Set while the bug is open: the test expects the fixture to fail, and says so when it passes. */
  readonly open?: string;
  /** adc hung on it: the test compiles it in a subprocess with a time limit first. */
  readonly hangs?: boolean;
  /** Where it was fixed (for the record). */
  readonly fixed?: string;
  /** adc's output must also type-check under strict. */
  readonly typecheck?: boolean;
}

export function fixtureName(category: string, seed: number): string {
  return `fuzz-${category}-${seed.toString(16).padStart(8, "0")}`;
}

/** Writes `<name>.ts` and `<name>.json` into `dir`; returns the path of the .ts. */
export function writeFixture(dir: string, category: Category, shrunk: Shrunk, seed: number, run?: { seed: number; index: number }): string {
  const rendered = category.render([shrunk.raw]);
  const subjects = rendered.programs[0];
  const name = fixtureName(category.name, seed);
  const firstLine = (shrunk.verdict.message ?? "").split("\n")[0];
  const how = run
    ? `npm run fuzz -- --seed ${run.seed} --from ${run.index} --programs 1 --categories ${category.name}`
    : `the property tests (program seed ${seed})`;
  const header = [
    `// Found by ${how}, then shrunk (fuzz ${shrunk.verdict.outcome}): ${firstLine}`,
    `// Checked by test/fuzz-regressions.test.ts at the points in ${name}.json.`,
    "",
  ];
  const fixture: FuzzFixture = {
    category: category.name,
    seed,
    ...(run ? { run } : {}),
    outcome: shrunk.verdict.outcome,
    found: firstLine,
    subjects,
    points: pointsOf(seed, subjects),
  };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file, header.join("\n") + rendered.text);
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  return file;
}

export type { Stats, Verdict };
