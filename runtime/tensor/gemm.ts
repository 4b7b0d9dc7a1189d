// The GEMM interface of the matmul kernels and its plain-TypeScript implementation: the fallback
// when WebAssembly is unavailable, the path for tiny products, and the reference tests compare
// the WebAssembly kernel with.
import type { TensorData } from "./tensor";

/**
 * C (+)= op(A)·op(B) on row-major matrices inside typed arrays: op(A) is m×k (A stored m×k, or
 * k×m when transA), op(B) is k×n (B stored k×n, or n×k when transB), C is m×n. All three arrays
 * have the same dtype; offsets are in elements. With `accumulate` C += op(A)·op(B), else C = ….
 */
export interface Gemm {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  a: TensorData;
  aOffset: number;
  b: TensorData;
  bOffset: number;
  c: TensorData;
  cOffset: number;
  accumulate: boolean;
}

/**
 * Loop orders that read memory contiguously in the innermost loop: A·B and Aᵀ·B run over rows
 * of B (axpy into a row of C), A·Bᵀ is a dot product of two rows.
 */
export function gemmTs(g: Gemm): void {
  const { m, n, k, a, b, c } = g;
  const ao = g.aOffset;
  const bo = g.bOffset;
  const co = g.cOffset;
  if (!g.accumulate) c.fill(0, co, co + m * n);
  if (!g.transB) {
    for (let i = 0; i < m; i++) {
      const ci = co + i * n;
      for (let p = 0; p < k; p++) {
        const aip = g.transA ? a[ao + p * m + i] : a[ao + i * k + p];
        const bp = bo + p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else if (!g.transA) {
    for (let i = 0; i < m; i++) {
      const ai = ao + i * k;
      for (let j = 0; j < n; j++) {
        const bj = bo + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[co + i * n + j] += s;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const bj = bo + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + p * m + i] * b[bj + p];
        c[co + i * n + j] += s;
      }
    }
  }
}
