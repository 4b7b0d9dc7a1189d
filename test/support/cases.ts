// Walking the `cases` a fixture exports: which operator a case uses, what shape its gradient must
// have, and how it compares with central differences of the primal.
import * as fs from "node:fs";
import * as path from "node:path";
import { checkGradient, type CheckGradResult } from "../../runtime/check";
import { Tensor } from "../../runtime/tensor/tensor";

export const FIXTURES_DIR = path.resolve(__dirname, "../../fixtures");

/** An argument: a number, an array (number[] or Float64Array, nested) or an object of those. */
export type Arg = number | Float64Array | Tensor | Int32Array | readonly Arg[] | { readonly [field: string]: Arg };

type Fn = (...xs: any[]) => number;

/** One entry of a fixture's `cases` (see fixtures/seed.ts and fixtures/loop-sum.ts). */
export interface Case {
  readonly fn: Fn;
  readonly grad?: (...xs: any[]) => unknown;
  readonly valueAndGrad?: (...xs: any[]) => [number, unknown];
  readonly vjp?: (...xs: any[]) => [number, (seed: number) => unknown];
  /** The parameter indices the operator's result covers; a number means a bare result. */
  readonly wrt?: number | readonly number[] | "this";
  readonly at: readonly (readonly Arg[])[];
  readonly tolerance?: number;
  /** `fn` is an instance method: the instance it is called on (the fields it reads are constants, unless `wrt: "this"`). */
  readonly receiver?: object;
  /** With `wrt: "this"`: the fields the gradient has, an object shaped like them. */
  readonly fields?: readonly string[];
}

/** A case with `receiver` and `wrt` as plain parameter indices (what every check below takes). */
export type PlainCase = Case & { readonly wrt?: number | readonly number[] };

/**
 * A case as one over plain parameters: an instance method's case is `fn` called on its receiver;
 * with `wrt: "this"`, the fields it names become parameter 0 (a copy of the receiver with those
 * fields is what `fn` is called on, so central differences move them), its gradient the bare one.
 */
export function plainCase(c: Case): PlainCase {
  const receiver = c.receiver;
  if (!receiver) {
    if (c.wrt === "this") throw new Error("wrt: \"this\" needs a receiver");
    return c as PlainCase;
  }
  const n = c.fn.length;
  const explicit = typeof c.wrt === "number" || Array.isArray(c.wrt) ? c.wrt : n === 1 ? 0 : Array.from({ length: n }, (_, i) => i);
  const named = <F extends Function>(f: F): F => Object.defineProperty(f, "name", { value: c.fn.name });
  if (c.wrt !== "this") {
    return { ...c, receiver: undefined, wrt: explicit as number | readonly number[], fn: named((...xs: any[]) => c.fn.apply(receiver, xs)) };
  }
  const fields = c.fields ?? [];
  const withFields = (values: Record<string, unknown>) => Object.assign(Object.create(Object.getPrototypeOf(receiver)), receiver, values);
  const picked = Object.fromEntries(fields.map((f) => [f, (receiver as Record<string, Arg>)[f]])) as Arg;
  const skipSelf = <F extends (...xs: any[]) => any>(f: F | undefined) => f && ((_self: unknown, ...xs: any[]) => f(...xs));
  return {
    fn: named((self: Record<string, unknown>, ...xs: any[]) => c.fn.apply(withFields(self), xs)),
    grad: skipSelf(c.grad),
    valueAndGrad: skipSelf(c.valueAndGrad),
    vjp: skipSelf(c.vjp),
    wrt: 0,
    at: c.at.map((x) => [picked, ...x]),
    tolerance: c.tolerance,
  };
}

/** The numbers in an argument, in a fixed order (elements in order, fields in key order). */
export function leaves(x: unknown): number[] {
  if (typeof x === "number") return [x];
  if (x instanceof Tensor) return [...x.data];
  if (x instanceof Int32Array) return []; // integer labels: not differentiated
  if (x instanceof Float64Array) return [...x];
  if (Array.isArray(x)) return x.flatMap(leaves);
  if (x !== null && typeof x === "object") return Object.keys(x).sort().flatMap((k) => leaves((x as Record<string, unknown>)[k]));
  throw new Error(`not a number, array or object: ${String(x)}`);
}

