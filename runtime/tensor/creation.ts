// Creating tensors: from nested arrays or flat values, constants, ranges, identity, one-hot.
// (Random tensors are in random.ts.)
import {
  DEFAULT_DTYPE,
  type DType,
  type Indices,
  type NestedArray,
  type Shape,
  Tensor,
  allocate,
  checkShape,
  shapeString,
  sizeOf,
} from "./tensor";

/** The shape of a nested array, checked to be rectangular. */
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const check = (x: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof x !== "number") throw new Error(`tensor: ragged nested array (expected a number at depth ${dim})`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new Error(`tensor: ragged nested array (expected length ${shape[dim]} at depth ${dim})`);
    }
    for (const e of x) check(e, dim + 1);
  };
  check(values, 0);
  return shape;
}

function flatten(values: NestedArray, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values);
}

/**
 * A tensor from a number, nested arrays (`tensor([[1, 2], [3, 4]])`), or flat values with a
 * shape (`tensor([1, 2, 3, 4], [2, 2])`). A Float32Array/Float64Array without dtype keeps its own
 * dtype; values are always copied.
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: Shape, dtype?: DType): Tensor {
  const typed = values instanceof Float32Array || values instanceof Float64Array;
  const dt: DType = dtype ?? (values instanceof Float64Array ? "float64" : DEFAULT_DTYPE);
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === "number") {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values as NestedArray);
    const out: number[] = [];
    flatten(values as NestedArray, out);
    flat = out;
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const s = shape ?? inferred;
  checkShape(s, "tensor");
  if (sizeOf(s) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${shapeString(s)}`);
  }
  const data = allocate(dt, flat.length);
  if (typed) data.set(flat as Float32Array);
  else for (let i = 0; i < flat.length; i++) data[i] = flat[i];
  return new Tensor(data, s);
}

/** A 0-d tensor. */
export function scalar(value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full([], value, dtype);
}

export function zeros(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  checkShape(shape, "zeros");
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

export function ones(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full(shape, 1, dtype);
}

export function full(shape: Shape, value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  checkShape(shape, "full");
  const data = allocate(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape);
}

export function zerosLike(t: Tensor, dtype: DType = t.dtype): Tensor {
  return zeros(t.shape, dtype);
}

export function onesLike(t: Tensor, dtype: DType = t.dtype): Tensor {
  return ones(t.shape, dtype);
}

export function fullLike(t: Tensor, value: number, dtype: DType = t.dtype): Tensor {
  return full(t.shape, value, dtype);
}

/** The n×n identity. */
export function eye(n: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  const t = zeros([n, n], dtype);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

/** start, start + step, … below stop (NumPy's arange); `arange(n)` is 0 … n−1. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = DEFAULT_DTYPE): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new Error("arange: step is 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/** Rows of one-hot vectors: shape [labels.length, depth]. */
export function oneHot(labels: Indices, depth: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  const n = labels.length;
  const t = zeros([n, depth], dtype);
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (!Number.isInteger(k) || k < 0 || k >= depth) {
      throw new Error(`oneHot: label ${k} at ${i} is out of range for depth ${depth}`);
    }
    t.data[i * depth + k] = 1;
  }
  return t;
}
