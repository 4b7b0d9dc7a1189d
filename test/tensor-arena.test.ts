// Buffers reused between calls of a generated gradient (runtime/tensor/arena.ts): the second call
// of the same shapes allocates nothing, gives the same gradient, and never overwrites what an
// earlier call returned; an error inside leaves no arena behind.
import { expect, test } from "vitest";
import * as T from "../runtime";
import { Tensor } from "../runtime";
import { loadSource } from "./support/load";
import { data, expectClose } from "./support/tensor-reference";

const module = loadSource(`
import { Tensor, add, matmul, relu, softmaxCrossEntropy, sum, mul, tanh, valueAndGrad, grad } from "adc";
export type Mlp = { w1: Tensor; b1: Tensor; w2: Tensor };
export function loss(p: Mlp, x: Tensor, labels: Int32Array): number {
  return softmaxCrossEntropy(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), labels).item();
}
export function direct(x: Tensor, w: Tensor): number {
  return sum(mul(tanh(matmul(x, w)), x)).item();
}
export const lossAndGrad = valueAndGrad(loss, { wrt: "p" });
export const directGrad = grad(direct);
`);

const p = { w1: data([4, 5], 1), b1: data([5], 2), w2: data([5, 3], 3) };
const labels = Int32Array.from([0, 2, 1, 1, 0, 2]);

test("the second call allocates nothing, and the first call's gradients stay as they were", () => {
  const [l1, g1] = module.lossAndGrad(p, data([6, 4], 4), labels) as [number, typeof p];
  const kept = { w1: g1.w1.clone(), b1: g1.b1.clone(), w2: g1.w2.clone() };
  const first = T.arenaStats(module.lossAndGrad)!;
  expect(first.bytesAllocatedLastCall).toBeGreaterThan(0);
  const [l2, g2] = module.lossAndGrad(p, data([6, 4], 5), labels) as [number, typeof p];
  const second = T.arenaStats(module.lossAndGrad)!;
  expect(second.calls).toBe(2);
  expect(second.bytesAllocatedLastCall).toBe(0);
  expect(second.bytesHeld).toBe(first.bytesHeld);
  expect(l2).not.toBe(l1);
  for (const k of ["w1", "b1", "w2"] as const) {
    expectClose(g1[k], kept[k], 0);
    expect(g2[k].data).not.toBe(g1[k].data);
  }
  // The same inputs give the same gradient from reused buffers as from fresh ones.
  const [, g3] = module.lossAndGrad(p, data([6, 4], 4), labels) as [number, typeof p];
  for (const k of ["w1", "b1", "w2"] as const) expectClose(g3[k], kept[k], 0);
});

test("tensors returned directly are copied out of the arena", () => {
  const x = data([3, 4], 6);
  const w = data([4, 4], 7);
  const [gx] = module.directGrad(x, w) as [Tensor, Tensor];
  const kept = gx.clone();
  module.directGrad(data([3, 4], 8), w);
  expectClose(gx, kept, 0);
  expect(T.arenaStats(module.directGrad)!.bytesAllocatedLastCall).toBe(0);
});

test("a shape error inside a gradient leaves no arena in use", () => {
  expect(() => module.directGrad(data([3, 5], 9), data([4, 4], 7))).toThrow("matmul: shapes [3,5] and [4,4]");
  const outside = T.zeros([3, 4]);
  module.directGrad(data([3, 4], 6), data([4, 4], 7));
  expect(Array.from(outside.data)).toEqual(new Array(12).fill(0));
  // Allocations after the call are fresh, not buffers of the arena.
  const a = T.add(T.ones([3, 4]), 1);
  module.directGrad(data([3, 4], 6), data([4, 4], 7));
  expect(Array.from(a.data)).toEqual(new Array(12).fill(2));
});
