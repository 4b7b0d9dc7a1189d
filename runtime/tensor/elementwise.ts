// Binary elementwise arithmetic with NumPy broadcasting. Numbers mix with tensors; float32 with
// float64 gives float64. Each operation has its own loop (no per-element callback), run over the
// broadcast plan's innermost rows; `out` (same shape and dtype as the result, possibly one of the
// operands) receives the result instead of a new tensor.
import { broadcastShapes, broadcastStrides, forEachRow, plan } from "./broadcast";
import { type Operand, Tensor, type TensorData, output, promote, sameShape, sizeOf } from "./tensor";

type Data = TensorData;
/** o[oi + i] = a[ai + i·as] ∘ b[bi + i·bs] for i < n. */
type Kernel = (a: Data, ai: number, as: number, b: Data, bi: number, bs: number, o: Data, oi: number, n: number) => void;

const addK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] + b[bi];
};
const subK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] - b[bi];
};
const mulK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] * b[bi];
};
const divK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] / b[bi];
};
const powK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = Math.pow(a[ai], b[bi]);
};
const maximumK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = Math.max(a[ai], b[bi]);
};
const minimumK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = Math.min(a[ai], b[bi]);
};
// Products and quotients in which a zero first operand gives zero whatever the second (0·∞ = 0,
// 0/0 = 0): adjoint rules use them so that a zero adjoint (a position `where` masked out) stays
// zero through log, sqrt, div and pow instead of becoming NaN.
const mulSafeK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] === 0 ? 0 : a[ai] * b[bi];
};
const divSafeK: Kernel = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = a[ai] === 0 ? 0 : a[ai] / b[bi];
};
/** Comparisons give masks: 1 where true, 0 where false (NaN compares false). */
const comparison = (test: (x: number, y: number) => boolean): Kernel => (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let i = 0; i < n; i++, ai += as, bi += bs) o[oi + i] = test(a[ai], b[bi]) ? 1 : 0;
};
const greaterK = comparison((x, y) => x > y);
const greaterEqualK = comparison((x, y) => x >= y);
const lessK = comparison((x, y) => x < y);
const lessEqualK = comparison((x, y) => x <= y);
const equalK = comparison((x, y) => x === y);

/** Whether `short` is the trailing part of `long` (as a row broadcast against a batch). */
function isSuffix(short: readonly number[], long: readonly number[]): boolean {
  const off = long.length - short.length;
  return off >= 0 && short.every((d, i) => d === long[off + i]);
}

export function operand(x: Operand): { data: Data; shape: readonly number[] } {
  return typeof x === "number" ? { data: Float64Array.of(x), shape: [] } : x;
}

function binary(op: string, kernel: Kernel, a: Operand, b: Operand, out: Tensor | undefined): Tensor {
  if (typeof a === "number" && typeof b === "number") {
    throw new Error(`${op}: at least one operand must be a Tensor (got two numbers)`);
  }
  const dtype =
    typeof a === "number" ? (b as Tensor).dtype : typeof b === "number" ? a.dtype : promote(a.dtype, b.dtype);
  const x = operand(a);
  const y = operand(b);
  if (sameShape(x.shape, y.shape)) {
    const result = output(op, x.shape, dtype, out);
    kernel(x.data, 0, 1, y.data, 0, 1, result.data, 0, result.size);
    return result;
  }
  const shape = broadcastShapes(x.shape, y.shape, op);
  const result = output(op, shape, dtype, out);
  // A row (a bias) against every row of a batch: one kernel call per row, no odometer.
  const m = y.shape.length > 0 ? sizeOf(y.shape) : 0;
  if (m > 1 && sameShape(x.shape, shape) && isSuffix(y.shape, shape)) {
    for (let r = 0; r < result.size; r += m) kernel(x.data, r, 1, y.data, 0, 1, result.data, r, m);
    return result;
  }
  const p = plan(shape, [broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape)]);
  const last = p.dims.length - 1;
  const sa = p.strides[0][last];
  const sb = p.strides[1][last];
  const o = result.data;
  forEachRow(p, (oi, offsets, n) => kernel(x.data, offsets[0], sa, y.data, offsets[1], sb, o, oi, n));
  return result;
}

export function add(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function add(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function add(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("add", addK, a, b, out);
}

export function sub(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function sub(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function sub(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("sub", subK, a, b, out);
}

export function mul(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function mul(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function mul(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("mul", mulK, a, b, out);
}

export function div(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function div(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function div(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("div", divK, a, b, out);
}

/** a ** b elementwise (Math.pow). */
export function pow(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function pow(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function pow(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("pow", powK, a, b, out);
}

/** The larger of a and b elementwise (NaN if either is NaN). */
export function maximum(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function maximum(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function maximum(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("maximum", maximumK, a, b, out);
}

/** The smaller of a and b elementwise (NaN if either is NaN). */
export function minimum(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function minimum(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function minimum(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("minimum", minimumK, a, b, out);
}

/** a · b, except that 0 · anything is 0 (0 · ∞ and 0 · NaN too): for adjoints that may be masked out. */
export function mulSafe(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function mulSafe(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function mulSafe(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("mulSafe", mulSafeK, a, b, out);
}

/** a / b, except that 0 / anything is 0 (0/0 too): for adjoints that may be masked out. */
export function divSafe(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function divSafe(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function divSafe(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("divSafe", divSafeK, a, b, out);
}

/** 1 where a > b, else 0 (a mask for `where`; its derivative is zero). */
export function greater(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function greater(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function greater(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("greater", greaterK, a, b, out);
}

/** 1 where a ≥ b, else 0. */
export function greaterEqual(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function greaterEqual(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function greaterEqual(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("greaterEqual", greaterEqualK, a, b, out);
}

/** 1 where a < b, else 0. */
export function less(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function less(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function less(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("less", lessK, a, b, out);
}

/** 1 where a ≤ b, else 0. */
export function lessEqual(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function lessEqual(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function lessEqual(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("lessEqual", lessEqualK, a, b, out);
}

/** 1 where a = b, else 0. */
export function equal(a: Tensor, b: Operand, out?: Tensor): Tensor;
export function equal(a: Operand, b: Tensor, out?: Tensor): Tensor;
export function equal(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binary("equal", equalK, a, b, out);
}

/**
 * a where `cond` is nonzero, b elsewhere, all three broadcast together (numbers mix in). Only
 * the chosen value is read, so `where(greater(x, 0), log(x), 0)` is finite (its gradient too:
 * the adjoint rules of log, sqrt, div and pow keep a zero adjoint zero).
 */
export function where(cond: Tensor, a: Operand, b: Operand, out?: Tensor): Tensor {
  const x = operand(a);
  const y = operand(b);
  const dtype =
    typeof a === "number" ? (typeof b === "number" ? cond.dtype : b.dtype) : typeof b === "number" ? a.dtype : promote(a.dtype, b.dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, "where"), y.shape, "where");
  const result = output("where", shape, dtype, out);
  const p = plan(shape, [broadcastStrides(cond.shape, shape), broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape)]);
  const last = p.dims.length - 1;
  const [sc, sa, sb] = [p.strides[0][last], p.strides[1][last], p.strides[2][last]];
  const c = cond.data;
  const o = result.data;
  forEachRow(p, (oi, offsets, n) => {
    for (let i = 0, ci = offsets[0], ai = offsets[1], bi = offsets[2]; i < n; i++, ci += sc, ai += sa, bi += sb) {
      o[oi + i] = c[ci] !== 0 ? x.data[ai] : y.data[bi];
    }
  });
  return result;
}
