// matmul, matmulTransA (Aᵀ·B) and matmulTransB (A·Bᵀ): the WebAssembly SIMD kernel against the
// plain-TS kernel and a naive reference, on random shapes including odd sizes, 1×n, n×1 and sizes
// across the kernel's block boundaries, in float32 (tolerance relative to the magnitudes) and
// float64; batching, vectors, out/accumulate, and the shape errors.
import { afterEach, describe, expect, test } from "vitest";
import * as T from "../runtime";
import type { Tensor } from "../runtime";
import { type Gemm, gemmTs } from "../runtime/tensor/gemm";
import { gemmWasm, wasmAvailable } from "../runtime/tensor/wasm";
import { data, expectClose, naiveGemm } from "./support/tensor-reference";

afterEach(() => T.setMatmulBackend("auto"));

type Dtype = "float32" | "float64";

/** Checks c against the float64 reference: |c − ref| ≤ tol · Σ_p |a_ip·b_pj| (the sum's magnitude). */
function expectGemm(c: ArrayLike<number>, g: Omit<Gemm, "c" | "cOffset" | "accumulate">, tol: number): void {
  const { m, n, k, transA, transB } = g;
  const a = Array.from(g.a.subarray(g.aOffset, g.aOffset + m * k));
  const b = Array.from(g.b.subarray(g.bOffset, g.bOffset + k * n));
  const ref = naiveGemm(a, b, m, n, k, transA, transB);
  const mag = naiveGemm(a.map(Math.abs), b.map(Math.abs), m, n, k, transA, transB);
  for (let i = 0; i < m * n; i++) {
    if (!(Math.abs(c[i] - ref[i]) <= tol * (mag[i] + 1e-30))) {
      throw new Error(`[${m}×${k}]·[${k}×${n}] transA=${transA} transB=${transB}: C[${i}] = ${c[i]}, expected ${ref[i]}`);
    }
  }
}

/** A deterministic list of shapes: edge cases, then random ones. */
function shapes(): [number, number, number][] {
  const fixed: [number, number, number][] = [
    [1, 1, 1], [1, 7, 1], [1, 17, 33], [17, 1, 33], [5, 1, 1], [1, 1, 40],
    [3, 5, 7], [4, 8, 16], [8, 4, 2], [9, 9, 9], [13, 31, 300],
    [65, 9, 257], [3, 530, 20], [70, 513, 130], // across MC, KC, NC
  ];
  let s = 12345;
  const rand = (max: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 1 + (s % max);
  };
  for (let i = 0; i < 14; i++) fixed.push([rand(40), rand(70), rand(90)]);
  return fixed;
}

