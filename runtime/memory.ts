// Helpers generated gradients call for arrays and objects: shadow memory of the right shape, and
// the adjoints of `fill` and `slice`.

import { Tensor, type DType } from "./tensor/tensor";
import { zerosLike as tensorZerosLike } from "./tensor/creation";
import { outsideArena } from "./tensor/arena";

/** A value's shape with every number writable (shadows are written in place). */
export type Writable<T> = T extends number
  ? number
  : T extends Tensor | Float64Array | Int32Array
    ? T
    : T extends ReadonlyArray<infer E>
      ? Writable<E>[]
      : { -readonly [K in keyof T]: Writable<T[K]> };

/**
 * Zeros of the same shape and kind: a Tensor of its shape and dtype (or `dtype`), Float64Array →
 * Float64Array, number[] → number[], objects field by field (the shadows of gradients).
 */
export function zerosLike(x: Tensor, dtype?: DType): Tensor;
export function zerosLike<T>(x: T): Writable<T>;
export function zerosLike(x: unknown, dtype?: DType): unknown {
  // Shadows become the gradients returned: never from a gradient's arena of reused buffers.
  return outsideArena(() => (x instanceof Tensor ? tensorZerosLike(x, dtype) : zeros(x)));
}

function zeros(x: unknown): unknown {
  if (typeof x === "number") return 0;
  if (x instanceof Tensor) return tensorZerosLike(x);
  if (x instanceof Float64Array) return new Float64Array(x.length);
  if (x instanceof Int32Array) return new Int32Array(x.length);
  if (Array.isArray(x)) return x.map(zeros);
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(x)) out[key] = zeros((x as Record<string, unknown>)[key]);
    return out;
  }
  throw new TypeError(`adc: cannot make zeros like ${typeof x}`);
}

/** The sum of `a`'s elements; leaves them zero. The adjoint of `a.fill(v)` with respect to v. */
export function drain(a: Float64Array | number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i];
    a[i] = 0;
  }
  return sum;
}

/** `into[start + j] += from[j]`: the adjoint of `source.slice(start, …)`. */
export function addSlice(into: Float64Array | number[], start: number, from: Float64Array | number[]): void {
  const offset = start < 0 ? Math.max(into.length + start, 0) : start;
  for (let j = 0; j < from.length; j++) into[offset + j] += from[j];
}
