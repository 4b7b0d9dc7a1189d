// Matrix products: matmul (A·B), and for the adjoints matmulTransA (Aᵀ·B) and matmulTransB (A·Bᵀ)
// without materialising a transpose. 2-D, or batched: leading dimensions are batch dimensions,
// broadcast as in NumPy (a 2-D operand or a batch of 1 is shared); matmul also takes 1-D vectors as NumPy does. Large products run on the
// WebAssembly SIMD kernel (wasm.ts), small ones and engines without WebAssembly on gemmTs.
import { type Gemm, gemmTs } from "./gemm";
import { broadcastShapes, broadcastStrides } from "./broadcast";
import { Tensor, output, promote, shapeString, sizeOf } from "./tensor";
import { gemmWasm, wasmAvailable } from "./wasm";
import { currentBackend } from "./backend";

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

/** Runs one GEMM on the backend's kernel, or the chosen built-in one. */
export function gemm(g: Gemm): void {
  const external = currentBackend().gemm;
  if (external) return external(g);
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
  if (sa.length < 2 || sb.length < 2) {
    throw new Error(`${op}: shapes ${shapeString(a.shape)} and ${shapeString(b.shape)}: expected matrices or batches of them`);
  }
  const ra = sa.length;
  const rb = sb.length;
  const m = transA ? sa[ra - 1] : sa[ra - 2];
  const ka = transA ? sa[ra - 2] : sa[ra - 1];
  const kb = transB ? sb[rb - 1] : sb[rb - 2];
  const n = transB ? sb[rb - 2] : sb[rb - 1];
  if (ka !== kb) throw mismatch(`${ka} ≠ ${kb}`);
  const k = ka;
  // Leading dimensions are batch dimensions, broadcast as in NumPy (a 2-D operand is shared).
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  let batchShape: number[];
  try {
    batchShape = broadcastShapes(batchA, batchB, op);
  } catch {
    throw mismatch(`batch ${shapeString(batchA)} and ${shapeString(batchB)} do not broadcast`);
  }
  const batch = sizeOf(batchShape);
  const shape: number[] = [...batchShape];
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
  if (sizeOf(batchB) === 1 && !transA) {
    // [batch…, m, k]·[k, n] is one [batch·m, k]·[k, n] product: rows of A are contiguous.
    g.m = batch * m;
    gemm(g);
    return result;
  }
  const stridesA = broadcastStrides(batchA, batchShape);
  const stridesB = broadcastStrides(batchB, batchShape);
  const index = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batch; t++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < index.length; d++) {
      ia += index[d] * stridesA[d];
      ib += index[d] * stridesB[d];
    }
    g.aOffset = ia * m * k;
    g.bOffset = ib * k * n;
    g.cOffset = t * m * n;
    gemm(g);
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d] < batchShape[d]) break;
      index[d] = 0;
    }
  }
  return result;
}

/**
 * A·B: [m,k]·[k,n] → [m,n]; batched […,m,k]·[…,k,n] → […,m,n] with the batch dimensions broadcast
 * (either side may be 2-D, shared across the batch); 1-D vectors as in NumPy. With `out`, the result is written
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