const variants: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe("the WebAssembly kernel", () => {
  test("loads in Node and is what large products use", () => {
    expect(wasmAvailable()).toBe(true);
    expect(T.matmulBackend()).toBe("wasm");
    T.setMatmulBackend("ts");
    expect(T.matmulBackend()).toBe("ts");
  });

  for (const dtype of ["float32", "float64"] as Dtype[]) {
    const tol = dtype === "float32" ? 2e-6 : 1e-14;
    test(`${dtype}: wasm and TS agree with the reference on ${shapes().length} shapes × 4 variants`, () => {
      let seed = 1;
      for (const [m, n, k] of shapes()) {
        for (const [transA, transB] of variants) {
          const a = data([m * k], seed++, dtype).data;
          const b = data([k * n], seed++, dtype).data;
          const g = { transA, transB, m, n, k, a, aOffset: 0, b, bOffset: 0 };
          for (const kernel of ["wasm", "ts"]) {
            const c = dtype === "float32" ? new Float32Array(m * n) : new Float64Array(m * n);
            c.fill(NaN); // overwritten, never read, when not accumulating
            const full = { ...g, c, cOffset: 0, accumulate: false };
            if (kernel === "wasm") expect(gemmWasm(full)).toBe(true);
            else gemmTs(full);
            expectGemm(c, g, tol);
          }
        }
      }
    });

    test(`${dtype}: accumulate and offsets`, () => {
      const [m, n, k] = [11, 21, 37];
      const a = data([5 + m * k], 3, dtype).data;
      const b = data([7 + k * n], 4, dtype).data;
      for (const [transA, transB] of variants) {
        const c0 = data([3 + m * n], 5, dtype).data;
        for (const kernel of [gemmWasm, gemmTs]) {
          const c = c0.slice();
          kernel({ transA, transB, m, n, k, a, aOffset: 5, b, bOffset: 7, c, cOffset: 3, accumulate: true });
          const ab = c.map((v, i) => (i < 3 ? v : v - c0[i])).subarray(3);
          expectGemm(ab, { transA, transB, m, n, k, a, aOffset: 5, b, bOffset: 7 }, dtype === "float32" ? 1e-5 : 1e-13);
          expect(Array.from(c.subarray(0, 3))).toEqual(Array.from(c0.subarray(0, 3)));
        }
      }
    });
  }

  test("products larger than the 16 MiB scratch memory: row blocks, k blocks, and growth", () => {
    // [m, n, k, transA, transB, dtype]: A·B by rows of A; Aᵀ·B along k; B alone too large (grows).
    const cases: [number, number, number, boolean, boolean, Dtype][] = [
      [200_000, 16, 4, false, false, "float32"],
      [100_000, 16, 4, false, true, "float64"],
      [4, 4, 600_000, true, false, "float32"],
      [3, 1_100, 2_000, false, false, "float64"],
    ];
    for (const [m, n, k, transA, transB, dtype] of cases) {
      const a = data([m * k], 1, dtype).data;
      const b = data([k * n], 2, dtype).data;
      const g = { transA, transB, m, n, k, a, aOffset: 0, b, bOffset: 0 };
      const make = () => (dtype === "float32" ? new Float32Array(m * n) : new Float64Array(m * n));
      const c0 = make().fill(0.5);
      const wasm = c0.slice();
      const ts = c0.slice();
      expect(gemmWasm({ ...g, c: wasm, cOffset: 0, accumulate: true })).toBe(true);
      gemmTs({ ...g, c: ts, cOffset: 0, accumulate: true });
      const tol = dtype === "float32" ? 1e-3 : 1e-9; // sums of up to 600 000 terms of magnitude ≤ 1
      for (let i = 0; i < m * n; i++) {
        if (!(Math.abs(wasm[i] - ts[i]) <= tol * Math.max(1, Math.abs(ts[i])))) {
          throw new Error(`[${m}×${k}]·[${k}×${n}] transA=${transA}: C[${i}] wasm ${wasm[i]} vs TS ${ts[i]}`);
        }
      }
    }
  });

  test("no leak across calls: memory stops growing once the largest call has run", () => {
    const a = T.randn([200, 300], { seed: 1 });
    const b = T.randn([300, 100], { seed: 2 });
    T.matmul(a, b);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 50; i++) T.matmul(a, b);
    // The wasm memory is one ArrayBuffer, reused; only the 50 results (80 KB each) may be garbage.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 80_000 + 1_000_000);
  });
});

