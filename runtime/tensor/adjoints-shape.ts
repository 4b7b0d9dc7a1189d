// Adjoints of the shape operations: each puts the adjoint of a part back where the part came from
// (zeros elsewhere), or sums the adjoints of repeated reads (gather). concat's and stack's adjoints
// need none of their own: they are slice and take of the result's adjoint.
import { type Indices, Tensor, allocate, normalizeAxis, shapeString, sizeOf } from "./tensor";

function zerosOf(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size), x.shape);
}

/** [outer, n, inner]: x viewed as outer × n × inner around `axis`. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** g under x's shape (the same storage): the adjoint of reshape. */
export function reshapeLike(g: Tensor, x: Tensor): Tensor {
  if (g.size !== x.size) throw new Error(`reshapeLike: ${shapeString(g.shape)} and ${shapeString(x.shape)} differ in size`);
  return new Tensor(g.data, x.shape);
}

/** Python-style bounds, as slice takes them. */
function bound(i: number, n: number): number {
  return Math.min(n, Math.max(0, i < 0 ? i + n : i));
}

/** The adjoint of slice(x, axis, start, end): g at those indices along axis, zeros elsewhere. */
export function sliceGrad(g: Tensor, x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normalizeAxis(axis, x.shape, "sliceGrad");
  const [outer, n, inner] = around(x.shape, a);
  const s = bound(start, n);
  const e = Math.max(s, bound(end ?? n, n));
  const out = zerosOf(x);
  const run = (e - s) * inner;
  if (g.size !== outer * run) throw new Error(`sliceGrad: adjoint ${shapeString(g.shape)} does not fit the slice of ${shapeString(x.shape)}`);
  for (let o = 0; o < outer; o++) out.data.set(g.data.subarray(o * run, (o + 1) * run), (o * n + s) * inner);
  return out;
}

/** The adjoint of sliceRows(x, start, end). */
export function sliceRowsGrad(g: Tensor, x: Tensor, start: number, end?: number): Tensor {
  return sliceGrad(g, x, 0, start, end);
}

/** The adjoint of sliceCols(x, start, end). */
export function sliceColsGrad(g: Tensor, x: Tensor, start: number, end?: number): Tensor {
  return sliceGrad(g, x, -1, start, end);
}

/** The adjoint of take(x, index, axis): g in the slice at index, zeros elsewhere. */
export function takeGrad(g: Tensor, x: Tensor, index: number, axis = 0): Tensor {
  return sliceGrad(g, x, axis, index, index + 1);
}

/** The adjoint of gather(x, indices, axis): each slice of g added into the slice it was read from. */
export function gatherGrad(g: Tensor, x: Tensor, indices: Indices, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.shape, "gatherGrad");
  const [outer, n, inner] = around(x.shape, a);
  const count = indices.length;
  const out = zerosOf(x);
  const src = g.data;
  const dst = out.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const to = (o * n + indices[i]) * inner;
      const from = (o * count + i) * inner;
      for (let j = 0; j < inner; j++) dst[to + j] += src[from + j];
    }
  }
  return out;
}

/** The adjoint of pick(x, labels): g[i] at [i, labels[i]], zeros elsewhere. */
export function pickGrad(g: Tensor, x: Tensor, labels: Indices): Tensor {
  const c = x.shape[1];
  const out = zerosOf(x);
  for (let i = 0; i < labels.length; i++) out.data[i * c + labels[i]] = g.data[i];
  return out;
}
