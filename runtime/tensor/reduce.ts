// Reductions over all axes or given axes, with keepdims: sum, mean, max, logsumexp (stable), and
// argmax. Sums accumulate in float64 whatever the dtype. Several axes reduce one after another
// (each of these reductions composes: logsumexp over {0,1} is logsumexp over 1 of logsumexp over 0).
import {
  type Axes,
  type Shape,
  Tensor,
  allocate,
  normalizeAxes,
  normalizeAxis,
  shapeString,
  sizeOf,
} from "./tensor";
import { mul, sub } from "./elementwise";

type Kind = "sum" | "mean" | "max" | "min" | "logsumexp";

/** [outer, n, inner]: x viewed as outer × n × inner around `axis`. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** Reduces one axis, keeping it as a dimension of 1. */
function reduceAxis(x: Tensor, axis: number, kind: Kind): Tensor {
  const [outer, n, inner] = around(x.shape, axis);
  const shape = x.shape.slice();
  shape[axis] = 1;
  const src = x.data;
  const dst = allocate(x.dtype, outer * inner);
  if (inner === 1) {
    // Contiguous rows.
    for (let o = 0; o < outer; o++) dst[o] = reduceRow(src, o * n, n, kind);
  } else {
    // Strided: accumulate whole rows of `inner` values at a time (contiguous reads).
    const acc = new Float64Array(inner);
    const m = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner;
      if (kind === "max" || kind === "logsumexp") {
        m.fill(-Infinity);
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) {
            const v = src[row + j];
            if (v > m[j] || v !== v) m[j] = v;
          }
        }
      } else if (kind === "min") {
        m.fill(Infinity);
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) {
            const v = src[row + j];
            if (v < m[j] || v !== v) m[j] = v;
          }
        }
      }
      if (kind === "max" || kind === "min") {
        dst.set(m, o * inner);
        continue;
      }
      acc.fill(0);
      if (kind === "logsumexp") {
        // Shift by the max; an all −∞ column shifts by 0 (giving −∞), a +∞ max is the answer.
        for (let j = 0; j < inner; j++) if (m[j] === -Infinity) m[j] = 0;
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) acc[j] += Math.exp(src[row + j] - m[j]);
        }
        for (let j = 0; j < inner; j++) dst[o * inner + j] = m[j] === Infinity ? Infinity : m[j] + Math.log(acc[j]);
      } else {
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) acc[j] += src[row + j];
        }
        const scale = kind === "mean" ? 1 / n : 1;
        for (let j = 0; j < inner; j++) dst[o * inner + j] = acc[j] * scale;
      }
    }
  }
  return new Tensor(dst, shape);
}

/** One contiguous run of n values from `start`, reduced. */
function reduceRow(src: ArrayLike<number>, start: number, n: number, kind: Kind): number {
  const end = start + n;
  if (kind === "sum" || kind === "mean") {
    let s = 0;
    for (let i = start; i < end; i++) s += src[i];
    return kind === "mean" ? s / n : s;
  }
  if (kind === "min") {
    let m = Infinity;
    for (let i = start; i < end; i++) {
      const v = src[i];
      if (v < m || v !== v) m = v;
    }
    return m;
  }
  let m = -Infinity;
  for (let i = start; i < end; i++) {
    const v = src[i];
    if (v > m || v !== v) m = v;
  }
  if (kind === "max") return m;
  // logsumexp: m + log Σ e^(x − m); an infinite or NaN max is the answer itself (all −∞ gives −∞).
  if (!Number.isFinite(m)) return m === -Infinity ? -Infinity : m;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(src[i] - m);
  return m + Math.log(s);
}

function reduce(op: Kind, x: Tensor, axis: Axes, keepdims: boolean): Tensor {
  const axes = normalizeAxes(axis, x.shape, op);
  if (op === "max" || op === "min" || op === "logsumexp") {
    for (const a of axes) {
      if (x.shape[a] === 0) throw new Error(`${op}: cannot reduce an empty axis ${a} of shape ${shapeString(x.shape)}`);
    }
  }
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  if (axes.length === x.shape.length || sizeOf(kept) === 1) {
    // Everything into one value: one pass over the contiguous data.
    const data = allocate(x.dtype, 1);
    data[0] = reduceRow(x.data, 0, x.size, op);
    return new Tensor(data, shape);
  }
  if (axes.length === 0) return new Tensor(x.clone().data, shape);
  let t = x;
  for (const a of axes) t = reduceAxis(t, a, op === "mean" ? "sum" : op);
  if (op === "mean") {
    const count = x.size / t.size;
    const d = t.data;
    for (let i = 0; i < d.length; i++) d[i] /= count;
  }
  return new Tensor(t.data, shape);
}

/** Σ over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return reduce("sum", x, axis, keepdims);
}

/** The mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return reduce("mean", x, axis, keepdims);
}

/** The maximum over `axis` (all axes by default); NaN if any value is NaN. */
export function max(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return reduce("max", x, axis, keepdims);
}

/** The minimum over `axis` (all axes by default); NaN if any value is NaN. */
export function min(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return reduce("min", x, axis, keepdims);
}

/** The population variance (mean squared deviation from the mean, no Bessel correction) over `axis`. */
export function variance(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  const m = reduce("mean", x, axis, true);
  const d = sub(x, m);
  return reduce("mean", mul(d, d, d), axis, keepdims);
}

/** log Σ exp(x) over `axis` (all axes by default), computed as m + log Σ exp(x − m), m the max. */
export function logsumexp(x: Tensor, axis?: Axes, keepdims = false): Tensor {
  return reduce("logsumexp", x, axis, keepdims);
}

/**
 * The index of the maximum along `axis` (default the last), first one on ties, as an Int32Array
 * in row-major order of the remaining dimensions (for a [n, c] batch of scores: n class indices).
 */
export function argmax(x: Tensor, axis = -1): Int32Array {
  const a = normalizeAxis(axis, x.shape, "argmax");
  const [outer, n, inner] = around(x.shape, a);
  if (n === 0) throw new Error(`argmax: cannot reduce an empty axis ${a} of shape ${shapeString(x.shape)}`);
  const out = new Int32Array(outer * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = 0;
      let m = src[base];
      for (let k = 1; k < n; k++) {
        const v = src[base + k * inner];
        if (v > m) {
          m = v;
          best = k;
        }
      }
      out[o * inner + j] = best;
    }
  }
  return out;
}
