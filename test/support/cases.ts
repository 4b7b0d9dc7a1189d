// Walking the `cases` a fixture exports: which operator a case uses, what shape its gradient must
// have, and how it compares with central differences of the primal.
import * as fs from "node:fs";
import * as path from "node:path";
import { checkGradient, type CheckGradResult } from "../../runtime/check";

export const FIXTURES_DIR = path.resolve(__dirname, "../../fixtures");

type Fn = (...xs: number[]) => number;

/** One entry of a fixture's `cases` (see fixtures/seed.ts). */
export interface Case {
  readonly fn: Fn;
  readonly grad?: (...xs: number[]) => unknown;
  readonly valueAndGrad?: (...xs: number[]) => [number, unknown];
  readonly vjp?: (...xs: number[]) => [number, (seed: number) => unknown];
  /** The parameter indices the operator's result covers; a number means a bare result. */
  readonly wrt?: number | readonly number[];
  readonly at: readonly (readonly number[])[];
  readonly tolerance?: number;
}

export type Operator = "grad" | "valueAndGrad" | "vjp";

/** Names (without .ts) of the fixtures: fixtures/*.ts minus the generated *.out.ts snapshots. */
export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".out.ts"))
    .map((f) => f.slice(0, -".ts".length))
    .sort();
}

export function fixturePath(name: string): string {
  return path.join(FIXTURES_DIR, `${name}.ts`);
}

export function operatorOf(c: Case): Operator {
  const ops = (["grad", "valueAndGrad", "vjp"] as const).filter((op) => c[op] !== undefined);
  if (ops.length !== 1) throw new Error(`a case needs exactly one of grad, valueAndGrad, vjp (has ${ops.length})`);
  return ops[0];
}

export function describeCase(c: Case, index: number): string {
  const wrt = c.wrt === undefined ? "" : `, wrt ${JSON.stringify(c.wrt)}`;
  return `case ${index}: ${operatorOf(c)}(${c.fn.name || "<anonymous>"}${wrt})`;
}

/** The parameter indices a case's gradient covers, and whether the gradient is a bare number. */
export function coverage(c: Case): { indices: number[]; bare: boolean } {
  if (typeof c.wrt === "number") return { indices: [c.wrt], bare: true };
  if (c.wrt !== undefined) return { indices: [...c.wrt], bare: false };
  const n = c.fn.length;
  return { indices: Array.from({ length: n }, (_, i) => i), bare: n === 1 };
}

/** The gradient as a plain list (in `coverage` order), after checking its shape. */
export function entries(c: Case, gradient: unknown): number[] {
  const { indices, bare } = coverage(c);
  if (bare) {
    if (typeof gradient !== "number") {
      throw new Error(`expected a bare number gradient, got ${JSON.stringify(gradient)}`);
    }
    return [gradient];
  }
  if (!Array.isArray(gradient) || gradient.length !== indices.length || !gradient.every((g) => typeof g === "number")) {
    throw new Error(`expected a tuple of ${indices.length} numbers, got ${JSON.stringify(gradient)}`);
  }
  return gradient as number[];
}

export interface PointResult {
  /** The operator's value (valueAndGrad and vjp), to compare with fn(...x). */
  readonly value?: number;
  /** The gradient as the operator returned it (vjp: pullback(1)). */
  readonly gradient: unknown;
  /** vjp only: pullback(seed) for a seed other than 1, with that seed. */
  readonly scaled?: { readonly seed: number; readonly gradient: unknown };
}

export const VJP_SEED = 2.5;

/** Runs a case's operator at one point. */
export function runCase(c: Case, x: readonly number[]): PointResult {
  switch (operatorOf(c)) {
    case "grad":
      return { gradient: c.grad!(...x) };
    case "valueAndGrad": {
      const [value, gradient] = c.valueAndGrad!(...x);
      return { value, gradient };
    }
    case "vjp": {
      const [value, pullback] = c.vjp!(...x);
      const gradient = pullback(1);
      return { value, gradient, scaled: { seed: VJP_SEED, gradient: pullback(VJP_SEED) } };
    }
  }
}

/**
 * Compares a gradient with central differences of `fn` at `x`, only along the covered
 * parameters (the others stay fixed at their values in `x`).
 */
export function checkAgainstDifferences(c: Case, x: readonly number[], gradient: unknown): CheckGradResult {
  const { indices } = coverage(c);
  const analytic = entries(c, gradient);
  const restricted = (...ys: number[]): number => {
    const full = x.slice();
    indices.forEach((i, k) => (full[i] = ys[k]));
    return c.fn(...full);
  };
  return checkGradient(restricted, analytic, indices.map((i) => x[i]), { tolerance: c.tolerance ?? 1e-6 });
}

/** Largest relative difference between pullback(seed) and seed × pullback(1). */
export function scalingError(c: Case, gradient: unknown, scaled: { seed: number; gradient: unknown }): number {
  const one = entries(c, gradient);
  const s = entries(c, scaled.gradient);
  let worst = 0;
  one.forEach((g, i) => {
    const expected = scaled.seed * g;
    const error = Math.abs(s[i] - expected) / Math.max(1, Math.abs(expected));
    worst = Math.max(worst, Number.isNaN(error) ? Infinity : error);
  });
  return worst;
}
