// Property tests: random scalar programs from the supported language (test/support/program-gen.ts)
// are compiled with adc, and their gradients compared with central differences of the primal; the
// forward-mode gradient (one jvp per parameter) must equal the reverse-mode one, and the
// Hessian-vector products (forward over reverse) central differences of the reverse gradient.
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler";
import { centralDifference, checkGradient } from "../runtime/check";
import { tape } from "../runtime";
import { copyArgs, leaves, rebuild, sameShape, showPoint, type Arg } from "./support/cases";
import { loadSource, type Module } from "./support/load";
import { Program, programArb, renderModule, samplePoints, type Check, type RenderedFunctions } from "./support/program-gen";
import { loopProgramArb, renderLoopModule, type LoopProgram, type ParamSpec, type RenderedLoopProgram } from "./support/program-gen-loops";

/** Fixed seed: every run checks the same programs at the same points (ADC_PROPERTY_SEED to explore others). */
const SEED = process.env.ADC_PROPERTY_SEED ? Number(process.env.ADC_PROPERTY_SEED) : 0x0adc_2026;
/**
 * Programs are compiled several to a module, because each module costs a ts.Program (~0.5 s here).
 * A module holds 1–MAX_BATCH programs (6.5 on average), so a failing one shrinks fast: first the
 * others are dropped, then the failing program is simplified.
 */
const MAX_BATCH = 12;
/** Modules checked; with the fixed seed this is over 200 programs (asserted). */
const MODULES = 44;
const MIN_PROGRAMS = 200;
const POINTS = 3;
const TOLERANCE = 1e-6;
/** Forward and reverse mode compute the same derivative in different orders: they agree to rounding. */
const FORWARD_REVERSE = 1e-12;
/** hvp against central differences of the gradient (truncation and rounding of a difference quotient). */
const HVP_TOLERANCE = 1e-5;
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

function describeFailure(fn: RenderedFunctions, check: Check, x: number[], what: string): string {
  return `${what}\n  at ${check.f}(${x.join(", ")})\n${fn.text}`;
}

interface Tally {
  points: number;
  skipped: number;
  programs: number;
  /** Points checked where some gradient entry is nonzero. */
  nonzero: number;
  /** Hessian entries checked by hvp, and those skipped near a kink of the gradient. */
  hvpChecked: number;
  hvpSkipped: number;
}

/** What the operator returned at x, as the gradient (wrt entries) and, when it gives one, the value. */
function evaluateOperator(fn: Check, g: (...xs: number[]) => unknown, x: number[]): { value?: number; gradient: unknown } {
  const out = g(...x);
  switch (fn.operator) {
    case "grad":
      return { gradient: out };
    case "valueAndGrad": {
      const [value, gradient] = out as [number, unknown];
      return { value, gradient };
    }
    case "vjp": {
      const [value, pullback] = out as [number, (seed: number) => unknown];
      return { value, gradient: pullback(1) };
    }
  }
}

/** hvp(f)(x, eᵢ) against central differences of the reverse gradient along xᵢ, where they are smooth. */
function checkHvp(module: Module, check: Check, x: number[], tally: Tally, fail: (x: number[], what: string) => never): void {
  const g = module[check.g] as (...xs: number[]) => unknown;
  const hvp = module[check.hvp] as (primals: number[], v: number[]) => number[];
  const gradient = (xs: number[]) => {
    const out = evaluateOperator(check, g, xs).gradient;
    return typeof out === "number" ? [out] : (out as number[]);
  };
  x.forEach((_, i) => {
    const column = hvp(x.slice(), x.map((_, k) => (k === i ? 1 : 0)));
    const difference = (step: number) => {
      const h = step * Math.max(1, Math.abs(x[i]));
      const plus = x.slice();
      const minus = x.slice();
      plus[i] += h;
      minus[i] -= h;
      const [gp, gm] = [gradient(plus), gradient(minus)];
      return gp.map((v, j) => (v - gm[j]) / (plus[i] - minus[i]));
    };
    const [coarse, fine] = [difference(1e-5), difference(1e-6)];
    check.wrt.forEach((w, j) => {
      if (!(relativeGap(coarse[j], fine[j]) <= HVP_TOLERANCE)) {
        tally.hvpSkipped++; // a kink of the gradient nearby
        return;
      }
      tally.hvpChecked++;
      if (!(relativeGap(column[w], fine[j]) <= HVP_TOLERANCE)) {
        fail(x, `${check.hvpCall} along x${i}, entry ${w}: ${column[w]}, central differences of the gradient ${fine[j]}`);
      }
    });
  });
}

