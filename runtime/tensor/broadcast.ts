// NumPy broadcasting: shapes align from the right, a dimension of 1 (or a missing one) stretches.
// `reduceToShape` is its adjoint: it sums a gradient over the stretched dimensions.
import { type Shape, Tensor, output, sameShape, shapeString, sizeOf } from "./tensor";

/** The broadcast shape of a and b, or an error naming the operation and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${shapeString(a)} and ${shapeString(b)} do not broadcast (${da} ≠ ${db} at axis ${i})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** The strides of a contiguous `shape` seen as `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = i + rank - shape.length;
    strides[o] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

/**
 * Loop plan for an output of shape `shape` read through per-operand strides: adjacent dimensions
 * that every operand walks contiguously are merged, so the common cases (same shape, scalar,
 * row or column broadcast) become one or two loops.
 */
export interface Plan {
  /** Merged dimensions (outermost first) and per-operand strides along them. */
  readonly dims: number[];
  readonly strides: number[][];
}

export function plan(shape: Shape, strides: number[][]): Plan {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue; // a dimension of 1 moves no operand
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k][last] === s[i] * d)) {
      dims[last] *= d;
      strides.forEach((s, k) => (merged[k][last] = s[i]));
    } else {
      dims.push(d);
      strides.forEach((s, k) => merged[k].push(s[i]));
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    merged.forEach((m) => m.push(0));
  }
  return { dims, strides: merged };
}

/**
 * Calls `row(o, offsets, n)` for each innermost run of the plan: o is the output offset
 * (contiguous), offsets[k] operand k's offset, n the run length; the inner strides are
 * `p.strides[k][last]`.
 */
export function forEachRow(p: Plan, row: (o: number, offsets: number[], n: number) => void): void {
  const rank = p.dims.length;
  const n = p.dims[rank - 1];
  const ops = p.strides.length;
  const offsets = new Array<number>(ops).fill(0);
  if (n === 0 || sizeOf(p.dims) === 0) return;
  if (rank === 1) {
    row(0, offsets, n);
    return;
  }
  const counter = new Array<number>(rank - 1).fill(0);
  const total = sizeOf(p.dims) / n;
  for (let r = 0; r < total; r++) {
    row(r * n, offsets, n);
    // Advance the odometer over the outer dimensions.
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < ops; k++) offsets[k] += p.strides[k][d];
      if (counter[d] < p.dims[d]) break;
      for (let k = 0; k < ops; k++) offsets[k] -= p.strides[k][d] * p.dims[d];
      counter[d] = 0;
    }
  }
}

/** x repeated along the dimensions where `shape` stretches it (a copy). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes(x.shape, shape, "broadcastTo");
  if (!sameShape(target, shape)) {
    throw new Error(`broadcastTo: shape ${shapeString(x.shape)} cannot broadcast to ${shapeString(shape)}`);
  }
  const out = output("broadcastTo", shape, x.dtype, undefined);
  const p = plan(shape, [broadcastStrides(x.shape, shape)]);
  const src = x.data;
  const dst = out.data;
  const s = p.strides[0][p.dims.length - 1];
  forEachRow(p, (o, offsets, n) => {
    for (let i = 0, j = offsets[0]; i < n; i++, j += s) dst[o + i] = src[j];
  });
  return out;
}

/**
 * The adjoint of broadcasting: sums `grad` over the dimensions along which a tensor of `shape`
 * was broadcast to `grad.shape` (leading extra dimensions, and dimensions where `shape` has 1),
 * giving a tensor of `shape`. `reduceToShape(g, g.shape)` is g itself (not a copy) unless `out`.
 */
export function reduceToShape(grad: Tensor, shape: Shape, out?: Tensor): Tensor {
  const full = broadcastShapes(shape, grad.shape, "reduceToShape");
  if (!sameShape(full, grad.shape)) {
    throw new Error(
      `reduceToShape: shape ${shapeString(shape)} does not broadcast to the gradient's ${shapeString(grad.shape)}`,
    );
  }
  const result = output("reduceToShape", shape, grad.dtype, out);
  if (sameShape(shape, grad.shape)) {
    if (out === undefined) return grad;
    result.data.set(grad.data);
    return result;
  }
  // Walk the gradient (contiguous) with the target's broadcast strides; accumulate in float64.
  const acc = new Float64Array(result.size);
  const p = plan(grad.shape, [broadcastStrides(shape, grad.shape)]);
  const g = grad.data;
  const s = p.strides[0][p.dims.length - 1];
  forEachRow(p, (o, offsets, n) => {
    let j = offsets[0];
    if (s === 0) {
      let t = 0;
      for (let i = 0; i < n; i++) t += g[o + i];
      acc[j] += t;
    } else {
      for (let i = 0; i < n; i++, j += s) acc[j] += g[o + i];
    }
  });
  result.data.set(acc);
  return result;
}
