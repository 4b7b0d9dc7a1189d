// The operations added for deep learning against index-by-index references: where and the
// comparison masks (broadcast), clamp and elu, min and variance over each axis, stack and take,
// and cross-entropy over sequences with ignored positions.
import { describe, expect, test } from "vitest";
import * as T from "../runtime";
import { at, build, data, expectClose, indices } from "./support/tensor-reference";

describe("masks and where", () => {
  const a = data([2, 3], 1);
  const b = data([3], 2);
  const cond = T.greater(a, b);
  test("comparisons give 1/0 masks with broadcasting", () => {
    const refs: [T.Tensor, (x: number, y: number) => boolean][] = [
      [cond, (x, y) => x > y], [T.greaterEqual(a, b), (x, y) => x >= y], [T.less(a, b), (x, y) => x < y],
      [T.lessEqual(a, b), (x, y) => x <= y], [T.equal(a, a), (x, y) => x === y],
    ];
    for (const [mask, test] of refs) {
      expectClose(mask, build([2, 3], (i) => (test(at(a, i), at(mask === refs[4][0] ? a : b, i)) ? 1 : 0)));
    }
  });
  test("where picks per element, broadcasting all three, numbers mixed in", () => {
    expectClose(T.where(cond, a, b), build([2, 3], (i) => (at(cond, i) ? at(a, i) : at(b, i))));
    expectClose(T.where(cond, 0, b), build([2, 3], (i) => (at(cond, i) ? 0 : at(b, i))));
    const column = T.greater(data([2, 1], 3), 0);
    expectClose(T.where(column, a, -1), build([2, 3], (i) => (at(column, i) ? at(a, i) : -1)));
    expect(T.where(T.greater(T.tensor([1, -1]), 0), T.log(T.tensor([2, -3])), 0).data[1]).toBe(0);
  });
  test("mulSafe and divSafe: a zero first operand gives zero", () => {
    const z = T.tensor([0, 0, 2], undefined, "float64");
    expect(Array.from(T.mulSafe(z, T.tensor([Infinity, NaN, 3], undefined, "float64")).data)).toEqual([0, 0, 6]);
    expect(Array.from(T.divSafe(z, T.tensor([0, NaN, 4], undefined, "float64")).data)).toEqual([0, 0, 0.5]);
  });
});

describe("activations with parameters", () => {
  const x = data([4, 3], 4, "float64", 3);
  test("clamp and elu", () => {
    expectClose(T.clamp(x, -1, 0.5), build(x.shape, (i) => Math.min(0.5, Math.max(-1, at(x, i)))));
    expectClose(T.elu(x), build(x.shape, (i) => (at(x, i) > 0 ? at(x, i) : Math.expm1(at(x, i)))));
    expectClose(x.elu(0.5), build(x.shape, (i) => (at(x, i) > 0 ? at(x, i) : 0.5 * Math.expm1(at(x, i)))));
    expect(() => T.clamp(x, 1, 0)).toThrow("clamp: lower bound 1 is above the upper bound 0");
  });
});

describe("min and variance over each axis", () => {
  const x = data([2, 3, 4], 5);
  const reference = (axis: number, f: (values: number[]) => number) => {
    const shape = x.shape.filter((_, i) => i !== axis);
    return build(shape, (idx) => {
      const values: number[] = [];
      for (let k = 0; k < x.shape[axis]; k++) values.push(at(x, [...idx.slice(0, axis), k, ...idx.slice(axis)]));
      return f(values);
    });
  };
  const variance = (v: number[]) => {
    const m = v.reduce((s, e) => s + e, 0) / v.length;
    return v.reduce((s, e) => s + (e - m) ** 2, 0) / v.length;
  };
  test.each([0, 1, 2])("axis %i", (axis) => {
    expectClose(T.min(x, axis), reference(axis, (v) => Math.min(...v)));
    expectClose(T.variance(x, axis), reference(axis, variance), 1e-13);
    expect(T.variance(x, axis, true).shape).toEqual(x.shape.map((d, i) => (i === axis ? 1 : d)));
  });
  test("over all axes", () => {
    expect(T.min(x).item()).toBe(Math.min(...x.data));
    expect(T.variance(x).item()).toBeCloseTo(variance([...x.data]), 13);
  });
});

describe("stack and take", () => {
  const a = data([2, 3], 6);
  const b = data([2, 3], 7);
  test.each([0, 1, 2, -1])("stack along %i, and take undoes it", (axis) => {
    const s = T.stack([a, b], axis);
    const k = axis < 0 ? axis + 3 : axis;
    expect(s.shape).toEqual([...a.shape.slice(0, k), 2, ...a.shape.slice(k)]);
    for (const idx of indices(s.shape)) {
      const source = idx[k] === 0 ? a : b;
      expect(at(s, idx)).toBe(at(source, [...idx.slice(0, k), ...idx.slice(k + 1)]));
    }
    expectClose(T.take(s, 0, axis), a);
    expectClose(T.take(s, 1, axis), b);
  });
  test("dim and errors", () => {
    expect(T.dim(a, -1)).toBe(3);
    expect(() => T.take(a, 2)).toThrow("take: index 2 at 0 is out of range for shape [2,3]");
    expect(() => T.stack([a, T.zeros([3, 2])])).toThrow("stack: shapes [2,3] and [3,2] differ");
  });
});

describe("cross-entropy over sequences", () => {
  test("[batch, seq, classes] is its rows; negative labels are ignored", () => {
    const logits = data([2, 3, 4], 8, "float64", 2);
    const labels = Int32Array.from([1, -1, 3, 0, 2, -1]);
    const kept = [0, 2, 3, 4];
    const rows = T.gather(T.reshape(logits, [6, 4]), Int32Array.from(kept));
    const expected = T.softmaxCrossEntropy(rows, Int32Array.from(kept.map((i) => labels[i])));
    expect(T.softmaxCrossEntropy(logits, labels).item()).toBeCloseTo(expected.item(), 14);
    const g = T.softmaxCrossEntropyGrad(T.scalar(1, "float64"), logits, labels);
    const gRows = T.softmaxCrossEntropyGrad(T.scalar(1, "float64"), rows, Int32Array.from(kept.map((i) => labels[i])));
    expectClose(T.gather(T.reshape(g, [6, 4]), Int32Array.from(kept)), gRows, 1e-14);
    expect(Array.from(T.take(T.reshape(g, [6, 4]), 1).data)).toEqual([0, 0, 0, 0]);
  });
});