/** Checks every derivative of one compiled module at POINTS points; throws on a wrong one. */
function checkModule(module: Module, functions: RenderedFunctions[], seed: number, tally: Tally): void {
  functions.forEach((fn, k) => {
    tally.programs++;
    fn.checks.forEach((check, c) => {
      const f = module[check.f] as (...xs: number[]) => number;
      const g = module[check.g] as (...xs: number[]) => unknown;
      const fail = (x: number[], what: string): never => {
        throw new Error(describeFailure(fn, check, x, what));
      };
      for (const x of samplePoints(seed + 7 * k + c, check.arity, POINTS)) {
        tally.points++;
        const y = f(...x);
        if (!Number.isFinite(y)) fail(x, `generator bug: the primal is ${y}`);
        const { value, gradient } = evaluateOperator(check, g, x);
        if (value !== undefined && !(relativeGap(value, y) <= 1e-12)) {
          fail(x, `${check.operatorCall} gives the value ${value}, the primal ${y}`);
        }
        const shapeOk = check.bare
          ? typeof gradient === "number"
          : Array.isArray(gradient) && gradient.length === check.wrt.length;
        if (!shapeOk) fail(x, `${check.operatorCall} gives a gradient of the wrong shape: ${JSON.stringify(gradient)}`);
        // f as a function of the differentiated parameters only, the others fixed at x.
        const fw = (...sub: number[]): number => {
          const xs = x.slice();
          check.wrt.forEach((i, j) => (xs[i] = sub[j]));
          return f(...xs);
        };
        const at = check.wrt.map((i) => x[i]);
        if (nearKink(fw, at)) {
          tally.skipped++;
          continue;
        }
        const result = checkGradient(fw, gradient as number | number[], at, { tolerance: TOLERANCE });
        const jvp = module[check.jvp] as (primals: number[], tangents: number[]) => [number, number];
        checkHvp(module, check, x, tally, fail);
        check.wrt.forEach((i, j) => {
          const [value, tangent] = jvp(x.slice(), x.map((_, k) => (k === i ? 1 : 0)));
          if (!Object.is(value, y)) fail(x, `${check.jvpCall} gives the value ${value}, the primal ${y}`);
          const reverse = result.analytic[j];
          if (!(relativeGap(tangent, reverse) <= FORWARD_REVERSE)) {
            fail(x, `${check.jvpCall} along x${i} gives ${tangent}, reverse mode ${reverse}, central differences ${result.numeric[j]}`);
          }
        });
        if (result.numeric.some((d) => d !== 0)) tally.nonzero++;
        if (!result.ok) {
          fail(
            x,
            `${check.operatorCall} is wrong: error ${result.maxError}\n` +
              `  adc:     [${result.analytic.join(", ")}]\n  numeric: [${result.numeric.join(", ")}]`,
          );
        }
      }
    });
  });
}

