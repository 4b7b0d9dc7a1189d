// Adjoints and tangents of the reductions over any axes (max, min, logsumexp, variance) and of
// softmax and logSoftmax along any axis. A reduction maps each element of x to one group (its
// index with the reduced axes set to 0); g, the adjoint of the result, has one value per group
// whether or not the result kept its dimensions, so kernels index it by group.
import { forEachRow, broadcastStrides, plan } from "./broadcast";
import { max, mean, min } from "./reduce";
import { type Axes, Tensor, allocate, normalizeAxes, normalizeAxis, sizeOf } from "./tensor";

/** The shape of x with the reduced axes kept as 1 (the groups), and the result's shape. */
function groups(x: Tensor, axes: Axes, keepdims: boolean): { kept: number[]; shape: number[] } {
  const list = normalizeAxes(axes, x.shape, "reduction");
  const kept = x.shape.map((d, i) => (list.includes(i) ? 1 : d));
  return { kept, shape: keepdims ? kept : x.shape.filter((_, i) => !list.includes(i)) };
}

/** Calls f(i, j) for every element i of x (in order) with its group j. */
function eachElement(x: Tensor, kept: readonly number[], f: (i: number, j: number) => void): void {
  const p = plan(x.shape, [broadcastStrides(kept, x.shape)]);
  const s = p.strides[0][p.dims.length - 1];
  forEachRow(p, (o, offsets, n) => {
    for (let i = 0, j = offsets[0]; i < n; i++, j += s) f(o + i, j);
  });
}

const isSame = (a: number, b: number) => a === b || (a !== a && b !== b);

/** The first element of each group equal to the group's extreme y: its flat index, per group. */
function chosen(x: Tensor, y: Tensor, kept: readonly number[]): Int32Array {
  const at = new Int32Array(y.size).fill(-1);
  eachElement(x, kept, (i, j) => {
    if (at[j] < 0 && isSame(x.data[i], y.data[j])) at[j] = i;
  });
  return at;
}

function extremumGrad(which: typeof max, g: Tensor, x: Tensor, axis: Axes, keepdims: boolean): Tensor {
  const { kept } = groups(x, axis, keepdims);
  const at = chosen(x, which(x, axis, true), kept);
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  for (let j = 0; j < at.length; j++) out.data[at[j]] = g.data[j];
  return out;
}

function extremumTangent(which: typeof max, dx: Tensor, x: Tensor, axis: Axes, keepdims: boolean): Tensor {
  const { kept, shape } = groups(x, axis, keepdims);
  const at = chosen(x, which(x, axis, true), kept);
  const out = new Tensor(allocate(dx.dtype, at.length), shape);
  for (let j = 0; j < at.length; j++) out.data[j] = dx.data[at[j]];
  return out;
}

/** The adjoint of max(x, axis, keepdims): g at the first largest element of each group, 0 elsewhere. */
export function maxGrad(g: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return extremumGrad(max, g, x, axis, keepdims);
}

/** The tangent of max(x, axis, keepdims): dx at the first largest element of each group. */
export function maxTangent(dx: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return extremumTangent(max, dx, x, axis, keepdims);
}

/** The adjoint of min(x, axis, keepdims): g at the first smallest element of each group. */
export function minGrad(g: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return extremumGrad(min, g, x, axis, keepdims);
}

/** The tangent of min(x, axis, keepdims). */
export function minTangent(dx: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return extremumTangent(min, dx, x, axis, keepdims);
}

/** The adjoint of logsumexp y = logsumexp(x, axis, keepdims): g · exp(x − y), per group. */
export function logsumexpGrad(g: Tensor, x: Tensor, y: Tensor, axis?: Axes, keepdims = false): Tensor {
  const { kept } = groups(x, axis, keepdims);
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  eachElement(x, kept, (i, j) => {
    out.data[i] = g.data[j] === 0 ? 0 : g.data[j] * Math.exp(x.data[i] - y.data[j]);
  });
  return out;
}

