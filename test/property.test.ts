// Property tests: random programs of every generator category (test/support/categories.ts) are
// compiled with adc and every derivative they export is checked by the oracle
// (test/support/oracle.ts): reverse mode against central differences, forward mode against reverse
// mode, hvp against differences of the gradient, Jacobians in both modes and the dot-product test,
// vjp's scaling, and the runtime tape empty after every call. The same machinery runs at scale as
// `npm run fuzz` (scripts/fuzz.ts, TESTING.md); here a fixed seed keeps each run quick and the same.
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { compileSource } from "../compiler";
import { createProgram } from "../compiler/program";
import { CATEGORIES, categoryNamed, type Category } from "./support/categories";
import { MODULE_FILE, checkBatch, generate, programSeed, shrink } from "./support/campaign";
import { compileFast } from "./support/fast-compile";
import { checkSubjects, emptyStats, type Stats } from "./support/oracle";
import type { ParamSpec, Subject } from "./support/subjects";
import { tape } from "../runtime";

/** Fixed seed: every run checks the same programs at the same points (ADC_PROPERTY_SEED to explore others). */
const SEED = process.env.ADC_PROPERTY_SEED ? Number(process.env.ADC_PROPERTY_SEED) : 0x0adc_2026;

/** Opt-in categories (waiting for an open bug) switched on here once it is fixed; none at present. */
const optIn: Record<string, boolean> = {};
/** ADC_PROPERTY_OPT_IN=all (or a comma-separated list) runs opt-in categories anyway. */
const asked = (process.env.ADC_PROPERTY_OPT_IN ?? "").split(",");
const enabled = (c: Category) => !c.optIn || optIn[c.name] || asked.includes("all") || asked.includes(c.name);

interface Plan {
  readonly programs: number;
  /** Programs compiled together as one module. */
  readonly batch: number;
  /** Least share of points with a nonzero derivative (mostly constant functions would check little). */
  readonly nonzero: number;
}

const PLANS: Record<string, Plan> = {
  scalar: { programs: 120, batch: 10, nonzero: 0.6 },
  loops: { programs: 120, batch: 10, nonzero: 0.6 },
  "loops-calls": { programs: 60, batch: 10, nonzero: 0.6 },
  "loops-hessian": { programs: 20, batch: 10, nonzero: 0.6 },
  vector: { programs: 40, batch: 10, nonzero: 0.6 },
  tensor: { programs: 30, batch: 8, nonzero: 0.8 },
  guarded: { programs: 60, batch: 10, nonzero: 0.5 },
  "guarded-loops": { programs: 40, batch: 10, nonzero: 0.5 },
  callbacks: { programs: 40, batch: 8, nonzero: 0.6 },
  values: { programs: 30, batch: 8, nonzero: 0.6 },
};
/** Points near a kink are not compared with central differences; many of them would mean the generator puts points on kinks. */
const MAX_SKIPPED = 0.1;

/** Checks a category's programs; the first failure is shrunk and shown as a minimal program. */
function runCategory(category: Category, plan: Plan): Stats {
  const stats = emptyStats();
  for (let start = 0; start < plan.programs; start += plan.batch) {
    const indices = Array.from({ length: Math.min(plan.batch, plan.programs - start) }, (_, k) => start + k);
    const seeds = indices.map((i) => programSeed(SEED, i));
    const raws = seeds.map((s) => generate(category, s));
    const verdicts = checkBatch(category, raws, seeds, stats);
    const k = verdicts.findIndex((v) => v.outcome !== "ok");
    if (k < 0) continue;
    const shrunk = shrink(category, seeds[k], verdicts[k], 60_000);
    throw new Error(
      `${category.name} program ${indices[k]} (seed ${seeds[k]}): ${verdicts[k].outcome}; shrunk in ${shrunk.steps} steps to:\n` +
        `${shrunk.verdict.message}\n` +
        `Again: npm run fuzz -- --seed ${SEED} --from ${indices[k]} --programs 1 --categories ${category.name} (writes it as a fixture)`,
    );
  }
  return stats;
}

const categories = CATEGORIES.filter(enabled);

describe.each(categories.map((c) => [c.name, c] as const))("%s programs", (name, category) => {
  const plan = PLANS[name];

  test(`${plan.programs} programs: every derivative agrees with its references, the tape empty after every call`, { timeout: 600_000 }, () => {
    const stats = runCategory(category, plan);
    expect(stats.points).toBeGreaterThanOrEqual(plan.programs * 3);
    if (!name.startsWith("guarded")) expect(stats.skipped / stats.points).toBeLessThanOrEqual(MAX_SKIPPED);
    expect(stats.nonzero / (stats.points - stats.skipped)).toBeGreaterThan(plan.nonzero);
    expect(stats.jvps).toBeGreaterThan(plan.programs);
    if (name === "scalar") {
      // Second derivatives: most Hessian entries are checked, not skipped.
      expect(stats.hvpChecked).toBeGreaterThan(500);
      expect(stats.hvpSkipped / (stats.hvpChecked + stats.hvpSkipped)).toBeLessThan(0.1);
    }
    if (name === "vector" || name === "values") expect(stats.dotTests).toBeGreaterThan(plan.programs * 3);
    // Hessians of functions of arrays and objects (a third of the callbacks programs).
    if (name === "callbacks") expect(stats.hvpChecked).toBeGreaterThan(300);
    if (name === "loops-hessian") expect(stats.hvpChecked).toBeGreaterThan(1000);
  });
});