/** Type errors (strict) of module text, checked as plain TypeScript; lib files parsed once. */
const libFiles = new Map<string, ts.SourceFile | undefined>();
function typeErrors(text: string): string[] {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileName = "/generated/module.ts";
  host.getSourceFile = (name, version, onError, create) => {
    if (name === fileName) return ts.createSourceFile(name, text, version, true);
    if (!libFiles.has(name)) libFiles.set(name, getSourceFile(name, version, onError, create));
    return libFiles.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${message}\n  line ${line + 1}: ${text.split("\n")[line].trim()}`;
  });
}

describe("generated programs", () => {
  it("type-check under strict, and run untransformed to finite values at the sample points", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.array(programArb(), { minLength: 1, maxLength: 40 }), pointSeed, (ps, seed) => {
        const { text, functions } = renderModule(
          ps.map((p) => p.raw),
          false,
        );
        expect(typeErrors(text)).toEqual([]);
        const js = ts.transpileModule(text, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        const module = { exports: {} as Module };
        new Function("exports", "module", js)(module.exports, module);
        functions.forEach((fn, k) => {
          fn.checks.forEach((check, c) => {
            for (const x of samplePoints(seed + 7 * k + c, check.arity, POINTS)) {
              const y = module.exports[check.f](...x);
              if (!Number.isFinite(y) || Math.abs(y) > 1e3) {
                throw new Error(describeFailure(fn, check, x, `primal ${y}`));
              }
            }
          });
        });
      }),
      { seed: SEED, numRuns: 6 },
    );
  });
});

describe("adc gradients of random programs", () => {
  it(`match central differences (${MIN_PROGRAMS}+ programs × ${POINTS} points)`, { timeout: 300_000 }, () => {
    const tally: Tally = { points: 0, skipped: 0, programs: 0, nonzero: 0, hvpChecked: 0, hvpSkipped: 0 };
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
    // Mostly constant functions would check little.
    expect(tally.nonzero / (tally.points - tally.skipped)).toBeGreaterThan(0.6);
    // Second derivatives: most Hessian entries are checked, not skipped.
    expect(tally.hvpChecked).toBeGreaterThan(1000);
    expect(tally.hvpSkipped / (tally.hvpChecked + tally.hvpSkipped)).toBeLessThan(0.1);
  });

  it("are deterministic: the same text compiles to the same code", { timeout: 120_000 }, () => {
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

// ---------------------------------------------------------------------------------------------
// Loops and arrays (test/support/program-gen-loops.ts)

/** Loop programs are larger and slower to compile: fewer to a module. */
const LOOP_MAX_BATCH = 10;
const LOOP_MODULES = 50;
const LOOP_MIN_PROGRAMS = 250;

const loopPrograms = fc.array(loopProgramArb(), { minLength: 1, maxLength: LOOP_MAX_BATCH });

/** Arguments for f's parameters: arrays of their kind and length, numbers in [-INPUT_BOUND, INPUT_BOUND]. */
function sampleArgs(seed: number, params: readonly ParamSpec[], count: number): Arg[][] {
  const sizes = params.map((p) => (p.k === "num" ? 1 : p.k === "array" ? p.len : p.k === "matrix" ? p.rows * p.len : p.len + 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  return samplePoints(seed, total, count).map((flat) => {
    const values = [...flat];
    return params.map((p): Arg => {
      if (p.k === "num") return values.shift()!;
      if (p.k === "matrix") return Array.from({ length: p.rows }, () => values.splice(0, p.len));
      const xs = values.splice(0, p.len);
      const array = p.kind === 0 ? Float64Array.from(xs) : xs;
      return p.k === "array" ? array : { a: array, b: values.shift()! };
    });
  });
}

function describeLoopFailure(fn: RenderedLoopProgram, x: readonly Arg[], what: string): string {
  return `${what}\n  at ${fn.check.f}(${showPoint(x)})\n${fn.text}`;
}

/** Checks one compiled loop module at POINTS points per program; throws on a wrong derivative. */
function checkLoopModule(module: Module, functions: RenderedLoopProgram[], seed: number, tally: Tally): void {
  functions.forEach((fn, k) => {
    tally.programs++;
    const check = fn.check;
    const f = module[check.f] as (...xs: Arg[]) => number;
    const g = module[check.g] as (...xs: Arg[]) => unknown;
    for (const x of sampleArgs(seed + 7 * k, check.params, POINTS)) {
      const fail = (what: string): never => {
        throw new Error(describeLoopFailure(fn, x, what));
      };
      tally.points++;
      // f may write to its array arguments: every call gets its own copy.
      const y = f(...copyArgs(x));
      if (!Number.isFinite(y) || Math.abs(y) > 1e3) fail(`generator bug: the primal is ${y}`);
      if (tape.size !== 0) fail(`the tape holds ${tape.size} numbers before the call`);
      let out: unknown;
      try {
        out = g(...copyArgs(x));
      } catch (e) {
        fail(`${check.operatorCall} throws ${String(e)}`);
      }
      if (tape.size !== 0) fail(`${check.operatorCall} leaves ${tape.size} numbers on the tape`);
      let gradient = out;
      if (check.operator === "valueAndGrad") {
        const [value, gr] = out as [number, unknown];
        gradient = gr;
        if (!(relativeGap(value, y) <= 1e-12)) fail(`${check.operatorCall} gives the value ${value}, the primal ${y}`);
      }
      const parts = check.bare ? [gradient] : gradient;
      const shapeOk =
        Array.isArray(parts) && parts.length === check.wrt.length && check.wrt.every((i, j) => sameShape(x[i], parts[j]));
      if (!shapeOk) {
        fail(`${check.operatorCall} gives a gradient of the wrong shape: ${showPoint(check.bare ? [gradient as Arg] : (gradient as Arg[]))}`);
      }
      const analytic = (parts as unknown[]).flatMap(leaves);
      // f as a function of the leaves of the differentiated parameters, the others fixed at x.
      const fw = (...sub: number[]): number => {
        const xs = copyArgs(x);
        const values = [...sub];
        for (const i of check.wrt) xs[i] = rebuild(x[i], values) as Arg;
        return f(...xs);
      };
      const at = check.wrt.flatMap((i) => leaves(x[i]));
      if (nearKink(fw, at)) {
        tally.skipped++;
        continue;
      }
      const result = checkGradient(fw, analytic, at, { tolerance: TOLERANCE });
      if (result.numeric.some((d) => d !== 0)) tally.nonzero++;
      if (!result.ok) {
        fail(
          `${check.operatorCall} is wrong: error ${result.maxError}\n` +
            `  adc:     [${result.analytic.join(", ")}]\n  numeric: [${result.numeric.join(", ")}]`,
        );
      }
    }
  });
}

describe("adc gradients of random programs with loops and arrays", () => {
  it("type-check under strict, and run untransformed to bounded values", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(loopProgramArb(), { minLength: 1, maxLength: 30 }), pointSeed, (ps, seed) => {
        const { text, functions } = renderLoopModule(
          ps.map((p) => p.raw),
          false,
        );
        expect(typeErrors(text)).toEqual([]);
        const module = { exports: {} as Module };
        const js = ts.transpileModule(text, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        new Function("exports", "module", js)(module.exports, module);
        functions.forEach((fn, k) => {
          for (const x of sampleArgs(seed + 7 * k, fn.check.params, POINTS)) {
            const y = module.exports[fn.check.f](...copyArgs(x));
            if (!Number.isFinite(y) || Math.abs(y) > 1e3) throw new Error(describeLoopFailure(fn, x, `primal ${y}`));
          }
        });
      }),
      { seed: SEED, numRuns: 4 },
    );
  });

  it(`match central differences, with the tape empty after every call (${LOOP_MIN_PROGRAMS}+ programs × ${POINTS} points)`, { timeout: 300_000 }, () => {
    const tally: Tally = { points: 0, skipped: 0, programs: 0, nonzero: 0 };
    fc.assert(
      fc.property(loopPrograms, pointSeed, (ps: LoopProgram[], seed: number) => {
        const { text, functions } = renderLoopModule(ps.map((p) => p.raw));
        checkLoopModule(loadSource(text), functions, seed, tally);
      }),
      { seed: SEED, numRuns: LOOP_MODULES, plugins: [fc.interruptAfterTimeLimit(240_000)] },
    );
    expect(tally.programs).toBeGreaterThanOrEqual(LOOP_MIN_PROGRAMS);
    expect(tally.skipped / tally.points).toBeLessThanOrEqual(MAX_SKIPPED);
    expect(tally.nonzero / (tally.points - tally.skipped)).toBeGreaterThan(0.6);
  });

  it("are deterministic: the same text compiles to the same code", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(loopProgramArb(), (p) => {
        const first = compileSource(p.source);
        const second = compileSource(p.source);
        expect(first.diagnostics.length, first.diagnostics.map((d) => d.message).join("\n")).toBe(0);
        expect(second.code).toBe(first.code);
      }),
      { seed: SEED, numRuns: 10 },
    );
  });
});
