// The backend seam (runtime/tensor/backend.ts): with TF.js's cpu backend running the products
// and convolutions, the runtime's matmul variants, conv2d and its adjoints, and a generated CNN
// gradient (the same generated code) give the default backend's results within float32 tolerance.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import * as tf from "@tensorflow/tfjs";
import * as T from "../runtime";
import { type Tensor, defaultBackend, setBackend, tfjsBackend } from "../runtime";
import { loadSource } from "./support/load";
import { data } from "./support/tensor-reference";

const module = loadSource(`
import { Tensor, add, conv2d, matmul, maxPool2d, relu, reshape, softmaxCrossEntropy, valueAndGrad } from "adc";
export type Net = { c1: Tensor; c2: Tensor; b2: Tensor; w: Tensor };
export function loss(p: Net, x: Tensor, labels: Int32Array): number {
  const h1 = maxPool2d(relu(conv2d(x, p.c1, 1, 1)), 2);
  const h2 = maxPool2d(relu(add(conv2d(h1, p.c2, 2, 1, 1), p.b2)), 2);
  return softmaxCrossEntropy(matmul(reshape(h2, [-1, 8]), p.w), labels).item();
}
export const lossAndGrad = valueAndGrad(loss, { wrt: "p" });
`);

/** The largest difference relative to the largest magnitude of `b`. */
function relativeGap(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let scale = 1e-30;
  let worst = 0;
  for (let i = 0; i < b.size; i++) scale = Math.max(scale, Math.abs(b.data[i]!));
  for (let i = 0; i < b.size; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst / scale;
}

/** TF.js's kernel calls made by the last `both` (so a test cannot pass by falling back). */
let calls = 0;

/** TF.js's backend, counting the calls that it ran. */
function counted() {
  const b = tfjsBackend(tf);
  const count = <A extends unknown[], R>(f: ((...a: A) => R) | undefined) => f && ((...a: A) => (calls++, f(...a)));
  return { ...b, gemm: count(b.gemm), conv2d: count(b.conv2d), conv2dGradInput: count(b.conv2dGradInput), conv2dGradFilter: count(b.conv2dGradFilter) };
}

/** f on both backends. */
function both<R>(f: () => R): [R, R] {
  setBackend(defaultBackend);
  const ours = f();
  calls = 0;
  setBackend(counted());
  try {
    return [ours, f()];
  } finally {
    setBackend(defaultBackend);
  }
}

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});
afterEach(() => setBackend(defaultBackend));

describe("TF.js as the backend of the heavy kernels", () => {
  test("matmul, its transposed variants, batches, accumulation", () => {
    const a = data([3, 5, 7], 1, "float32");
    const b = data([7, 4], 2, "float32");
    const bt = data([3, 4, 7], 3, "float32");
    const at = data([5, 6], 4, "float32");
    const c = data([5, 4], 5, "float32");
    const [ours, theirs] = both(() => [
      T.matmul(a, b), T.matmulTransB(a, bt), T.matmulTransA(at, c), T.matmul(T.take(a, 0), b, T.ones([5, 4]), true),
    ]);
    ours.forEach((o, i) => expect(relativeGap(theirs[i]!, o)).toBeLessThan(1e-5));
    expect(calls).toBe(1 + 3 + 1 + 1); // a batch against a matrix is one product; a batch against a batch, one per item
  });

  test("conv2d and both adjoints, with stride, padding and dilation", () => {
    const x = data([2, 9, 8, 3], 6, "float32");
    const w = data([3, 3, 3, 4], 7, "float32");
    for (const [stride, padding, dilation] of [[1, 1, 1], [2, 0, 1], [1, 2, 2]]) {
      const y = T.conv2d(x, w, stride, padding, dilation);
      const g = data([...y.shape], 8, "float32");
      const [ours, theirs] = both(() => [
        T.conv2d(x, w, stride, padding, dilation),
        T.conv2dGradInput(g, x, w, stride, padding, dilation),
        T.conv2dGradFilter(g, x, w, stride, padding, dilation),
      ]);
      ours.forEach((o, i) => expect(relativeGap(theirs[i]!, o)).toBeLessThan(1e-5));
    }
  });

  test("the same generated CNN gradient on either backend", () => {
    const p = { c1: data([3, 3, 1, 4], 9, "float32"), c2: data([3, 3, 4, 8], 10, "float32"), b2: data([8], 11, "float32"), w: data([8, 3], 12, "float32") };
    const x = data([4, 8, 8, 1], 13, "float32");
    const labels = Int32Array.from([0, 2, 1, 2]);
    const [[l1, g1], [l2, g2]] = both(() => {
      const [l, g] = module.lossAndGrad(p, x, labels) as [number, typeof p];
      return [l, { c1: g.c1.clone(), c2: g.c2.clone(), b2: g.b2.clone(), w: g.w.clone() }] as const;
    });
    expect(Math.abs(l1 - l2)).toBeLessThan(1e-5);
    for (const k of ["c1", "c2", "b2", "w"] as const) expect(relativeGap(g2[k], g1[k])).toBeLessThan(1e-4);
    expect(calls).toBeGreaterThanOrEqual(2 + 3 + 3); // the two convolutions and their adjoints, the products
  });
});
