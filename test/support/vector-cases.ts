// Functions whose value is a tuple, an array or an object (fixtures export them as
// `vectorValued`): their Jacobians in each mode against central differences and each other, and
// the dot-product test ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ between their jvp and their vjp. Numbers are taken in
// the order the runtime's Jacobians take them: elements in order, an object's fields in the order
// of its keys.
import { Tensor } from "../../runtime/tensor/tensor";
import type { Arg } from "./cases";
import { mulberry32 } from "./random";

export interface VectorCase {
  readonly fn: (...xs: any[]) => unknown;
  /** Jacobians: any of the default, forward and reverse modes. */
  readonly jacobian?: (...xs: any[]) => unknown[];
  readonly forward?: (...xs: any[]) => unknown[];
  readonly reverse?: (...xs: any[]) => unknown[];
  readonly jvp: (primals: any[], tangents: any[]) => [unknown, unknown];
  readonly vjp: (...xs: any[]) => [unknown, (seed: any) => unknown];
  readonly at: readonly (readonly Arg[])[];
  /** Compared with central differences (default 1e-6). */
  readonly tolerance?: number;
}

/** The numbers of a value, in key order for objects. */
export function numbersOf(x: unknown, out: number[] = []): number[] {
  if (typeof x === "number") out.push(x);
  else if (x instanceof Float64Array) out.push(...x);
  else if (x instanceof Tensor || x instanceof Int32Array) throw new Error("tensors and integer arrays are not vector-valued results");
  else if (Array.isArray(x)) x.forEach((e) => numbersOf(e, out));
  else if (x !== null && typeof x === "object") Object.values(x).forEach((e) => numbersOf(e, out));
  else throw new Error(`not a number, array or object: ${String(x)}`);
  return out;
}

/** `template`'s shape (and kinds) with its numbers from `values`, consumed in order. */
export function withNumbers<T>(template: T, values: number[]): T {
  const next = () => {
    if (values.length === 0) throw new Error("too few numbers");
    return values.shift()!;
  };
  const build = (t: unknown): unknown => {
    if (typeof t === "number") return next();
    if (t instanceof Float64Array) return Float64Array.from(t, () => next());
    if (Array.isArray(t)) return t.map(build);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t as object)) out[k] = build(v);
    return out;
  };
  return build(template) as T;
}

/** A deep copy that keeps the order of an object's keys (the order its numbers are counted in). */
export function copyOf<T>(x: T): T {
  return withNumbers(x, numbersOf(x));
}

/** Whether two values have the same shape and kinds (Float64Array for Float64Array, keys, lengths). */
export function sameShapeAs(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return typeof b === "number";
  if (a instanceof Float64Array) return b instanceof Float64Array && a.length === b.length;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShapeAs(x, b[i]));
  if (b === null || typeof b !== "object" || Array.isArray(b) || b instanceof Float64Array) return false;
  const keys = Object.keys(a as object);
  return keys.join() === Object.keys(b).join() && keys.every((k) => sameShapeAs((a as never)[k], (b as never)[k]));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  return a.reduce((s, x, i) => s + x * b[i], 0);
}

/** The gradient's shape: bare for one parameter, else a tuple of the parameters' shapes. */
export function gradientShape(x: readonly Arg[]): unknown {
  return x.length === 1 ? x[0] : [...x];
}

/** ∂ value_i / ∂ x_j by central differences, as rows (one per number of the value). */
export function numericJacobian(fn: (...xs: any[]) => unknown, x: readonly Arg[], h = 1e-6): number[][] {
  const x0 = numbersOf([...x]);
  const at = (values: number[]) => numbersOf(fn(...withNumbers([...x], [...values])));
  const m = at(x0).length;
  const columns = x0.map((xj, j) => {
    const step = h * Math.max(1, Math.abs(xj));
    const plus = [...x0];
    const minus = [...x0];
    plus[j] += step;
    minus[j] -= step;
    const [fp, fm] = [at(plus), at(minus)];
    return fp.map((v, i) => (v - fm[i]) / (plus[j] - minus[j]));
  });
  return Array.from({ length: m }, (_, i) => columns.map((c) => c[i]));
}

/** Deterministic numbers in [−½, ½) (mulberry32's, shifted). */
export function random(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => uniform() - 0.5;
}
