// Plain references for the tensor tests: index-by-index loops over multi-indices, written for
// obviousness rather than speed, and a data generator independent of the runtime's Rng.
import { expect } from "vitest";
import { type DType, Tensor, tensor } from "../../runtime";

/** Every multi-index of `shape` in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const size = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < size; flat++) {
    const idx = new Array<number>(shape.length);
    let r = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
    }
    yield idx;
  }
}

/** t at the multi-index `idx` of a (broadcast) output: aligned from the right, 1-dims pinned to 0. */
export function at(t: Tensor, idx: readonly number[]): number {
  let flat = 0;
  const off = idx.length - t.rank;
  for (let d = 0; d < t.rank; d++) flat = flat * t.shape[d] + (t.shape[d] === 1 ? 0 : idx[d + off]);
  return t.data[flat];
}

/** A tensor whose value at each index is f(index). */
export function build(shape: readonly number[], f: (idx: number[]) => number, dtype: DType = "float64"): Tensor {
  const values: number[] = [];
  for (const idx of indices(shape)) values.push(f(idx));
  return tensor(values, shape, dtype);
}

/** Deterministic pseudo-random values in [-1, 1) (an LCG, not the runtime's generator). */
export function data(shape: readonly number[], seed = 1, dtype: DType = "float64", scale = 1): Tensor {
  let s = seed >>> 0 || 1;
  return build(
    shape,
    () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return scale * (s / 2 ** 31 - 1);
    },
    dtype,
  );
}

/** Same shape, and every value within tol·max(1, |expected|). */
export function expectClose(actual: Tensor, expected: Tensor, tol = 1e-12): void {
  expect(actual.shape).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    const e = expected.data[i];
    const a = actual.data[i];
    if (Number.isNaN(e)) {
      expect(a).toBeNaN();
      continue;
    }
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`value ${i}: ${a} vs expected ${e} (tolerance ${tol}) for shape [${expected.shape}]`);
    }
  }
}

/** Naive C = op(A)·op(B) for 2-D row-major matrices, in float64. */
export function naiveGemm(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}
