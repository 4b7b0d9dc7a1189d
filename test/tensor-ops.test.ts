// The tensor operations against index-by-index references on small float64 inputs: creation,
// broadcasting arithmetic, unary math, reductions over each axis, shape ops, softmax and losses,
// reduceToShape, and the errors for bad shapes.
import { describe, expect, test } from "vitest";
import * as T from "../runtime";
import { Tensor } from "../runtime";
import { at, build, data, expectClose, indices } from "./support/tensor-reference";

describe("Tensor and creation", () => {
  test("nested arrays, flat values with a shape, dtypes", () => {
    const t = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32");
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.get(1, 2)).toBe(6);
    const d = T.tensor([1, 2, 3, 4], [2, 2], "float64");
    expect(d.dtype).toBe("float64");
    expect(d.data).toBeInstanceOf(Float64Array);
    expect(T.tensor(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(T.scalar(3).shape).toEqual([]);
    expect(T.scalar(3).item()).toBe(3);
    expect(T.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(T.ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(T.full([2], 7, "float64").toArray()).toEqual([7, 7]);
    expect(T.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(T.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(T.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(T.oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(T.zerosLike(d).dtype).toBe("float64");
    expect(d.astype("float32").dtype).toBe("float32");
  });

  test("errors name the shapes", () => {
    expect(() => T.tensor([[1, 2], [3]])).toThrow("tensor: ragged nested array");
    expect(() => T.tensor([1, 2, 3], [2, 2])).toThrow("tensor: 3 values do not fill shape [2,2]");
    expect(() => T.tensor([1, 2]).item()).toThrow("item: tensor of shape [2] is not a scalar");
    expect(() => T.zeros([2, -1])).toThrow("zeros: invalid shape [2,-1]");
    expect(() => T.oneHot([3], 3)).toThrow("oneHot: label 3 at 0 is out of range for depth 3");
  });
});

describe("elementwise arithmetic with broadcasting", () => {
  const ops: [string, (a: any, b: any, out?: Tensor) => Tensor, (x: number, y: number) => number][] = [
    ["add", T.add, (x, y) => x + y],
    ["sub", T.sub, (x, y) => x - y],
    ["mul", T.mul, (x, y) => x * y],
    ["div", T.div, (x, y) => x / y],
    ["pow", T.pow, (x, y) => Math.pow(x, y)],
    ["maximum", T.maximum, (x, y) => Math.max(x, y)],
    ["minimum", T.minimum, (x, y) => Math.min(x, y)],
  ];
  // [a shape, b shape, broadcast shape]
  const cases: [number[], number[], number[]][] = [
    [[2, 3], [2, 3], [2, 3]], // same shape
    [[], [2, 3], [2, 3]], // scalar ⊕ matrix
    [[3], [2, 3], [2, 3]], // row ⊕ matrix
    [[1, 3], [2, 3], [2, 3]], // row (kept dim) ⊕ matrix
    [[2, 1], [2, 3], [2, 3]], // column ⊕ matrix
    [[2, 1], [1, 3], [2, 3]], // column ⊕ row: outer
    [[4, 1, 3], [2, 1], [4, 2, 3]],
    [[2, 3, 4], [3, 1], [2, 3, 4]],
    [[1], [5], [5]],
    [[0, 3], [3], [0, 3]],
  ];
  for (const [name, f, ref] of ops) {
    test.each(cases)(`${name}: %j ⊕ %j → %j`, (sa, sb, shape) => {
      const a = name === "pow" ? T.abs(data(sa, 3)) : data(sa, 3);
      const b = data(sb, 7);
      const expected = build(shape, (idx) => ref(at(a, idx), at(b, idx)));
      expectClose(f(a, b), expected);
      expectClose(f(b, a), build(shape, (idx) => ref(at(b, idx), at(a, idx))));
    });
  }

  test("numbers mix with tensors on either side, in the tensor's dtype", () => {
    const a = data([2, 3], 5);
    expectClose(T.sub(1, a), build([2, 3], (i) => 1 - at(a, i)));
    expectClose(T.div(a, 4), build([2, 3], (i) => at(a, i) / 4));
    expectClose(a.mul(2).add(1), build([2, 3], (i) => 2 * at(a, i) + 1));
    expect(T.add(T.ones([2]), 1).dtype).toBe("float32");
    expect(T.add(T.ones([2]), T.ones([2], "float64")).dtype).toBe("float64");
    expect(() => (T.add as (a: unknown, b: unknown) => Tensor)(1, 2)).toThrow("add: at least one operand must be a Tensor");
  });

  test("out receives the result, also in place", () => {
    const a = data([2, 3], 1);
    const b = data([3], 2);
    const out = T.zeros([2, 3], "float64");
    expect(T.add(a, b, out)).toBe(out);
    expectClose(out, T.add(a, b));
    const acc = a.clone();
    T.add(acc, b, acc);
    expectClose(acc, T.add(a, b));
    expect(() => T.add(a, b, T.zeros([3, 2], "float64"))).toThrow(
      "add: out has shape [3,2] float64, expected [2,3] float64",
    );
  });

  test("bad shapes name the operation and both shapes", () => {
    expect(() => T.add(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow(
      "add: shapes [2,3] and [4,5] do not broadcast (2 ≠ 4 at axis 0)",
    );
    expect(() => T.mul(T.zeros([2, 3]), T.zeros([2]))).toThrow("mul: shapes [2,3] and [2] do not broadcast (3 ≠ 2 at axis 1)");
  });
});

describe("unary math", () => {
  const x = data([3, 4], 11, "float64", 4);
  const cases: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
    ["exp", T.exp, Math.exp],
    ["log", (t) => T.log(T.abs(t)), (v) => Math.log(Math.abs(v))],
    ["sqrt", (t) => T.sqrt(T.abs(t)), (v) => Math.sqrt(Math.abs(v))],
    ["tanh", T.tanh, Math.tanh],
    ["sigmoid", T.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    ["relu", T.relu, (v) => Math.max(v, 0)],
    ["leakyRelu", (t) => T.leakyRelu(t), (v) => (v > 0 ? v : 0.01 * v)],
    ["leakyRelu 0.2", (t) => T.leakyRelu(t, 0.2), (v) => (v > 0 ? v : 0.2 * v)],
    ["gelu", T.gelu, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
    ["softplus", T.softplus, (v) => Math.log(1 + Math.exp(v))],
    ["abs", T.abs, Math.abs],
    ["neg", T.neg, (v) => -v],
    ["square", T.square, (v) => v * v],
  ];
  test.each(cases)("%s", (_, f, ref) => {
    expectClose(f(x), build(x.shape, (i) => ref(at(x, i))), 1e-14);
  });

  test("methods are the functions", () => {
    expectClose(x.exp(), T.exp(x));
    expectClose(x.gelu(), T.gelu(x));
    expectClose(x.leakyRelu(0.3), T.leakyRelu(x, 0.3));
    expectClose(x.square().sqrt(), T.abs(x), 1e-15);
  });

  test("stable at large magnitudes", () => {
    const big = T.tensor([-1000, -50, 0, 50, 1000], undefined, "float64");
    expectClose(T.sigmoid(big), T.tensor([0, 1 / (1 + Math.exp(50)), 0.5, 1, 1], undefined, "float64"), 1e-15);
    const sp = T.softplus(big).data;
    expect(sp[0]).toBe(0);
    expect(sp[4]).toBe(1000);
    expect(sp[2]).toBeCloseTo(Math.LN2, 15);
  });
});

describe("reductions", () => {
  const x = data([2, 3, 4], 13, "float64", 3);
  const refs: Record<string, (vals: number[]) => number> = {
    sum: (v) => v.reduce((a, b) => a + b, 0),
    mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
    max: (v) => Math.max(...v),
    logsumexp: (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)),
  };
  const fns: Record<string, (t: Tensor, axis?: T.Axes, keepdims?: boolean) => Tensor> = {
    sum: T.sum,
    mean: T.mean,
    max: T.max,
    logsumexp: T.logsumexp,
  };
  /** Reference: group the values by the index with reduced axes pinned to 0. */
  function reference(kind: string, axes: number[], keepdims: boolean): Tensor {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const groups = new Map<string, number[]>();
    for (const idx of indices(x.shape)) {
      const key = idx.map((v, i) => (axes.includes(i) ? 0 : v)).join(",");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(at(x, idx));
    }
    const t = build(kept, (idx) => refs[kind](groups.get(idx.join(","))!));
    return keepdims ? t : T.reshape(t, x.shape.filter((_, i) => !axes.includes(i)));
  }
  const axesCases: (number[] | undefined)[] = [undefined, [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
  for (const kind of Object.keys(refs)) {
    for (const keepdims of [false, true]) {
      test.each(axesCases.map((a) => [a]))(`${kind} over %j, keepdims ${keepdims}`, (axes) => {
        const expected = reference(kind, axes ?? [0, 1, 2], keepdims);
        expectClose(fns[kind](x, axes, keepdims), expected, 1e-13);
      });
    }
  }

  test("negative axes, a single axis as a number, method style", () => {
    expectClose(x.sum(-1), T.sum(x, 2));
    expectClose(x.max(1, true), T.max(x, [1], true));
    expect(x.sum().shape).toEqual([]);
    expect(x.sum().item()).toBeCloseTo(refs.sum(Array.from(x.data)), 12);
    expect(T.mean(x, undefined, true).shape).toEqual([1, 1, 1]);
  });

  test("logsumexp is stable and handles infinities", () => {
    const t = T.tensor([[1000, 1000], [-1000, -1000], [-Infinity, -Infinity]], undefined, "float64");
    const r = T.logsumexp(t, 1).data;
    expect(r[0]).toBeCloseTo(1000 + Math.LN2, 10);
    expect(r[1]).toBeCloseTo(-1000 + Math.LN2, 10);
    expect(r[2]).toBe(-Infinity);
    expect(T.logsumexp(t, 0).data[0]).toBe(1000);
    expect(T.logsumexp(T.tensor([1, Infinity], undefined, "float64")).item()).toBe(Infinity);
    const col = T.tensor([[1000, -Infinity], [1000, -Infinity]], undefined, "float64");
    expect(Array.from(T.logsumexp(col, 0).data)).toEqual([1000 + Math.LN2, -Infinity]);
  });

  test("argmax along an axis", () => {
    const t = T.tensor([[1, 5, 5], [7, 0, 2]]);
    expect(Array.from(T.argmax(t))).toEqual([1, 0]);
    expect(Array.from(t.argmax(0))).toEqual([1, 0, 0]);
  });

  test("bad axes", () => {
    expect(() => T.sum(x, 3)).toThrow("sum: axis 3 is out of range for shape [2,3,4]");
    expect(() => T.mean(x, [1, -2])).toThrow("mean: axis 1 repeated for shape [2,3,4]");
    expect(() => T.max(T.zeros([0, 2]), 0)).toThrow("max: cannot reduce an empty axis 0 of shape [0,2]");
  });
});

describe("reduceToShape: the adjoint of broadcasting", () => {
  test.each([
    [[2, 3], []],
    [[2, 3], [3]],
    [[2, 3], [1, 3]],
    [[2, 3], [2, 1]],
    [[4, 2, 3], [2, 1]],
    [[4, 2, 3], [4, 1, 3]],
    [[2, 3], [2, 3]],
  ])("gradient %j reduced to %j", (gShape, shape) => {
    const g = data(gShape, 17);
    // ⟨broadcast(v), g⟩ = ⟨v, reduceToShape(g)⟩ for every v: check against a brute-force sum.
    const expected = build(shape, (idx) => {
      let s = 0;
      for (const gi of indices(gShape)) {
        const off = gi.length - idx.length;
        if (idx.every((v, d) => shape[d] === 1 || v === gi[d + off])) s += at(g, gi);
      }
      return s;
    });
    expectClose(T.reduceToShape(g, shape), expected, 1e-14);
    const out = T.zeros(shape, "float64");
    expect(T.reduceToShape(g, shape, out)).toBe(out);
    expectClose(out, expected, 1e-14);
    const v = data(shape, 5);
    const lhs = T.sum(T.mul(T.broadcastTo(v, gShape), g)).item();
    const rhs = T.sum(T.mul(v, T.reduceToShape(g, shape))).item();
    expect(lhs).toBeCloseTo(rhs, 12);
  });

  test("a shape that does not broadcast to the gradient", () => {
    expect(() => T.reduceToShape(T.zeros([2, 3]), [4])).toThrow("reduceToShape: shapes [4] and [2,3] do not broadcast");
    expect(() => T.reduceToShape(T.zeros([3]), [2, 3])).toThrow(
      "reduceToShape: shape [2,3] does not broadcast to the gradient's [3]",
    );
  });
});

describe("shape operations", () => {
  const x = data([3, 4], 19);
  test("transpose 2-D, N-D with a permutation", () => {
    expectClose(T.transpose(x), build([4, 3], ([i, j]) => at(x, [j, i])));
    const big = data([37, 45], 2);
    expectClose(big.transpose(), build([45, 37], ([i, j]) => at(big, [j, i])));
    const y = data([2, 3, 4], 23);
    expectClose(T.transpose(y, [1, 2, 0]), build([3, 4, 2], ([i, j, k]) => at(y, [k, i, j])));
    expectClose(T.transpose(y), build([4, 3, 2], ([i, j, k]) => at(y, [k, j, i])));
    expect(() => T.transpose(y, [0, 0, 1])).toThrow("transpose: [0,0,1] is not a permutation of the axes of shape [2,3,4]");
  });

  test("reshape shares storage; -1 is inferred", () => {
    const r = T.reshape(x, [2, -1]);
    expect(r.shape).toEqual([2, 6]);
    expect(r.data).toBe(x.data);
    expect(x.reshape([12]).shape).toEqual([12]);
    expect(() => T.reshape(x, [5, -1])).toThrow("reshape: cannot reshape [3,4] (12 values) to [5,-1]");
  });

  test("rows, columns, any axis; negative indices", () => {
    expectClose(T.sliceRows(x, 1, 3), build([2, 4], ([i, j]) => at(x, [i + 1, j])));
    expectClose(x.sliceRows(-1), build([1, 4], ([, j]) => at(x, [2, j])));
    expectClose(T.sliceCols(x, 1, 3), build([3, 2], ([i, j]) => at(x, [i, j + 1])));
    expectClose(x.sliceCols(2), build([3, 2], ([i, j]) => at(x, [i, j + 2])));
    const y = data([2, 3, 4], 29);
    expectClose(T.slice(y, 1, 1, 2), build([2, 1, 4], ([i, , k]) => at(y, [i, 1, k])));
    expect(T.sliceRows(x, 2, 1).shape).toEqual([0, 4]);
    expect(() => T.sliceCols(T.zeros([3]), 0)).toThrow("sliceCols: shape [3] has no columns");
  });

  test("concat along each axis", () => {
    const a = data([2, 3], 1);
    const b = data([1, 3], 2);
    expectClose(T.concat([a, b]), build([3, 3], ([i, j]) => (i < 2 ? at(a, [i, j]) : at(b, [i - 2, j]))));
    const c = data([2, 2], 3);
    expectClose(T.concat([a, c], 1), build([2, 5], ([i, j]) => (j < 3 ? at(a, [i, j]) : at(c, [i, j - 3]))));
    expectClose(T.concat([a, c, a], -1), build([2, 8], ([i, j]) => (j < 3 ? at(a, [i, j]) : j < 5 ? at(c, [i, j - 3]) : at(a, [i, j - 5]))));
    expect(() => T.concat([a, c])).toThrow("concat: shapes [2,3] and [2,2] do not match outside axis 0");
  });

  test("gather slices by index, pick one value per row by label", () => {
    expectClose(T.gather(x, [2, 0, 2]), build([3, 4], ([i, j]) => at(x, [[2, 0, 2][i], j])));
    expectClose(x.gather(new Int32Array([3, 1]), 1), build([3, 2], ([i, j]) => at(x, [i, [3, 1][j]])));
    expectClose(T.pick(x, [1, 3, 0]), T.tensor([at(x, [0, 1]), at(x, [1, 3]), at(x, [2, 0])], undefined, "float64"));
    expect(() => T.gather(x, [3])).toThrow("gather: index 3 at 0 is out of range for shape [3,4]");
    expect(() => T.pick(x, [0, 1])).toThrow("pick: shape [3,4] and 2 labels do not match");
  });
});

describe("softmax and losses", () => {
  const x = data([3, 5], 31, "float64", 5);
  const softmaxRef = (t: Tensor, axis: number) =>
    build(t.shape, (idx) => {
      let s = 0;
      for (let k = 0; k < t.shape[axis]; k++) {
        const j = idx.slice();
        j[axis] = k;
        s += Math.exp(at(t, j));
      }
      return Math.exp(at(t, idx)) / s;
    });

  test("softmax and logSoftmax over each axis", () => {
    for (const axis of [0, 1]) {
      expectClose(T.softmax(x, axis), softmaxRef(x, axis), 1e-14);
      expectClose(T.logSoftmax(x, axis), T.log(softmaxRef(x, axis)), 1e-13);
    }
    expectClose(x.softmax(), softmaxRef(x, 1), 1e-14);
    const y = data([2, 3, 4], 37);
    expectClose(T.softmax(y, 1), softmaxRef(y, 1), 1e-14);
  });

  test("stable for large logits", () => {
    const big = T.tensor([[1000, 1001, 1002], [-1000, -1001, -1002]], undefined, "float64");
    const small = T.tensor([[0, 1, 2], [0, -1, -2]], undefined, "float64");
    expectClose(T.softmax(big), T.softmax(small), 1e-15);
    expectClose(T.logSoftmax(big), T.logSoftmax(small), 1e-12);
    expect(T.softmaxCrossEntropy(big, [2, 0]).item()).toBeCloseTo(T.softmaxCrossEntropy(small, [2, 0]).item(), 12);
  });

  test("cross-entropy with integer labels, one-hot labels and probabilities", () => {
    const labels = [4, 0, 2];
    const logp = T.log(softmaxRef(x, 1));
    const expected = -(logp.get(0, 4) + logp.get(1, 0) + logp.get(2, 2)) / 3;
    expect(T.softmaxCrossEntropy(x, labels).item()).toBeCloseTo(expected, 13);
    expect(T.softmaxCrossEntropy(x, new Int32Array(labels)).shape).toEqual([]);
    expect(T.softmaxCrossEntropy(x, T.oneHot(labels, 5, "float64")).item()).toBeCloseTo(expected, 13);
    const probs = T.softmax(data([3, 5], 41, "float64"));
    const soft = -T.sum(T.mul(probs, logp)).item() / 3;
    expect(T.softmaxCrossEntropy(x, probs).item()).toBeCloseTo(soft, 13);
    expect(() => T.softmaxCrossEntropy(x, [0, 1])).toThrow("softmaxCrossEntropy: logits [3,5] and 2 labels do not match");
    expect(() => T.softmaxCrossEntropy(x, T.zeros([3, 4]))).toThrow(
      "softmaxCrossEntropy: logits [3,5] and labels [3,4] do not match",
    );
    expect(() => T.softmaxCrossEntropy(x, [0, 5, 1])).toThrow("softmaxCrossEntropy: label 5 at 1 is out of range for 5 classes");
  });

  test("mse", () => {
    const a = data([2, 3], 1);
    const b = data([2, 3], 2);
    let s = 0;
    for (let i = 0; i < 6; i++) s += (a.data[i] - b.data[i]) ** 2;
    expect(T.mse(a, b).item()).toBeCloseTo(s / 6, 14);
    expect(() => T.mse(a, T.zeros([3, 2]))).toThrow("mse: shapes [2,3] and [3,2] do not match");
  });
});
