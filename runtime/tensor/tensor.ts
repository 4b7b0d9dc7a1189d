// The Tensor: a shape and one contiguous row-major typed array (no strides, no offset), float32 by
// default or float64, chosen at creation. Every operation is a function (`add(a, b)`) and, for
// TF.js / jax-js habits, a method (`a.add(b)`) that calls it. Operations return new tensors;
// only `reshape` shares storage (a contiguous tensor reshaped is the same numbers), and only the
// functions that take an `out` argument or the optimizers write into an existing one.
import * as elementwise from "./elementwise";
import * as matmulOps from "./matmul";
import * as nn from "./nn";
import * as reduce from "./reduce";
import * as shapeOps from "./shape-ops";
import * as unary from "./unary";
import { broadcastTo, reduceToShape } from "./broadcast";
import { arenaBuffer } from "./arena";

export type DType = "float32" | "float64";
export type TensorData = Float32Array | Float64Array;
export type Shape = readonly number[];
/** A list of dimensions or axes as generated code writes it (reshape's shape, transpose's permutation). */
export type Dims = readonly number[];
/** A tensor or a number: numbers mix with tensors in arithmetic (as 0-d tensors of the other's dtype). */
export type Operand = Tensor | number;
/** Integer indices or class labels. */
export type Indices = ArrayLike<number>;
/** An axis or several; negative axes count from the end; null/undefined means all axes. */
export type Axes = number | readonly number[] | null | undefined;
export type NestedArray = number | NestedArray[];

export const DEFAULT_DTYPE: DType = "float32";

