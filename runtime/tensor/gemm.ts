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
 * Loop orders that read memory contiguously in the innermost loop: A·B and Aᵀ·B add four scaled
 * rows of B into a row of C per pass (four rows per pass quarter the traffic on C), A·Bᵀ takes
 * four dot products of a row of A with four rows of B at once. Accumulation is in float64 for
 * the dot products and in C's own precision for the row updates.
 */
export function gemmTs(g: Gemm): void {
  const { m, n, k, a, b, c } = g;
  const co = g.cOffset;
  if (!g.accumulate) c.fill(0, co, co + m * n);
  if (!g.transB) {
    // a(i, p) = a[ao + i·sa + p·sp]
    const sa = g.transA ? 1 : k;
    const sp = g.transA ? m : 1;
    for (let i = 0; i < m; i++) {
      const ci = co + i * n;
      const ai = g.aOffset + i * sa;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const a0 = a[ai + p * sp];
        const a1 = a[ai + (p + 1) * sp];
        const a2 = a[ai + (p + 2) * sp];
        const a3 = a[ai + (p + 3) * sp];
        const b0 = g.bOffset + p * n;
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
      for (; p < k; p++) {
        const ap = a[ai + p * sp];
        const bp = g.bOffset + p * n;
        for (let j = 0; j < n; j++) c[ci + j] += ap * b[bp + j];
      }
    }
    return;
  }
  // A·Bᵀ (and Aᵀ·Bᵀ): c(i, j) = Σ_p a(i, p)·b[j·k + p].
  const sa = g.transA ? 1 : k;
  const sp = g.transA ? m : 1;
  for (let i = 0; i < m; i++) {
    const ai = g.aOffset + i * sa;
    const ci = co + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = g.bOffset + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const ap = a[ai + p * sp];
        s0 += ap * b[b0 + p];
        s1 += ap * b[b1 + p];
        s2 += ap * b[b2 + p];
        s3 += ap * b[b3 + p];
      }
      c[ci + j] += s0;
      c[ci + j + 1] += s1;
      c[ci + j + 2] += s2;
      c[ci + j + 3] += s3;
    }
    for (; j < n; j++) {
      const bj = g.bOffset + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p * sp] * b[bj + p];
      c[ci + j] += s;
    }
  }
}
