// Loads the WebAssembly GEMM kernels (built by `npm run build:wasm` from scripts/wasm/gemm-wat.mjs)
// synchronously on first use, and runs a Gemm through them.
//
// Memory: tensors keep their data in ordinary JS typed arrays (the GC owns them, nothing to free).
// The kernels work in one scratch memory of fixed size, created once, laid out per call as
//   [work area: packed A panel, packed B panel, edge tile][A][B][C]
// A and B are copied in, C copied out (and in, when accumulating); the copies cost O(mk + kn + mn)
// against the kernel's O(mnk). Every call reuses the memory from the start, so nothing leaks
// across calls. A product too large for it runs in blocks of rows of A and C (or, for Aᵀ·B,
// blocks along k that accumulate into C) rather than growing the memory: growing detaches the
// old ArrayBuffer, and once any ArrayBuffer has been detached V8 adds detach checks to every
// optimized typed-array loop in the process (measured: elementwise loops ~45% slower). Only a
// product whose fixed operand alone does not fit grows it.
import { GEMM_LAYOUT, KERNELS_WASM_BASE64 } from "./wasm/kernels.generated";
import type { Gemm } from "./gemm";

type GemmExport = (
  transA: number, transB: number, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  accumulate: number, work: number,
) => void;

interface Kernels {
  gemm_f32: GemmExport;
  gemm_f64: GemmExport;
}

interface Memory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => Memory;
}

const PAGE = 65536;
/** The scratch memory: 16 MiB (only the pages a call touches become resident). */
const SCRATCH_PAGES = 256;
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;
/** Bytes of the work area at the start of memory, enough for either dtype. */
const WORK = align(Math.max(GEMM_LAYOUT.float32.workBytes, GEMM_LAYOUT.float64.workBytes));

interface Loaded {
  kernels: Kernels;
  memory: Memory;
  f32: Float32Array;
  f64: Float64Array;
}

let loaded: Loaded | null | undefined;

function decode(base64: string): Uint8Array {
  if (typeof Buffer !== "undefined") return Buffer.from(base64, "base64");
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

function load(): Loaded | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined || (typeof process !== "undefined" && process.env.ADC_NO_WASM === "1")) return null;
  try {
    const memory = new api.Memory({ initial: SCRATCH_PAGES });
    const module = new api.Module(decode(KERNELS_WASM_BASE64));
    const kernels = new api.Instance(module, { env: { memory } }).exports as Kernels;
    return { kernels, memory, f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
  } catch {
    return null; // no WebAssembly SIMD: the TypeScript kernel is used
  }
}

/** The kernels, or null when this engine cannot run them (then callers use gemmTs). */
function instance(): Loaded | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

export function wasmAvailable(): boolean {
  return instance() !== null;
}

/** Grows the memory to `bytes` (false when it cannot); see the note at the top on why this is rare. */
function reserve(w: Loaded, bytes: number): boolean {
  const have = w.memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    w.memory.grow(Math.ceil((bytes - have) / PAGE));
  } catch {
    return false;
  }
  w.f32 = new Float32Array(w.memory.buffer);
  w.f64 = new Float64Array(w.memory.buffer);
  return true;
}

/**
 * One kernel call on a block that fits: A at WORK, then B, then C. `copyB` false reuses the B
 * already in place (the blocks of one product share it).
 */
function runBlock(w: Loaded, g: Gemm, copyB: boolean): void {
  const { m, n, k } = g;
  const double = g.c instanceof Float64Array;
  const es = double ? 8 : 4;
  const heap = double ? w.f64 : w.f32;
  const bAt = WORK;
  const aAt = bAt + align(k * n * es);
  const cAt = aAt + align(m * k * es);
  if (copyB) heap.set(g.b.subarray(g.bOffset, g.bOffset + k * n), bAt / es);
  heap.set(g.a.subarray(g.aOffset, g.aOffset + m * k), aAt / es);
  const cView = heap.subarray(cAt / es, cAt / es + m * n);
  if (g.accumulate) cView.set(g.c.subarray(g.cOffset, g.cOffset + m * n));
  const run = double ? w.kernels.gemm_f64 : w.kernels.gemm_f32;
  run(
    g.transA ? 1 : 0, g.transB ? 1 : 0, m, n, k,
    aAt, g.transA ? m : k, bAt, g.transB ? k : n, cAt, n,
    g.accumulate ? 1 : 0, 0,
  );
  g.c.set(cView, g.cOffset);
}

/** Runs g on the WebAssembly kernel; false (nothing done) when it is unavailable. */
export function gemmWasm(g: Gemm): boolean {
  const w = instance();
  if (w === null) return false;
  const { m, n, k } = g;
  if (k === 0 || m === 0 || n === 0) {
    if (!g.accumulate) g.c.fill(0, g.cOffset, g.cOffset + m * n);
    return true;
  }
  const es = g.c instanceof Float64Array ? 8 : 4;
  const room = w.memory.buffer.byteLength - WORK - 3 * 64;
  if ((m * k + k * n + m * n) * es <= room) {
    runBlock(w, g, true);
    return true;
  }
  if (!g.transA) {
    // Blocks of rows: rows of A (m×k) and of C are contiguous; B stays in place.
    const rows = Math.floor((room - k * n * es) / ((k + n) * es));
    if (rows >= 1) {
      for (let i = 0; i < m; i += rows) {
        const mb = Math.min(rows, m - i);
        runBlock(w, { ...g, m: mb, aOffset: g.aOffset + i * k, cOffset: g.cOffset + i * n }, i === 0);
      }
      return true;
    }
  } else if (!g.transB) {
    // Aᵀ·B in blocks along k: rows of A (k×m) and of B (k×n) are contiguous; C accumulates.
    const depth = Math.floor((room - m * n * es) / ((m + n) * es));
    if (depth >= 1) {
      for (let p = 0; p < k; p += depth) {
        const kb = Math.min(depth, k - p);
        runBlock(
          w,
          { ...g, k: kb, aOffset: g.aOffset + p * m, bOffset: g.bOffset + p * n, accumulate: g.accumulate || p > 0 },
          true,
        );
      }
      return true;
    }
  }
  if (!reserve(w, WORK + 3 * 64 + (m * k + k * n + m * n) * es)) return false;
  runBlock(w, g, true);
  return true;
}
