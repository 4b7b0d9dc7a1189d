// Jacobians and Hessians of functions of arrays and objects, whose sizes are known only at run
// time: built from the generated vjp, jvp and hvp, one call per row or column. Numbers are
// counted in a fixed order (elements in order, an object's fields in the order of its keys), the
// order of the rows; each row has the shape of the gradient (bare for a function of one parameter).
import { copy, zerosLike } from "./memory";

/** Row i is seedᵢᵀ·J, the pullback of the i-th number of the value (one pullback per row). */
export function jacobianRows<G>(value: unknown, pullback: (seed: any) => G): G[] {
  return Array.from({ length: count(value) }, (_, i) => pullback(unit(value, i)));
}

/**
 * Column j is J·eⱼ, the jvp along the j-th number of the arguments (one jvp per column); the rows
 * are read across the columns. `bare`: one parameter, whose gradient is not wrapped in a tuple.
 */
export function jacobianColumns(primals: readonly unknown[], jvp: (primals: any, tangents: any) => [unknown, unknown], bare: boolean): unknown[] {
  const columns = Array.from({ length: count(primals) }, (_, j) => numbers(jvp(copy(primals), unit(primals, j))[1]));
  const m = columns.length > 0 ? columns[0].length : count(jvp(copy(primals), zerosLike(primals))[0]);
  return Array.from({ length: m }, (_, i) => {
    const row = fill(zerosLike(primals), columns.map((c) => c[i]));
    return bare ? row[0] : row;
  });
}

/** Row j is H·eⱼ (H is symmetric), one Hessian-vector product per number of the arguments. */
export function hessianRows(primals: readonly unknown[], hvp: (primals: any, v: any) => unknown[], bare: boolean): unknown[] {
  return Array.from({ length: count(primals) }, (_, j) => {
    const row = hvp(copy(primals), unit(primals, j));
    return bare ? row[0] : row;
  });
}

/** How many numbers a value holds. */
function count(x: unknown): number {
  if (typeof x === "number") return 1;
  if (x instanceof Float64Array) return x.length;
  if (Array.isArray(x)) return x.reduce((n: number, e) => n + count(e), 0);
  if (x !== null && typeof x === "object") return Object.values(x).reduce((n: number, e) => n + count(e), 0);
  return 0;
}

/** The numbers of a value, in order. */
function numbers(x: unknown, out: number[] = []): number[] {
  if (typeof x === "number") out.push(x);
  else if (x instanceof Float64Array) out.push(...x);
  else if (Array.isArray(x)) x.forEach((e) => numbers(e, out));
  else if (x !== null && typeof x === "object") Object.values(x).forEach((e) => numbers(e, out));
  return out;
}

/** Zeros of x's shape with a 1 at its k-th number. */
function unit<T>(x: T, k: number): T {
  const values = new Array<number>(count(x)).fill(0);
  values[k] = 1;
  return fill(zerosLike(x), values) as T;
}

/** x (zeros of some shape) with its numbers taken from `values`, in order. */
function fill<T>(x: T, values: readonly number[]): T {
  let next = 0;
  const visit = (v: unknown): unknown => {
    if (typeof v === "number") return values[next++];
    if (v instanceof Float64Array) {
      for (let i = 0; i < v.length; i++) v[i] = values[next++];
      return v;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = visit(v[i]);
      return v;
    }
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) o[key] = visit(o[key]);
      return o;
    }
    return v;
  };
  return visit(x) as T;
}
