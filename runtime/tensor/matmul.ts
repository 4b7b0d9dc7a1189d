// Matrix products: matmul (A·B), and for the adjoints matmulTransA (Aᵀ·B) and matmulTransB (A·Bᵀ)
// without materialising a transpose. 2-D, or batched 3-D (a batch of 1 or a 2-D operand is shared
// across the batch); matmul also takes 1-D vectors as NumPy does. Large products run on the
// WebAssembly SIMD kernel (wasm.ts), small ones and engines without WebAssembly on gemmTs.
import { type Gemm, gemmTs } from "./gemm";
import { Tensor, output, promote, shapeString } from "./tensor";
import { gemmWasm, wasmAvailable } from "./wasm";

export type MatmulBackend = "auto" | "wasm" | "ts";

let backend: MatmulBackend = "auto";
/**
 * m·n·k below which the plain loop is as fast (the WebAssembly call copies its operands in and
 * out): measured, the two break even around 8×8×8 and WebAssembly is 2× faster at 16×16×16.
 */
const WASM_MIN_WORK = 512;

/** "auto" (default): WebAssembly for products of m·n·k ≥ 512; "wasm" or "ts": always that one. */
export function setMatmulBackend(b: MatmulBackend): void {
  backend = b;
}

/** The kernel large products run on: "wasm", or "ts" when WebAssembly SIMD is unavailable or turned off. */
export function matmulBackend(): "wasm" | "ts" {
  return backend !== "ts" && wasmAvailable() ? "wasm" : "ts";
}

/** Runs one GEMM on the chosen kernel. */
export function gemm(g: Gemm): void {
  if (backend !== "ts" && (backend === "wasm" || g.m * g.n * g.k >= WASM_MIN_WORK) && gemmWasm(g)) return;
  gemmTs(g);
}

function product(
  op: string,
  transA: boolean,
  transB: boolean,
  a: Tensor,
  b: Tensor,
  out: Tensor | undefined,
  accumulate: boolean,
): Tensor {
  const mismatch = (detail: string) =>
    new Error(`${op}: shapes ${shapeString(a.shape)} and ${shapeString(b.shape)} do not match (${detail})`);
  // 1-D operands (matmul only): a vector [k] is a row [1,k] on the left, a column [k,1] on the right.
  const vecA = a.rank === 1 && op === "matmul";
  const vecB = b.rank === 1 && op === "matmul";
  const sa = vecA ? [1, a.shape[0]] : a.shape;
  const sb = vecB ? [b.shape[0], 1] : b.shape;
  if (sa.length < 2 || sa.length > 3 || sb.length < 2 || sb.length > 3) {
    throw new Error(
      `${op}: shapes ${shapeString(a.shape)} and ${shapeString(b.shape)}: expected 2-D or 3-D (batched) operands`,
    );
  }
  const ra = sa.length;
  const rb = sb.length;
  const m = transA ? sa[ra - 1] : sa[ra - 2];
  const ka = transA ? sa[ra - 2] : sa[ra - 1];
  const kb = transB ? sb[rb - 1] : sb[rb - 2];
  const n = transB ? sb[rb - 2] : sb[rb - 1];
  if (ka !== kb) throw mismatch(`${ka} ≠ ${kb}`);
  const k = ka;
  const batchA = ra === 3 ? sa[0] : 1;
  const batchB = rb === 3 ? sb[0] : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) throw mismatch(`batch ${batchA} ≠ ${batchB}`);
  const batched = ra === 3 || rb === 3;
  const batch = Math.max(batchA, batchB);
  const shape: number[] = batched ? [batch] : [];
  if (!vecA) shape.push(m);
  if (!vecB) shape.push(n);

  const dtype = promote(a.dtype, b.dtype);
  const x = a.dtype === dtype ? a : a.astype(dtype);
  const y = b.dtype === dtype ? b : b.astype(dtype);
  const result = output(op, shape, dtype, out);
  if (result.data === x.data || result.data === y.data) throw new Error(`${op}: out must not be an operand`);
  const g: Gemm = {
    transA, transB, m, n, k,
    a: x.data, aOffset: 0, b: y.data, bOffset: 0, c: result.data, cOffset: 0, accumulate,
  };
  if (ra === 3 && rb === 2 && !transA) {
    // [batch, m, k]·[k, n] is one [batch·m, k]·[k, n] product: rows of A are contiguous.
    g.m = batch * m;
    gemm(g);
  } else {
    for (let t = 0; t < batch; t++) {
      g.aOffset = batchA === 1 ? 0 : t * m * k;
      g.bOffset = batchB === 1 ? 0 : t * k * n;
      g.cOffset = t * m * n;
      gemm(g);
    }
  }
  return result;
}

/**
 * A·B: [m,k]·[k,n] → [m,n]; batched [b,m,k]·[b,k,n] → [b,m,n] (either side may be 2-D or have
 * batch 1, shared across the batch); 1-D vectors as in NumPy. With `out`, the result is written
 * there (or added to it when `accumulate`).
 */
export function matmul(a: Tensor, b: Tensor, out?: Tensor, accumulate = false): Tensor {
  return product("matmul", false, false, a, b, out, accumulate);
}

/** Aᵀ·B: [k,m]ᵀ·[k,n] → [m,n] (batched like matmul), without materialising Aᵀ. */
export function matmulTransA(a: Tensor, b: Tensor, out?: Tensor, accumulate = false): Tensor {
  return product("matmulTransA", true, false, a, b, out, accumulate);
}

/** A·Bᵀ: [m,k]·[n,k]ᵀ → [m,n] (batched like matmul), without materialising Bᵀ. */
export function matmulTransB(a: Tensor, b: Tensor, out?: Tensor, accumulate = false): Tensor {
  return product("matmulTransB", false, true, a, b, out, accumulate);
}