/** `[2,3]`: how every error message prints a shape. */
export function shapeString(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function checkShape(shape: Shape, op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${shapeString(shape)}`);
  }
}

/** Zeros of `dtype`: from the arena of the generated gradient running (arena.ts), else new. */
export function allocate(dtype: DType, size: number): TensorData {
  return arenaBuffer(dtype, size) ?? (dtype === "float64" ? new Float64Array(size) : new Float32Array(size));
}

export function dtypeOf(data: TensorData): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}

/** float32 with float32 stays float32; anything with float64 is float64. */
export function promote(a: DType, b: DType): DType {
  return a === "float64" || b === "float64" ? "float64" : "float32";
}

/** The axis `axis` of a rank-`rank` shape, negative counted from the end, checked. */
export function normalizeAxis(axis: number, shape: Shape, op: string): number {
  const rank = shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new Error(`${op}: axis ${axis} is out of range for shape ${shapeString(shape)}`);
  }
  return a;
}

/** Sorted distinct axes; all axes when `axes` is null or undefined. */
export function normalizeAxes(axes: Axes, shape: Shape, op: string): number[] {
  if (axes === null || axes === undefined) return shape.map((_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, shape, op)).sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new Error(`${op}: axis ${out[i]} repeated for shape ${shapeString(shape)}`);
  }
  return out;
}

/**
 * Checks that `out` (when given) has the shape and dtype an operation produces, or allocates a
 * result. Generated gradient code passes `out` to reuse buffers.
 */
export function output(op: string, shape: Shape, dtype: DType, out: Tensor | undefined): Tensor {
  if (out === undefined) return new Tensor(allocate(dtype, sizeOf(shape)), shape);
  if (!sameShape(out.shape, shape) || out.dtype !== dtype) {
    throw new Error(
      `${op}: out has shape ${shapeString(out.shape)} ${out.dtype}, expected ${shapeString(shape)} ${dtype}`,
    );
  }
  return out;
}

export class Tensor {
  readonly shape: Shape;
  readonly data: TensorData;

  /** A tensor over `data` (not copied) of shape `shape`; `data.length` must be the shape's size. */
  constructor(data: TensorData, shape: Shape) {
    checkShape(shape, "Tensor");
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: ${data.length} values do not fill shape ${shapeString(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a tensor of size 1 (a loss, a 0-d result of a full reduction). */
  item(): number {
    if (this.data.length !== 1) throw new Error(`item: tensor of shape ${shapeString(this.shape)} is not a scalar`);
    return this.data[0];
  }

  /** The value at a full index, e.g. `t.get(i, j)`. */
  get(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new Error(`get: ${index.length} indices for shape ${shapeString(this.shape)}`);
    }
    let flat = 0;
    for (let i = 0; i < index.length; i++) {
      const k = index[i];
      if (!Number.isInteger(k) || k < 0 || k >= this.shape[i]) {
        throw new Error(`get: index [${index.join(",")}] is out of range for shape ${shapeString(this.shape)}`);
      }
      flat = flat * this.shape[i] + k;
    }
    return this.data[flat];
  }

  /** Nested arrays of numbers (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  clone(): Tensor {
    const data = allocate(this.dtype, this.size);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /** A copy in another dtype (a copy even when the dtype is the same). */
  astype(dtype: DType): Tensor {
    const data = allocate(dtype, this.data.length);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  toString(): string {
    return `Tensor(${shapeString(this.shape)}, ${this.dtype}) ${JSON.stringify(this.toArray())}`;
  }

  // Elementwise arithmetic (NumPy broadcasting; numbers mix in).
  add(b: Operand): Tensor {
    return elementwise.add(this, b);
  }
  sub(b: Operand): Tensor {
    return elementwise.sub(this, b);
  }
  mul(b: Operand): Tensor {
    return elementwise.mul(this, b);
  }
  div(b: Operand): Tensor {
    return elementwise.div(this, b);
  }
  pow(b: Operand): Tensor {
    return elementwise.pow(this, b);
  }
  maximum(b: Operand): Tensor {
    return elementwise.maximum(this, b);
  }
  minimum(b: Operand): Tensor {
    return elementwise.minimum(this, b);
  }
  greater(b: Operand): Tensor {
    return elementwise.greater(this, b);
  }
  less(b: Operand): Tensor {
    return elementwise.less(this, b);
  }

  // Unary math.
  exp(): Tensor {
    return unary.exp(this);
  }
  log(): Tensor {
    return unary.log(this);
  }
  sqrt(): Tensor {
    return unary.sqrt(this);
  }
  tanh(): Tensor {
    return unary.tanh(this);
  }
  sigmoid(): Tensor {
    return unary.sigmoid(this);
  }
  relu(): Tensor {
    return unary.relu(this);
  }
  leakyRelu(alpha?: number): Tensor {
    return unary.leakyRelu(this, alpha);
  }
  gelu(): Tensor {
    return unary.gelu(this);
  }
  elu(alpha?: number): Tensor {
    return unary.elu(this, alpha);
  }
  clamp(lo: number, hi: number): Tensor {
    return unary.clamp(this, lo, hi);
  }
  softplus(): Tensor {
    return unary.softplus(this);
  }
  abs(): Tensor {
    return unary.abs(this);
  }
  neg(): Tensor {
    return unary.neg(this);
  }
  square(): Tensor {
    return unary.square(this);
  }

  // Reductions.
  sum(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.sum(this, axis, keepdims);
  }
  mean(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.mean(this, axis, keepdims);
  }
  max(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.max(this, axis, keepdims);
  }
  min(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.min(this, axis, keepdims);
  }
  logsumexp(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.logsumexp(this, axis, keepdims);
  }
  variance(axis?: Axes, keepdims?: boolean): Tensor {
    return reduce.variance(this, axis, keepdims);
  }
  argmax(axis?: number): Int32Array {
    return reduce.argmax(this, axis);
  }

  // Linear algebra.
  matmul(b: Tensor): Tensor {
    return matmulOps.matmul(this, b);
  }
  matmulTransA(b: Tensor): Tensor {
    return matmulOps.matmulTransA(this, b);
  }
  matmulTransB(b: Tensor): Tensor {
    return matmulOps.matmulTransB(this, b);
  }

  // Shapes.
  transpose(perm?: readonly number[]): Tensor {
    return shapeOps.transpose(this, perm);
  }
  /** The same storage under another shape (one dimension may be -1). */
  reshape(shape: Shape): Tensor {
    return shapeOps.reshape(this, shape);
  }
  slice(axis: number, start: number, end?: number): Tensor {
    return shapeOps.slice(this, axis, start, end);
  }
  sliceRows(start: number, end?: number): Tensor {
    return shapeOps.sliceRows(this, start, end);
  }
  sliceCols(start: number, end?: number): Tensor {
    return shapeOps.sliceCols(this, start, end);
  }
  take(index: number, axis?: number): Tensor {
    return shapeOps.take(this, index, axis);
  }
  gather(indices: Indices, axis?: number): Tensor {
    return shapeOps.gather(this, indices, axis);
  }
  pick(labels: Indices): Tensor {
    return shapeOps.pick(this, labels);
  }
  broadcastTo(shape: Shape): Tensor {
    return broadcastTo(this, shape);
  }
  reduceToShape(shape: Shape): Tensor {
    return reduceToShape(this, shape);
  }

  // Neural-network helpers.
  softmax(axis?: number): Tensor {
    return nn.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return nn.logSoftmax(this, axis);
  }
}
