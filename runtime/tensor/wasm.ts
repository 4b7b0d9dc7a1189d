// Loads the WebAssembly GEMM kernels (built by `npm run build:wasm` from scripts/wasm/gemm-wat.mjs)
// synchronously on first use, and runs a Gemm through them.
//
// Memory: tensors keep their data in ordinary JS typed arrays (no manual freeing, the GC owns
// them). The module's linear memory is a scratch region laid out per call as
//   [work area: packed A panel, packed B panel, edge tile][A][B][C]
// A and B are copied in, C copied out (and in, when accumulating). The memory only ever grows,
// to the largest call seen, and every call reuses it from offset 0, so nothing leaks across
// calls; the copies cost O(mk + kn + mn) against the kernel's O(mnk).
import { GEMM_LAYOUT, KERNELS_WASM_BASE64 } from "./wasm/kernels.generated";
import type { Gemm } from "./gemm";

type GemmExport = (
  transA: number, transB: number, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  accumulate: number, work: number,
) => void;

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemm_f32: GemmExport;
  gemm_f64: GemmExport;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 65536;
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;
/** Bytes of the work area at the start of memory, enough for either dtype. */
const WORK = align(Math.max(GEMM_LAYOUT.float32.workBytes, GEMM_LAYOUT.float64.workBytes));

let kernels: Kernels | null | undefined;
let f32 = new Float32Array(0);
let f64 = new Float64Array(0);

function decode(base64: string): Uint8Array {
  if (typeof Buffer !== "undefined") return Buffer.from(base64, "base64");
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

function load(): Kernels | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined || (typeof process !== "undefined" && process.env.ADC_NO_WASM === "1")) return null;
  try {
    const instance = new api.Instance(new api.Module(decode(KERNELS_WASM_BASE64)), {});
    return instance.exports as Kernels;
  } catch {
    return null; // no SIMD support: the TypeScript kernel is used
  }
}

/** The kernels, or null when this engine cannot run them (then callers use gemmTs). */
function instance(): Kernels | null {
  if (kernels === undefined) kernels = load();
  return kernels;
}

export function wasmAvailable(): boolean {
  return instance() !== null;
}

/** Grows the memory to hold `bytes` (false when it cannot) and refreshes the views. */
function reserve(k: Kernels, bytes: number): boolean {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      k.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false;
    }
  }
  if (f32.buffer !== k.memory.buffer || f32.length === 0) {
    f32 = new Float32Array(k.memory.buffer);
    f64 = new Float64Array(k.memory.buffer);
  }
  return true;
}

/** Runs g on the WebAssembly kernel; false (nothing done) when it is unavailable. */
export function gemmWasm(g: Gemm): boolean {
  const k = instance();
  if (k === null) return false;
  const { m, n } = g;
  const kk = g.k;
  const double = g.c instanceof Float64Array;
  const es = double ? 8 : 4;
  const aBytes = m * kk * es;
  const bBytes = kk * n * es;
  const aAt = WORK;
  const bAt = aAt + align(aBytes);
  const cAt = bAt + align(bBytes);
  if (!reserve(k, cAt + align(m * n * es))) return false;
  const heap = double ? f64 : f32;
  const cView = heap.subarray(cAt / es, cAt / es + m * n);
  if (kk === 0) {
    if (!g.accumulate) g.c.fill(0, g.cOffset, g.cOffset + m * n);
    return true;
  }
  heap.set(g.a.subarray(g.aOffset, g.aOffset + m * kk), aAt / es);
  heap.set(g.b.subarray(g.bOffset, g.bOffset + kk * n), bAt / es);
  if (g.accumulate) cView.set(g.c.subarray(g.cOffset, g.cOffset + m * n));
  const run = double ? k.gemm_f64 : k.gemm_f32;
  run(
    g.transA ? 1 : 0, g.transB ? 1 : 0, m, n, kk,
    aAt, g.transA ? m : kk, bAt, g.transB ? kk : n, cAt, n,
    g.accumulate ? 1 : 0, 0,
  );
  g.c.set(cView, g.cOffset);
  return true;
}