describe("matmul and its transposed variants", () => {
  const f64 = (shape: number[], seed: number) => data(shape, seed, "float64");
  const ref2 = (a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor => {
    const m = transA ? a.shape[1] : a.shape[0];
    const k = transA ? a.shape[0] : a.shape[1];
    const n = transB ? b.shape[0] : b.shape[1];
    return T.tensor(naiveGemm(a.data, b.data, m, n, k, transA, transB), [m, n], "float64");
  };

  for (const backend of ["wasm", "ts"] as const) {
    test(`2-D, ${backend} kernel`, () => {
      T.setMatmulBackend(backend);
      const a = f64([6, 9], 1);
      const b = f64([9, 5], 2);
      expectClose(T.matmul(a, b), ref2(a, b, false, false), 1e-13);
      expectClose(a.matmul(b), ref2(a, b, false, false), 1e-13);
      const at = f64([9, 6], 3);
      expectClose(T.matmulTransA(at, b), ref2(at, b, true, false), 1e-13);
      expectClose(T.matmulTransA(at, b), T.matmul(T.transpose(at), b), 1e-13);
      const bt = f64([5, 9], 4);
      expectClose(T.matmulTransB(a, bt), ref2(a, bt, false, true), 1e-13);
      expectClose(a.matmulTransB(bt), T.matmul(a, bt.transpose()), 1e-13);
    });

    test(`batched 3-D and 4-D, shared and broadcast operands, vectors, ${backend} kernel`, () => {
      T.setMatmulBackend(backend);
      const a = f64([3, 4, 5], 5);
      const b = f64([3, 5, 2], 6);
      const w = f64([5, 2], 7);
      const each = (x: Tensor, i: number) => (x.rank === 3 ? T.reshape(T.sliceRows(x, i, i + 1), x.shape.slice(1)) : x);
      const stack = (f: (i: number) => Tensor) => T.concat([0, 1, 2].map((i) => T.reshape(f(i), [1, ...f(i).shape])));
      expectClose(T.matmul(a, b), stack((i) => T.matmul(each(a, i), each(b, i))), 1e-13);
      expectClose(T.matmul(a, w), stack((i) => T.matmul(each(a, i), w)), 1e-13); // flattened [12,5]·[5,2]
      const a2 = f64([4, 5], 8);
      expectClose(T.matmul(a2, b), stack((i) => T.matmul(a2, each(b, i))), 1e-13);
      const one = f64([1, 4, 5], 9);
      expectClose(T.matmul(one, b), stack((i) => T.matmul(each(one, 0), each(b, i))), 1e-13);
      const at = f64([3, 5, 4], 10);
      expectClose(T.matmulTransA(at, b), stack((i) => T.matmulTransA(each(at, i), each(b, i))), 1e-13);
      const bt = f64([3, 2, 5], 11);
      expectClose(T.matmulTransB(a, bt), stack((i) => T.matmulTransB(each(a, i), each(bt, i))), 1e-13);
      const wt = f64([2, 5], 12);
      expectClose(T.matmulTransB(a, wt), stack((i) => T.matmulTransB(each(a, i), wt)), 1e-13);
      // Vectors as in NumPy.
      const v = f64([5], 13);
      const m = f64([4, 5], 14);
      expectClose(T.matmul(m, v), T.reshape(T.matmul(m, T.reshape(v, [5, 1])), [4]), 1e-13);
      expectClose(T.matmul(v, w), T.reshape(T.matmul(T.reshape(v, [1, 5]), w), [2]), 1e-13);
      // Batch dimensions broadcast as in NumPy: [2,1,4,5]·[3,5,2] → [2,3,4,2].
      const a4 = f64([2, 1, 4, 5], 15);
      const product = T.matmul(a4, b);
      expect(product.shape).toEqual([2, 3, 4, 2]);
      for (let p = 0; p < 2; p++) {
        for (let q = 0; q < 3; q++) {
          const slice = T.take(T.take(product, p), q);
          expectClose(slice, T.matmul(T.take(T.take(a4, p), 0), each(b, q)), 1e-13);
        }
      }
      expect(T.matmul(v, v).shape).toEqual([]);
      expect(T.matmul(v, v).item()).toBeCloseTo(T.sum(T.mul(v, v)).item(), 13);
    });
  }

  test("out, accumulate, dtype promotion", () => {
    const a = f64([4, 3], 1);
    const b = f64([3, 2], 2);
    const out = T.zeros([4, 2], "float64");
    expect(T.matmul(a, b, out)).toBe(out);
    expectClose(out, T.matmul(a, b), 1e-15);
    T.matmul(a, b, out, true);
    expectClose(out, T.mul(T.matmul(a, b), 2), 1e-14);
    expect(() => T.matmul(a, b, T.zeros([4, 2]))).toThrow("matmul: out has shape [4,2] float32, expected [4,2] float64");
    const sq = f64([3, 3], 3);
    expect(() => T.matmul(sq, T.eye(3, "float64"), sq)).toThrow("matmul: out must not be an operand");
    const mixed = T.matmul(a.astype("float32"), b);
    expect(mixed.dtype).toBe("float64");
    expectClose(mixed, T.matmul(a.astype("float32").astype("float64"), b), 1e-15);
    expect(T.matmul(a.astype("float32"), b.astype("float32")).dtype).toBe("float32");
  });

  test("bad shapes name the operation and both shapes", () => {
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow("matmul: shapes [2,3] and [4,5] do not match (3 ≠ 4)");
    expect(() => T.matmulTransA(T.zeros([3, 2]), T.zeros([4, 5]))).toThrow(
      "matmulTransA: shapes [3,2] and [4,5] do not match (3 ≠ 4)",
    );
    expect(() => T.matmulTransB(T.zeros([2, 3]), T.zeros([5, 4]))).toThrow(
      "matmulTransB: shapes [2,3] and [5,4] do not match (3 ≠ 4)",
    );
    expect(() => T.matmul(T.zeros([2, 2, 3]), T.zeros([4, 3, 5]))).toThrow(
      "matmul: shapes [2,2,3] and [4,3,5] do not match (batch [2] and [4] do not broadcast)",
    );
    expect(() => T.matmulTransA(T.zeros([3]), T.zeros([3, 5]))).toThrow("matmulTransA: shapes [3] and [3,5]: expected matrices or batches of them");
  });

  test("an empty contraction gives zeros", () => {
    for (const backend of ["wasm", "ts"] as const) {
      T.setMatmulBackend(backend);
      const out = T.full([2, 3], 5);
      T.matmul(T.zeros([2, 0]), T.zeros([0, 3]), out);
      expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });
});
