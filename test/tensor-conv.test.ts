// The convolution-network kernels against plain references: conv2d (im2col + GEMM, on both GEMM
// kernels) against the defining sum on random shapes, strides, paddings and dilations, in float32
// and float64; pooling against window loops; layerNorm, batchNorm and attention against the same
// computation written with the elementwise operations; dropout's mask.
import { describe, expect, test } from "vitest";
import * as T from "../runtime";
import { Rng, type Tensor } from "../runtime";
import { at, build, data, expectClose } from "./support/tensor-reference";

function conv2dReference(x: Tensor, w: Tensor, stride: number, padding: number, dilation: number): Tensor {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , o] = w.shape;
  const oh = Math.floor((h + 2 * padding - dilation * (kh - 1) - 1) / stride) + 1;
  const ow = Math.floor((wd + 2 * padding - dilation * (kw - 1) - 1) / stride) + 1;
  return build([n, oh, ow, o], ([b, i, j, q]) => {
    let s = 0;
    for (let di = 0; di < kh; di++) {
      for (let dj = 0; dj < kw; dj++) {
        const y = i * stride - padding + di * dilation;
        const z = j * stride - padding + dj * dilation;
        if (y < 0 || y >= h || z < 0 || z >= wd) continue;
        for (let p = 0; p < c; p++) s += at(x, [b, y, z, p]) * at(w, [di, dj, p, q]);
      }
    }
    return s;
  });
}

describe("conv2d", () => {
  const rng = new Rng(5);
  const pick = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));
  const shapes = Array.from({ length: 12 }, () => {
    const k = pick(1, 3);
    const dilation = pick(1, 2);
    return { n: pick(1, 3), h: pick(k * dilation, 9), w: pick(k * dilation, 9), c: pick(1, 5), o: pick(1, 6), k, stride: pick(1, 2), padding: pick(0, 2), dilation };
  });
  for (const backend of ["wasm", "ts"] as const) {
    test(`${shapes.length} random geometries against the defining sum, ${backend} GEMM, float64 and float32`, () => {
      T.setMatmulBackend(backend);
      try {
        shapes.forEach((s, i) => {
          const x = data([s.n, s.h, s.w, s.c], 10 + i);
          const w = data([s.k, s.k, s.c, s.o], 40 + i);
          const expected = conv2dReference(x, w, s.stride, s.padding, s.dilation);
          expectClose(T.conv2d(x, w, s.stride, s.padding, s.dilation), expected, 1e-12);
          expectClose(T.conv2d(x.astype("float32"), w.astype("float32"), s.stride, s.padding, s.dilation).astype("float64"), expected, 1e-5);
        });
      } finally {
        T.setMatmulBackend("auto");
      }
    });
  }
  test("a batch larger than one block of patches", () => {
    const x = data([3, 20, 20, 40], 3, "float32");
    const w = data([3, 3, 40, 8], 4, "float32");
    const y = T.conv2d(x, w, 1, 1);
    const slice = T.conv2d(T.take(T.reshape(x, [3, 1, 20, 20, 40]), 2), w, 1, 1);
    expectClose(T.take(y, 2), T.take(slice, 0), 1e-6);
  });
  test("errors name the shapes", () => {
    expect(() => T.conv2d(T.zeros([1, 4, 4, 2]), T.zeros([3, 3, 3, 1]))).toThrow("conv2d: input [1,4,4,2] has 2 channels, the filter [3,3,3,1] takes 3");
    expect(() => T.conv2d(T.zeros([1, 2, 2, 1]), T.zeros([3, 3, 1, 1]))).toThrow("does not fit the input");
  });
});

describe("pooling", () => {
  const x = data([2, 5, 6, 3], 7);
  const reference = (size: number, stride: number, padding: number, f: (v: number[]) => number) => {
    const [n, h, w, c] = x.shape;
    const oh = Math.floor((h + 2 * padding - size) / stride) + 1;
    const ow = Math.floor((w + 2 * padding - size) / stride) + 1;
    return build([n, oh, ow, c], ([b, i, j, q]) => {
      const v: number[] = [];
      for (let di = 0; di < size; di++) {
        for (let dj = 0; dj < size; dj++) {
          const y = i * stride - padding + di;
          const z = j * stride - padding + dj;
          if (y >= 0 && y < h && z >= 0 && z < w) v.push(at(x, [b, y, z, q]));
        }
      }
      return f(v);
    });
  };
  test.each([[2, 2, 0], [3, 1, 1], [3, 2, 1], [2, 1, 0]])("size %i stride %i padding %i", (size, stride, padding) => {
    expectClose(T.maxPool2d(x, size, stride, padding), reference(size, stride, padding, (v) => Math.max(...v)));
    expectClose(T.avgPool2d(x, size, stride, padding), reference(size, stride, padding, (v) => v.reduce((a, b) => a + b, 0) / v.length), 1e-14);
  });
});

describe("normalisation, attention, dropout", () => {
  const x = data([4, 3, 5], 8);
  const gamma = data([5], 9);
  const beta = data([5], 10);
  test("layerNorm and batchNorm are the standardisation written with elementwise operations", () => {
    const standard = (axes: number[]) => {
      const m = T.mean(x, axes, true);
      return T.div(T.sub(x, m), T.sqrt(T.add(T.mean(T.square(T.sub(x, m)), axes, true), 1e-5)));
    };
    expectClose(T.layerNorm(x, gamma, beta), T.add(T.mul(standard([2]), gamma), beta), 1e-12);
    expectClose(T.batchNorm(x, gamma, beta), T.add(T.mul(standard([0, 1]), gamma), beta), 1e-12);
    const { mean, variance } = T.batchMoments(x);
    expectClose(T.batchNormInference(x, mean, variance, gamma, beta), T.batchNorm(x, gamma, beta), 1e-12);
  });
  test("attention is softmax(q·kᵀ/√d)·v; causal masks the future", () => {
    const q = data([2, 4, 3], 11);
    const k = data([2, 4, 3], 12);
    const v = data([2, 4, 2], 13);
    const scores = T.mul(T.matmulTransB(q, k), 1 / Math.sqrt(3));
    expectClose(T.attention(q, k, v), T.matmul(T.softmax(scores), v), 1e-13);
    const future = build([4, 4], ([i, j]) => (j > i ? -Infinity : 0));
    expectClose(T.attention(q, k, v, true), T.matmul(T.softmax(T.add(scores, future)), v), 1e-13);
  });
  test("dropout: a seeded mask, about `rate` zeroed, the rest scaled", () => {
    const ones = T.ones([10000], "float64");
    const d = T.dropout(ones, 0.3, 42);
    const zeros = Array.from(d.data).filter((v) => v === 0).length;
    expect(zeros / 10000).toBeGreaterThan(0.28);
    expect(zeros / 10000).toBeLessThan(0.32);
    expect(Array.from(d.data).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-12)).toBe(true);
    expect(Array.from(T.dropout(ones, 0.3, 42).data)).toEqual(Array.from(d.data));
    expect(Array.from(T.dropout(ones, 0.3, 43).data)).not.toEqual(Array.from(d.data));
  });
});
