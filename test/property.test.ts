// Property tests: random scalar programs from the supported language (test/support/program-gen.ts)
// are compiled with adc, and their gradients compared with central differences of the primal.
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { centralDifference, checkGrad } from "../runtime/check";
import type { Module } from "./support/load";
import { Program, programArb, renderModule, samplePoints, type RenderedFunctions } from "./support/program-gen";

/** Fixed seed: every run checks the same programs at the same points. */
const SEED = 0x0adc_2026;
/**
 * Programs are compiled several to a module, because each module costs a ts.Program (~0.5 s here).
 * A module holds 1–MAX_BATCH programs (6.5 on average), so a failing one shrinks fast: first the
 * others are dropped, then the failing program is simplified.
 */
const MAX_BATCH = 12;
/** Modules checked; with the fixed seed this is over 200 programs (asserted). */
const MODULES = 36;
const MIN_PROGRAMS = 200;
const POINTS = 3;
const TOLERANCE = 1e-6;
/** Central differences at h and h/10 that disagree by more than this flag a point near a kink. */
const KINK = 1e-5;
const MAX_SKIPPED = 0.1;

const programs = fc.array(programArb(), { minLength: 1, maxLength: MAX_BATCH });
const pointSeed = fc.integer({ min: 0, max: 0x7fffffff });

function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

/** Whether `f` is kinked (or discontinuous) within ~h of `x`: differences at h and h/10 disagree. */
function nearKink(f: (...xs: number[]) => number, x: number[]): boolean {
  for (let i = 0; i < x.length; i++) {
    if (!(relativeGap(centralDifference(f, x, i, 1e-6), centralDifference(f, x, i, 1e-7)) <= KINK)) return true;
  }
  return false;
}

function describeFailure(fn: RenderedFunctions, x: number[], what: string): string {
  return `${what}\n  at ${fn.f}(${x.join(", ")})\n${fn.text}`;
}

interface Tally {
  points: number;
  skipped: number;
  programs: number;
}

/** Checks every function of one compiled module at POINTS points; throws on a wrong gradient. */
function checkModule(module: Module, functions: RenderedFunctions[], seed: number, tally: Tally): void {
  functions.forEach((fn, k) => {
    const f = module[fn.f] as (...xs: number[]) => number;
    const g = module[fn.g] as (...xs: number[]) => unknown;
    tally.programs++;
    for (const x of samplePoints(seed + k, fn.arity, POINTS)) {
      tally.points++;
      const y = f(...x);
      if (!Number.isFinite(y)) throw new Error(describeFailure(fn, x, `generator bug: the primal is ${y}`));
      let gradient = g(...x) as number | number[];
      if (fn.valueAndGrad) {
        const [value, grad] = gradient as unknown as [number, number | number[]];
        if (!(relativeGap(value, y) <= 1e-12)) {
          throw new Error(describeFailure(fn, x, `valueAndGrad value ${value}, primal ${y}`));
        }
        gradient = grad;
      }
      if (fn.arity === 1 ? typeof gradient !== "number" : !Array.isArray(gradient) || gradient.length !== fn.arity) {
        throw new Error(describeFailure(fn, x, `gradient has the wrong shape: ${JSON.stringify(gradient)}`));
      }
      if (nearKink(f, x)) {
        tally.skipped++;
        continue;
      }
      const result = checkGrad(f, gradient, x, { tolerance: TOLERANCE });
      if (!result.ok) {
        throw new Error(
          describeFailure(
            fn,
            x,
            `wrong gradient: error ${result.maxError}\n  adc:     [${result.analytic.join(", ")}]\n  numeric: [${result.numeric.join(", ")}]`,
          ),
        );
      }
    }
  });
}

describe("generated programs", () => {
  it("run untransformed and are finite at the sample points", () => {
    fc.assert(
      fc.property(programs, pointSeed, (ps, seed) => {
        const { text, functions } = renderModule(
          ps.map((p) => p.raw),
          false,
        );
        const js = ts.transpileModule(text, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
          reportDiagnostics: true,
        });
        expect(js.diagnostics ?? []).toEqual([]);
        const module = { exports: {} as Module };
        new Function("exports", "module", js.outputText)(module.exports, module);
        functions.forEach((fn, k) => {
          for (const x of samplePoints(seed + k, fn.arity, POINTS)) {
            const y = module.exports[fn.f](...x);
            if (!Number.isFinite(y) || Math.abs(y) > 1e3) {
              throw new Error(describeFailure(fn, x, `primal ${y}`));
            }
          }
        });
      }),
      { seed: SEED, numRuns: MODULES },
    );
  });
});

describe("adc gradients of random programs", () => {
  it(`match central differences (${MIN_PROGRAMS}+ programs × ${POINTS} points)`, { timeout: 300_000 }, async () => {
    // Imported here so the generator's own test runs whatever state the compiler is in.
    const { loadSource } = await import("./support/load");
    const tally: Tally = { points: 0, skipped: 0, programs: 0 };
    fc.assert(
      fc.property(programs, pointSeed, (ps: Program[], seed: number) => {
        const { text, functions } = renderModule(ps.map((p) => p.raw));
        checkModule(loadSource(text), functions, seed, tally);
      }),
      // Shrinking compiles a module per step: bound the time it may take.
      { seed: SEED, numRuns: MODULES, plugins: [fc.interruptAfterTimeLimit(240_000)] },
    );
    expect(tally.programs).toBeGreaterThanOrEqual(MIN_PROGRAMS);
    // Many skips mean the generator puts points on kinks or makes functions too curved to check.
    expect(tally.skipped / tally.points).toBeLessThanOrEqual(MAX_SKIPPED);
  });

  it("are deterministic: the same text compiles to the same code", { timeout: 120_000 }, async () => {
    const { compileSource } = await import("../compiler");
    fc.assert(
      fc.property(programArb(), (p) => {
        const first = compileSource(p.source);
        const second = compileSource(p.source);
        expect(first.diagnostics.length, first.diagnostics.map((d) => d.message).join("\n")).toBe(0);
        expect(second.code).toBe(first.code);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });
});