/** `template`'s shape filled with `values` (consumed from the front). */
export function rebuild(template: unknown, values: number[]): unknown {
  if (typeof template === "number") return values.shift()!;
  if (template instanceof Tensor) {
    const data = template.dtype === "float64" ? new Float64Array(template.size) : new Float32Array(template.size);
    for (let i = 0; i < data.length; i++) data[i] = values.shift()!;
    return new Tensor(data, [...template.shape]);
  }
  if (template instanceof Int32Array) return Int32Array.from(template);
  if (template instanceof Float64Array) return Float64Array.from(template, () => values.shift()!);
  if (Array.isArray(template)) return template.map((t) => rebuild(t, values));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(template as object).sort()) out[k] = rebuild((template as Record<string, unknown>)[k], values);
  return out;
}

/** A deep copy (gradients may be computed by code that writes to its arguments). */
export function copyArgs(x: readonly Arg[]): Arg[] {
  return x.map((a) => rebuild(a, leaves(a)) as Arg);
}

/** Whether `g` has the same shape and kind as `template` (Float64Array for Float64Array, …). */
export function sameShape(template: unknown, g: unknown): boolean {
  if (typeof template === "number") return typeof g === "number";
  if (template instanceof Tensor) return g instanceof Tensor && g.shape.join() === template.shape.join() && g.dtype === template.dtype;
  if (template instanceof Float64Array) return g instanceof Float64Array && g.length === template.length;
  if (Array.isArray(template)) return Array.isArray(g) && g.length === template.length && template.every((t, i) => sameShape(t, g[i]));
  if (g === null || typeof g !== "object" || Array.isArray(g) || g instanceof Float64Array) return false;
  const keys = Object.keys(template as object).sort();
  return JSON.stringify(keys) === JSON.stringify(Object.keys(g).sort()) &&
    keys.every((k) => sameShape((template as Record<string, unknown>)[k], (g as Record<string, unknown>)[k]));
}

/** A point, printed for messages. */
export function showPoint(x: readonly Arg[]): string {
  const plain = (a: unknown): unknown =>
    a instanceof Tensor ? `Tensor[${a.shape.join(",")}]` : a instanceof Float64Array || a instanceof Int32Array ? [...a] : a;
  return x.map((a) => (typeof a === "number" ? String(a) : JSON.stringify(a, (_k, v) => plain(v)))).join(", ");
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
export function coverage(c: PlainCase): { indices: number[]; bare: boolean } {
  if (typeof c.wrt === "number") return { indices: [c.wrt], bare: true };
  if (c.wrt !== undefined) return { indices: [...c.wrt], bare: false };
  const n = c.fn.length;
  return { indices: Array.from({ length: n }, (_, i) => i), bare: n === 1 };
}

/**
 * The gradient as a plain list of numbers (in `coverage` order, each parameter's leaves in order),
 * after checking that each part has its parameter's shape and kind.
 */
export function entries(c: PlainCase, gradient: unknown, x: readonly Arg[]): number[] {
  const { indices, bare } = coverage(c);
  const parts = bare ? [gradient] : gradient;
  if (!Array.isArray(parts) || parts.length !== indices.length) {
    throw new Error(`expected a tuple of ${indices.length} gradients, got ${JSON.stringify(gradient)}`);
  }
  indices.forEach((i, k) => {
    if (!sameShape(x[i], parts[k])) {
      throw new Error(`the gradient of parameter ${i} should have its shape ${showPoint([x[i]])}, got ${JSON.stringify(parts[k])}`);
    }
  });
  return parts.flatMap(leaves);
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

/** Runs a case's operator at one point (on a copy of it). */
export function runCase(c: Case, at: readonly Arg[]): PointResult {
  const x = copyArgs(at);
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
export function checkAgainstDifferences(c: PlainCase, x: readonly Arg[], gradient: unknown): CheckGradResult {
  const { indices } = coverage(c);
  const analytic = entries(c, gradient, x);
  const restricted = (...ys: number[]): number => {
    const full = copyArgs(x);
    const values = [...ys];
    for (const i of indices) full[i] = rebuild(x[i], values) as Arg;
    return c.fn(...full);
  };
  return checkGradient(restricted, analytic, indices.flatMap((i) => leaves(x[i])), { tolerance: c.tolerance ?? 1e-6 });
}

/** Largest relative difference between pullback(seed) and seed × pullback(1). */
export function scalingError(c: PlainCase, x: readonly Arg[], gradient: unknown, scaled: { seed: number; gradient: unknown }): number {
  const one = entries(c, gradient, x);
  const s = entries(c, scaled.gradient, x);
  let worst = 0;
  one.forEach((g, i) => {
    const expected = scaled.seed * g;
    const error = Math.abs(s[i] - expected) / Math.max(1, Math.abs(expected));
    worst = Math.max(worst, Number.isNaN(error) ? Infinity : error);
  });
  return worst;
}
