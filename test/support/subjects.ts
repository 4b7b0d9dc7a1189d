// What a generated module asks to have checked, as plain data (a fuzz fixture stores it as JSON):
// the exported primal, the shapes of its parameters, and the exported derivatives of it.
import { Tensor } from "../../runtime/tensor/tensor";
import type { Arg } from "./cases";

/** The shape of one parameter; arguments are built from flat lists of numbers in this order. */
export type ParamSpec =
  | { readonly k: "num" }
  /** kind 0: Float64Array, 1: number[], 2: readonly number[]. */
  | { readonly k: "array"; readonly kind: 0 | 1 | 2; readonly len: number }
  /** number[][] of `rows` rows of `len`. */
  | { readonly k: "matrix"; readonly rows: number; readonly len: number }
  /** `{ a: <array of kind>; b: number }` */
  | { readonly k: "struct"; readonly kind: 0 | 1 | 2; readonly len: number }
  /** A float64 Tensor. */
  | { readonly k: "tensor"; readonly shape: readonly number[] }
  /** An object of fields (in key order). */
  | { readonly k: "object"; readonly fields: Readonly<Record<string, ParamSpec>> }
  /** An array of `len` objects of number fields (`{ x: number; w: number }[]`), each in key order. */
  | { readonly k: "records"; readonly len: number; readonly keys: readonly string[] };

/** One reverse-mode operator applied to f, and how its result is laid out. */
export interface ReverseSpec {
  /** The export holding the operator's result (`export const g = grad(f, …)`). */
  readonly name: string;
  readonly operator: "grad" | "valueAndGrad" | "vjp";
  /** The parameters differentiated, in the order the result lists them. */
  readonly wrt: readonly number[];
  /** Whether the gradient is bare rather than a tuple. */
  readonly bare: boolean;
  /** The source text of the call, for messages (`grad(f, { wrt: ["x"] })`). */
  readonly call: string;
}

/** A function whose derivatives are checked. */
export interface Subject {
  /** The exported primal (a function, or `C.m` for a static method). */
  readonly f: string;
  readonly params: readonly ParamSpec[];
  /** 0: f returns a number; m > 0: f returns m numbers (a tuple, an array, or an object's fields in key order). */
  readonly results: number;
  readonly reverse?: ReverseSpec;
  /** `export const name = jvp(f)`. */
  readonly jvp?: string;
  /** `export const name = hvp(f)`: `hvp(f)(args, v)`, v shaped like the arguments. */
  readonly hvp?: string;
  /** `hessian(f)`: one row per number of the arguments, each shaped like the gradient; checked against the hvp columns. */
  readonly hessian?: string;
  /** `grad(grad(f))` of a function of one number. */
  readonly grad2?: string;
  /** `jvp(f, { directions: k })`, vector mode (checked against reverse mode along k directions). */
  readonly jvpK?: { readonly name: string; readonly k: number };
  /** `jacobian(f)` and `jacobian(f, { mode: "reverse" })`. */
  readonly jacobian?: { readonly forward: string; readonly reverse: string };
  /**
   * Domain-restricted values used only under a condition (issue 13): points where the primal, its
   * forward derivative or its central differences are not finite are skipped, and elsewhere
   * reverse mode must be finite and equal.
   */
  readonly guarded?: boolean;
}

/** A module to compile, with what to check in it. */
export interface Rendered {
  readonly text: string;
  readonly subjects: readonly Subject[];
}

/** Count of numbers in an argument of this shape. */
export function leafCount(p: ParamSpec): number {
  switch (p.k) {
    case "num":
      return 1;
    case "array":
      return p.len;
    case "matrix":
      return p.rows * p.len;
    case "struct":
      return p.len + 1;
    case "tensor":
      return p.shape.reduce((a, b) => a * b, 1);
    case "object":
      return Object.values(p.fields).reduce((n, f) => n + leafCount(f), 0);
    case "records":
      return p.len * p.keys.length;
  }
}

/** The argument of shape `p`, its numbers taken from the front of `values`. */
export function buildArg(p: ParamSpec, values: number[]): Arg {
  switch (p.k) {
    case "num":
      return values.shift()!;
    case "array": {
      const xs = values.splice(0, p.len);
      return p.kind === 0 ? Float64Array.from(xs) : xs;
    }
    case "matrix":
      return Array.from({ length: p.rows }, () => values.splice(0, p.len));
    case "struct": {
      // Fields in key order (a, b), as `leaves` lists them.
      const a = buildArg({ k: "array", kind: p.kind, len: p.len }, values);
      return { a, b: values.shift()! };
    }
    case "tensor":
      return new Tensor(Float64Array.from(values.splice(0, leafCount(p))), [...p.shape]);
    case "object": {
      const out: Record<string, Arg> = {};
      for (const k of Object.keys(p.fields).sort()) out[k] = buildArg(p.fields[k], values);
      return out;
    }
    case "records":
      return Array.from({ length: p.len }, () => Object.fromEntries([...p.keys].sort().map((k) => [k, values.shift()!])));
  }
}

/** Arguments for every parameter from one flat list of numbers. */
export function buildArgs(params: readonly ParamSpec[], flat: readonly number[]): Arg[] {
  const values = [...flat];
  return params.map((p) => buildArg(p, values));
}

export function totalLeaves(params: readonly ParamSpec[]): number {
  return params.reduce((n, p) => n + leafCount(p), 0);
}

/** Whether every parameter is a number (hvp, jacobian and hessian take numbers only). */
export function allNumbers(params: readonly ParamSpec[]): boolean {
  return params.every((p) => p.k === "num");
}