/** The tangent of logsumexp: Σ softmax(x) · dx per group. */
export function logsumexpTangent(dx: Tensor, x: Tensor, y: Tensor, axis?: Axes, keepdims = false): Tensor {
  const { kept, shape } = groups(x, axis, keepdims);
  const acc = new Float64Array(y.size);
  eachElement(x, kept, (i, j) => {
    acc[j] += Math.exp(x.data[i] - y.data[j]) * dx.data[i];
  });
  const out = new Tensor(allocate(dx.dtype, y.size), shape);
  out.data.set(acc);
  return out;
}

/** The adjoint of variance(x, axis, keepdims): g · 2 (x − mean) / n, n the group's size. */
export function varianceGrad(g: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  const { kept } = groups(x, axis, keepdims);
  const m = mean(x, axis, true);
  const scale = (2 * sizeOf(kept)) / x.size;
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  eachElement(x, kept, (i, j) => {
    out.data[i] = g.data[j] * scale * (x.data[i] - m.data[j]);
  });
  return out;
}

/** The tangent of variance: Σ 2 (x − mean) · dx / n per group. */
export function varianceTangent(dx: Tensor, x: Tensor, axis?: Axes, keepdims = false): Tensor {
  const { kept, shape } = groups(x, axis, keepdims);
  const m = mean(x, axis, true);
  const acc = new Float64Array(m.size);
  eachElement(x, kept, (i, j) => {
    acc[j] += (x.data[i] - m.data[j]) * dx.data[i];
  });
  const scale = (2 * m.size) / x.size;
  const out = new Tensor(allocate(dx.dtype, m.size), shape);
  for (let j = 0; j < acc.length; j++) out.data[j] = acc[j] * scale;
  return out;
}

/** Runs f(start, stride, n) over every line of a tensor of `shape` along `axis`. */
function lines(shape: readonly number[], axis: number, f: (start: number, stride: number, n: number) => void): void {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) f(o * n * inner + j, inner, n);
}

/** The adjoint (and, the Jacobian being symmetric, the tangent) of softmax y along `axis`: y · (g − Σ g·y). */
export function softmaxGrad(g: Tensor, y: Tensor, axis = -1): Tensor {
  const out = new Tensor(allocate(y.dtype, y.size), y.shape);
  if (y.rank === 0) return out;
  lines(y.shape, normalizeAxis(axis, y.shape, "softmaxGrad"), (start, stride, n) => {
    const end = start + n * stride;
    let s = 0;
    for (let i = start; i < end; i += stride) s += g.data[i] * y.data[i];
    for (let i = start; i < end; i += stride) out.data[i] = y.data[i] * (g.data[i] - s);
  });
  return out;
}

/** The adjoint of logSoftmax y along `axis`: g − softmax · Σ g. */
export function logSoftmaxGrad(g: Tensor, y: Tensor, axis = -1): Tensor {
  const out = new Tensor(allocate(y.dtype, y.size), y.shape);
  if (y.rank === 0) return out;
  lines(y.shape, normalizeAxis(axis, y.shape, "logSoftmaxGrad"), (start, stride, n) => {
    const end = start + n * stride;
    let s = 0;
    for (let i = start; i < end; i += stride) s += g.data[i];
    for (let i = start; i < end; i += stride) out.data[i] = g.data[i] - Math.exp(y.data[i]) * s;
  });
  return out;
}

/** The tangent of logSoftmax y along `axis`: dx − Σ softmax · dx. */
export function logSoftmaxTangent(dx: Tensor, y: Tensor, axis = -1): Tensor {
  const out = new Tensor(allocate(y.dtype, y.size), y.shape);
  if (y.rank === 0) return out;
  lines(y.shape, normalizeAxis(axis, y.shape, "logSoftmaxTangent"), (start, stride, n) => {
    const end = start + n * stride;
    let s = 0;
    for (let i = start; i < end; i += stride) s += Math.exp(y.data[i]) * dx.data[i];
    for (let i = start; i < end; i += stride) out.data[i] = dx.data[i] - s;
  });
  return out;
}