/** Type errors (strict) of a module, as `message (line n: text)`. */
function typeErrors(text: string, fileName: string): string[] {
  const program = createProgram(fileName, text);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(path.resolve(fileName))).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${message}\n  line ${line + 1}: ${d.file.text.split("\n")[line].trim()}`;
  });
}

/**
 * Open bug: adc writes Math.PI and Math.E as literals, so `Math.PI === a && Math.E !== a` becomes a
 * comparison TypeScript rejects in the output (TS2367: after the first, `a` has a literal type).
 * Remove the filter when fixed.
 */
const KNOWN_OUTPUT_TYPE_ERRORS = [/^This comparison appears to be unintentional because the types '[-\d.e]+' and '[-\d.e]+' have no overlap/];

// The opt-in categories only change call arguments of an enabled one: no check of their own.
const rendering = categories;

describe.each(rendering.map((c) => [c.name, c] as const))("%s: generated and generating code", (_name, category) => {
  const seeds = Array.from({ length: 6 }, (_, i) => programSeed(SEED ^ 0x5eed, i));
  const batch = category.render(seeds.map((s) => generate(category, s)));

  test("the generated programs type-check under strict, and so does adc's output for them", { timeout: 300_000 }, () => {
    expect(typeErrors(batch.text, MODULE_FILE)).toEqual([]);
    const compiled = compileFast(batch.text, MODULE_FILE);
    expect(compiled.diagnostics).toEqual([]);
    expect(typeErrors(compiled.code!, MODULE_FILE).filter((e) => !KNOWN_OUTPUT_TYPE_ERRORS.some((k) => k.test(e)))).toEqual([]);
  });

  test("compile the same as compileSource (the fast path changes nothing), twice alike", { timeout: 300_000 }, () => {
    const fast = compileFast(batch.text, MODULE_FILE).code;
    const first = compileSource(batch.text, MODULE_FILE).code;
    expect(fast).toBeDefined();
    expect(fast).toBe(first);
    expect(compileSource(batch.text, MODULE_FILE).code).toBe(first);
  });
});

test("the categories named in the plans exist", () => {
  for (const name of Object.keys(PLANS)) expect(categoryNamed(name).name).toBe(name);
});

describe("the oracle catches what it is there to catch", () => {
  const x2: ParamSpec[] = [{ k: "num" }, { k: "num" }];
  const points = () => [[0.5, -1.5], [1.25, 0.75]];
  const reverse = { name: "g", operator: "grad" as const, wrt: [0, 1], bare: false, call: "grad(f)" };
  const subject: Subject = { f: "f", params: x2, results: 0, reverse, jvp: "j", hvp: "h" };
  const right = {
    f: (x: number, y: number) => x * Math.sin(y),
    g: (x: number, y: number) => [Math.sin(y), x * Math.cos(y)],
    j: ([x, y]: number[], [dx, dy]: number[]) => [x * Math.sin(y), dx * Math.sin(y) + dy * x * Math.cos(y)],
    h: ([x, y]: number[], [dx, dy]: number[]) => [dy * Math.cos(y), dx * Math.cos(y) - dy * x * Math.sin(y)],
  };
  const outcome = (module: Record<string, unknown>, s: Subject = subject) => checkSubjects(module, [s], points, emptyStats()).outcome;

  test("a right module passes", () => expect(outcome(right)).toBe("ok"));
  test("a wrong gradient", () => expect(outcome({ ...right, g: (x: number, y: number) => [Math.sin(y), x] })).toBe("mismatch"));
  test("a gradient of the wrong shape", () => expect(outcome({ ...right, g: (x: number) => [x] })).toBe("mismatch"));
  test("forward mode disagreeing with reverse mode", () => expect(outcome({ ...right, j: ([x, y]: number[], [dx]: number[]) => [x * Math.sin(y), dx] })).toBe("mismatch"));
  test("a wrong Hessian-vector product", () => expect(outcome({ ...right, h: () => [0, 0] })).toBe("mismatch"));
  test("numbers left on the tape", () =>
    expect(outcome({ ...right, g: (x: number, y: number) => (tape.push(x), [Math.sin(y), x * Math.cos(y)]) })).toBe("mismatch"));
  test("a derivative that throws", () => expect(outcome({ ...right, g: () => { throw new Error("boom"); } })).toBe("crash"));
  test("a primal that is not finite is the generator's fault", () => expect(outcome({ ...right, f: () => NaN })).toBe("invalid"));
  test("a NaN gradient where forward mode is finite (guarded)", () =>
    expect(outcome({ ...right, g: (x: number, y: number) => [Math.sin(y), y > 0 ? NaN : x * Math.cos(y)] }, { ...subject, guarded: true })).toBe("mismatch"));

  const pair: Subject = { f: "p", params: x2, results: 2, jvp: "pj", jacobian: { forward: "jf", reverse: "jr" } };
  const J = (x: number, y: number) => [[y, x], [1, 1]];
  const vector = {
    p: (x: number, y: number) => [x * y, x + y],
    pj: ([x, y]: number[], [dx, dy]: number[]) => [[x * y, x + y], [dx * y + x * dy, dx + dy]],
    jf: J,
    jr: J,
  };
  test("a right vector-valued module passes", () => expect(outcome(vector, pair)).toBe("ok"));
  test("Jacobians that disagree", () => expect(outcome({ ...vector, jr: (x: number, y: number) => [[y, x], [1, 0]] }, pair)).toBe("mismatch"));
  test("a jvp failing the dot-product test", () =>
    expect(outcome({ ...vector, pj: ([x, y]: number[], [dx]: number[]) => [[x * y, x + y], [dx * y, dx]] }, pair)).toBe("mismatch"));
});
