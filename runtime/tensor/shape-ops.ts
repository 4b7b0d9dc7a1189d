// Moving numbers between shapes: transpose, reshape (the one view: same storage), slicing along
// an axis (rows, columns), concat, gather (whole slices by index) and pick (one value per row, at
// its label).
import {
  type Indices,
  type Shape,
  Tensor,
  allocate,
  normalizeAxis,
  output,
  shapeString,
  sizeOf,
} from "./tensor";

/** [outer, n, inner]: x viewed as outer × n × inner around `axis`. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** Axes permuted by `perm` (default: reversed, so a matrix is transposed). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ?? x.shape.map((_, i) => rank - 1 - i);
  const seen = new Set(p);
  if (p.length !== rank || seen.size !== rank || p.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
    throw new Error(`transpose: [${p.join(",")}] is not a permutation of the axes of shape ${shapeString(x.shape)}`);
  }
  const shape = p.map((a) => x.shape[a]);
  const out = output("transpose", shape, x.dtype, undefined);
  const src = x.data;
  const dst = out.data;
  if (rank === 2 && p[0] === 1) {
    // Blocked 2-D transpose: both sides stay in cache.
    const [r, c] = x.shape;
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const i1 = Math.min(r, i0 + B);
        const j1 = Math.min(c, j0 + B);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) dst[j * r + i] = src[i * c + j];
      }
    }
    return out;
  }
  // General: walk the output in order with an odometer over the input's permuted strides.
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= x.shape[i];
  }
  const strides = p.map((a) => inStrides[a]);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let o = 0; o < dst.length; o++) {
    dst[o] = src[offset];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      offset += strides[d];
      if (counter[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      counter[d] = 0;
    }
  }
  return out;
}

/** The same storage (not a copy) under another shape of the same size; one dimension may be -1. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const free = shape.filter((d) => d === -1).length;
  const known = sizeOf(shape.filter((d) => d !== -1));
  let resolved = shape;
  if (free === 1 && known > 0 && x.size % known === 0) {
    resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (free > 1 || resolved.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(resolved) !== x.size) {
    throw new Error(`reshape: cannot reshape ${shapeString(x.shape)} (${x.size} values) to ${shapeString(shape)}`);
  }
  return new Tensor(x.data, resolved);
}

/** Python-style bounds: negative counts from the end, clamped to [0, n]. */
function bound(i: number, n: number): number {
  if (!Number.isInteger(i)) throw new Error(`slice: index ${i} is not an integer`);
  return Math.min(n, Math.max(0, i < 0 ? i + n : i));
}

/** Indices start ≤ i < end along `axis` (negative indices count from the end; end defaults to the size). */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normalizeAxis(axis, x.shape, "slice");
  const [outer, n, inner] = around(x.shape, a);
  const s = bound(start, n);
  const e = Math.max(s, bound(end ?? n, n));
  const shape = x.shape.slice();
  shape[a] = e - s;
  const out = allocate(x.dtype, outer * (e - s) * inner);
  const run = (e - s) * inner;
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray((o * n + s) * inner, (o * n + s) * inner + run), o * run);
  }
  return new Tensor(out, shape);
}

/** Rows start ≤ i < end (the first axis), a copy. */
export function sliceRows(x: Tensor, start: number, end?: number): Tensor {
  if (x.rank < 1) throw new Error(`sliceRows: shape ${shapeString(x.shape)} has no rows`);
  return slice(x, 0, start, end);
}

/** Columns start ≤ j < end (the last axis of a tensor of rank ≥ 2), a copy. */
export function sliceCols(x: Tensor, start: number, end?: number): Tensor {
  if (x.rank < 2) throw new Error(`sliceCols: shape ${shapeString(x.shape)} has no columns`);
  return slice(x, -1, start, end);
}

/** Tensors joined along `axis` (default 0); all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error("concat: no tensors");
  const first = tensors[0];
  const a = normalizeAxis(axis, first.shape, "concat");
  let total = 0;
  let dtype = first.dtype;
  for (const t of tensors) {
    const fits = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!fits) {
      throw new Error(
        `concat: shapes ${shapeString(first.shape)} and ${shapeString(t.shape)} do not match outside axis ${a}`,
      );
    }
    total += t.shape[a];
    if (t.dtype === "float64") dtype = "float64";
  }
  const shape = first.shape.slice();
  shape[a] = total;
  const [outer, , inner] = around(shape, a);
  const out = allocate(dtype, sizeOf(shape));
  let at = 0;
  for (const t of tensors) {
    const run = t.shape[a] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * run, (o + 1) * run), o * total * inner + at);
    at += run;
  }
  return new Tensor(out, shape);
}

function checkIndex(op: string, index: number, at: number, n: number, shape: Shape): void {
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new Error(`${op}: index ${index} at ${at} is out of range for shape ${shapeString(shape)}`);
  }
}

/** The slices at `indices` along `axis` (default 0: rows), e.g. a minibatch `gather(X, batchIdx)`. */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.shape, "gather");
  const [outer, n, inner] = around(x.shape, a);
  const count = indices.length;
  const shape = x.shape.slice();
  shape[a] = count;
  const out = allocate(x.dtype, outer * count * inner);
  for (let i = 0; i < count; i++) checkIndex("gather", indices[i], i, n, x.shape);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const from = (o * n + indices[i]) * inner;
      out.set(x.data.subarray(from, from + inner), (o * count + i) * inner);
    }
  }
  return new Tensor(out, shape);
}

/** One value per row: out[i] = x[i, labels[i]] for x of shape [n, c] (e.g. the log-probability of each label). */
export function pick(x: Tensor, labels: Indices, out?: Tensor): Tensor {
  if (x.rank !== 2 || labels.length !== x.shape[0]) {
    throw new Error(`pick: shape ${shapeString(x.shape)} and ${labels.length} labels do not match`);
  }
  const [n, c] = x.shape;
  const result = output("pick", [n], x.dtype, out);
  for (let i = 0; i < n; i++) {
    checkIndex("pick", labels[i], i, c, x.shape);
    result.data[i] = x.data[i * c + labels[i]];
  }
  return result;
}

/** Tensors of one shape stacked along a new axis `axis` (default 0): n of [a, b] give [n, a, b]. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error("stack: no tensors");
  const first = tensors[0];
  const a = axis < 0 ? axis + first.rank + 1 : axis;
  if (!Number.isInteger(axis) || a < 0 || a > first.rank) {
    throw new Error(`stack: axis ${axis} is out of range for shape ${shapeString(first.shape)}`);
  }
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new Error(`stack: shapes ${shapeString(first.shape)} and ${shapeString(t.shape)} differ`);
    }
  }
  const kept = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)];
  return concat(tensors.map((t) => new Tensor(t.data, kept)), a);
}

/** The slice at `index` along `axis` (default 0), that axis removed: take(x, i) of [n, a, b] is x[i], [a, b]. */
export function take(x: Tensor, index: number, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.shape, "take");
  checkIndex("take", index, 0, x.shape[a], x.shape);
  const part = slice(x, a, index, index + 1);
  return new Tensor(part.data, x.shape.filter((_, i) => i !== a));
}

/** The size of x along `axis` (negative from the end): for shapes computed inside a differentiated function. */
export function dim(x: Tensor, axis: number): number {
  return x.shape[normalizeAxis(axis, x.shape, "dim")];
}

/** The inverse of a permutation of axes (default: the reversal, its own inverse), for transpose's adjoint. */
export function invertPermutation(perm?: readonly number[]): number[] | undefined {
  if (perm === undefined) return undefined;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}
