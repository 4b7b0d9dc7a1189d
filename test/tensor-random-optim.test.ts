// Seeded randomness (reproducible, the right moments, initialisers' scales) and the optimizers
// (a hand-computed first step, loss decreasing on a quadratic, parameter structures of any depth).
import { describe, expect, test } from "vitest";
import * as T from "../runtime";
import { Rng, Tensor } from "../runtime";

describe("seeded random", () => {
  test("the same seed gives the same numbers; another seed others", () => {
    expect(Array.from(T.randn([5], { seed: 42 }).data)).toEqual(Array.from(T.randn([5], { seed: 42 }).data));
    expect(Array.from(T.randu([5], { seed: 42 }).data)).not.toEqual(Array.from(T.randu([5], { seed: 43 }).data));
    const r1 = new Rng(7);
    const r2 = new Rng(7);
    const a = [T.randn([3], { rng: r1 }), T.randu([3], { rng: r1 })];
    const b = [T.randn([3], { rng: r2 }), T.randu([3], { rng: r2 })];
    expect(a.map((t) => Array.from(t.data))).toEqual(b.map((t) => Array.from(t.data)));
    T.setSeed(3);
    const g1 = T.randn([4]);
    T.setSeed(3);
    expect(Array.from(T.randn([4]).data)).toEqual(Array.from(g1.data));
    expect(Array.from(T.permutation(6, { seed: 1 }))).toEqual(Array.from(T.permutation(6, { seed: 1 })));
  });

  test("known values pin the generator (xoshiro128** seeded by splitmix32)", () => {
    // The reference xoshiro128** from the state {1, 2, 3, 4}.
    const ref = new Rng([1, 2, 3, 4]);
    expect([ref.nextUint32(), ref.nextUint32(), ref.nextUint32()]).toEqual([11520, 0, 5927040]);
    const r = new Rng(1);
    const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
    // Regenerating these means every seeded result in the project changes.
    expect(first).toMatchInlineSnapshot(`
      [
        2442144158,
        3238099751,
        3819917871,
      ]
    `);
  });

  test("moments of uniform and normal draws", () => {
    const u = T.randu([20000], { seed: 1, dtype: "float64", low: -2, high: 4 });
    expect(T.mean(u).item()).toBeCloseTo(1, 1);
    expect(T.max(u).item()).toBeLessThan(4);
    expect(-T.max(T.neg(u)).item()).toBeGreaterThanOrEqual(-2);
    const n = T.randn([20000], { seed: 2, dtype: "float64", mean: 3, std: 2 });
    const mean = T.mean(n).item();
    const std = Math.sqrt(T.mean(T.square(T.sub(n, mean))).item());
    expect(mean).toBeCloseTo(3, 1);
    expect(std).toBeCloseTo(2, 1);
    expect(n.dtype).toBe("float64");
    expect(T.randn([2]).dtype).toBe("float32");
  });

  test("Glorot and He scales for a [fanIn, fanOut] weight", () => {
    const std = (t: Tensor) => Math.sqrt(T.mean(T.square(t)).item());
    const limit = (t: Tensor) => T.max(T.abs(t)).item();
    const shape = [400, 100];
    expect(std(T.glorotNormal(shape, { seed: 1 }))).toBeCloseTo(Math.sqrt(2 / 500), 2);
    expect(std(T.heNormal(shape, { seed: 1 }))).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(limit(T.glorotUniform(shape, { seed: 1 }))).toBeLessThanOrEqual(Math.sqrt(6 / 500));
    expect(limit(T.glorotUniform(shape, { seed: 1 }))).toBeGreaterThan(0.99 * Math.sqrt(6 / 500));
    expect(limit(T.heUniform(shape, { seed: 1 }))).toBeLessThanOrEqual(Math.sqrt(6 / 400));
  });

  test("a permutation holds each index once", () => {
    const p = T.permutation(100, { seed: 9 });
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe("optimizers", () => {
  // f(p) = ½ Σ c_i (p_i − t_i)², gradient c_i (p_i − t_i).
  const c = [1, 4, 0.5];
  const target = [1, -2, 3];
  const loss = (p: ArrayLike<number>) => c.reduce((s, ci, i) => s + 0.5 * ci * (p[i] - target[i]) ** 2, 0);
  const gradient = (p: ArrayLike<number>) => T.tensor(c.map((ci, i) => ci * (p[i] - target[i])), [3], "float64");

  test("sgd: the first step is p − lr·g; momentum accumulates", () => {
    const w = T.zeros([3], "float64");
    const opt = T.sgd({ lr: 0.1, momentum: 0.9 });
    const g0 = gradient(w.data);
    opt.step({ w }, { w: g0 });
    expect(Array.from(w.data)).toEqual(Array.from(g0.data).map((g) => -0.1 * g));
    const p1 = Array.from(w.data);
    const g1 = gradient(w.data);
    opt.step({ w }, { w: g1 });
    // v = 0.9·g0 + g1, p ← p − lr·v
    p1.forEach((p, i) => expect(w.data[i]).toBeCloseTo(p - 0.1 * (0.9 * g0.data[i] + g1.data[i]), 15));
  });

  test("adam: the first step is −lr·g/(|g| + ε) (bias-corrected)", () => {
    const w = T.zeros([3], "float64");
    const opt = T.adam({ lr: 0.01 });
    const g = gradient(w.data);
    opt.step([w], [g]);
    Array.from(g.data).forEach((gi, i) => expect(w.data[i]).toBeCloseTo((-0.01 * gi) / (Math.abs(gi) + 1e-8), 15));
    // Second step by hand.
    const g2 = gradient(w.data);
    const p = Array.from(w.data);
    opt.step([w], [g2]);
    for (let i = 0; i < 3; i++) {
      const m = 0.9 * 0.1 * g.data[i] + 0.1 * g2.data[i];
      const v = 0.999 * 0.001 * g.data[i] ** 2 + 0.001 * g2.data[i] ** 2;
      const mh = m / (1 - 0.9 ** 2);
      const vh = v / (1 - 0.999 ** 2);
      expect(w.data[i]).toBeCloseTo(p[i] - (0.01 * mh) / (Math.sqrt(vh) + 1e-8), 14);
    }
  });

  for (const [name, make, steps] of [
    ["sgd", () => T.sgd({ lr: 0.1 }), 100],
    ["sgd + momentum", () => T.sgd({ lr: 0.05, momentum: 0.9 }), 100],
    ["sgd + nesterov", () => T.sgd({ lr: 0.05, momentum: 0.9, nesterov: true }), 100],
    ["adam", () => T.adam({ lr: 0.1 }), 300],
  ] as const) {
    test(`${name} decreases the loss of a quadratic to near 0`, () => {
      const w = T.zeros([3], "float32");
      const opt = make();
      const start = loss(w.data);
      let last = start;
      for (let i = 0; i < steps; i++) {
        opt.step(w, gradient(w.data).astype("float32"));
        last = loss(w.data);
      }
      expect(last).toBeLessThan(start * 1e-3);
    });
  }

  test("a nested structure: tensors, typed arrays, number arrays and number properties, in place", () => {
    const params = {
      layers: [
        { w: T.ones([2, 2]), b: T.zeros([2]) },
        { w: T.ones([2, 1]), b: T.zeros([1]) },
      ],
      scale: { value: 2 },
      raw: new Float64Array([1, 1]),
      list: [3, 4],
    };
    const grads = {
      layers: [
        { w: T.full([2, 2], 1), b: T.full([2], 2) },
        { w: T.full([2, 1], 3), b: T.full([1], 4) },
      ],
      scale: { value: 5 },
      raw: new Float64Array([1, -1]),
      list: [10, 20],
    };
    const w0 = params.layers[0].w;
    const opt = T.sgd({ lr: 0.5, momentum: 0.5 });
    opt.step(params, grads);
    expect(params.layers[0].w).toBe(w0); // same tensor, new values
    expect(Array.from(w0.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(params.layers[1].b.data)).toEqual([-2]);
    expect(params.scale.value).toBe(-0.5);
    expect(Array.from(params.raw)).toEqual([0.5, 1.5]);
    expect(params.list).toEqual([-2, -6]);
    opt.step(params, grads); // momentum state is per parameter: v = 0.5·g + g
    expect(params.scale.value).toBe(-0.5 - 0.5 * 7.5);
    expect(params.list).toEqual([-2 - 7.5, -6 - 15]);
  });

  test("a gradient of another structure is named by its path", () => {
    const opt = T.adam();
    expect(() => opt.step({ a: [T.zeros([2])] }, { a: [T.zeros([3])] })).toThrow(
      "optimizer: gradient at params.a[0] is a tensor [3], parameter is a tensor [2]",
    );
    expect(() => opt.step({ a: T.zeros([2]) }, {} as { a: Tensor })).toThrow("optimizer: gradient has no params.a");
  });
});
