// Neural-network functions: softmax and logSoftmax (stable: shifted by the max), softmax
// cross-entropy with integer or one-hot (or probability) labels, mean squared error.
import { type Indices, Tensor, allocate, normalizeAxis, output, sameShape, shapeString, sizeOf } from "./tensor";

/** Runs f(offset, stride) over every 1-D line of x along `axis`. */
function lines(x: Tensor, axis: number, f: (start: number, stride: number, n: number) => void): void {
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) f(o * n * inner + j, inner, n);
}

/** eˣ / Σ eˣ along `axis` (default the last), computed as e^(x − max) / Σ e^(x − max). */
export function softmax(x: Tensor, axis = -1, out?: Tensor): Tensor {
  const a = normalizeAxis(axis, x.shape, "softmax");
  const result = output("softmax", x.shape, x.dtype, out);
  const src = x.data;
  const dst = result.data;
  lines(x, a, (start, stride, n) => {
    const end = start + n * stride;
    let m = -Infinity;
    for (let i = start; i < end; i += stride) if (src[i] > m) m = src[i];
    let s = 0;
    for (let i = start; i < end; i += stride) {
      const e = Math.exp(src[i] - m);
      dst[i] = e;
      s += e;
    }
    const r = 1 / s;
    for (let i = start; i < end; i += stride) dst[i] *= r;
  });
  return result;
}

/** log softmax along `axis` (default the last): x − max − log Σ e^(x − max). */
export function logSoftmax(x: Tensor, axis = -1, out?: Tensor): Tensor {
  const a = normalizeAxis(axis, x.shape, "logSoftmax");
  const result = output("logSoftmax", x.shape, x.dtype, out);
  const src = x.data;
  const dst = result.data;
  lines(x, a, (start, stride, n) => {
    const end = start + n * stride;
    let m = -Infinity;
    for (let i = start; i < end; i += stride) if (src[i] > m) m = src[i];
    let s = 0;
    for (let i = start; i < end; i += stride) s += Math.exp(src[i] - m);
    const shift = m + Math.log(s);
    for (let i = start; i < end; i += stride) dst[i] = src[i] - shift;
  });
  return result;
}

/**
 * The mean over the batch of −log softmax(logits)[label]: logits [n, c] (or [..., c]: a batch of
 * sequences, every leading position a row), labels either one integer class per row (a negative
 * label marks a row to ignore, e.g. padding: the mean is over the others) or a tensor of one-hot
 * rows of the logits' shape (any probability rows: −Σ_j y_j·log p_j). Returns a 0-d tensor.
 * Computed from logsumexp, never from a rounded softmax.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Indices | Tensor): Tensor {
  if (logits.rank < 2) {
    throw new Error(`softmaxCrossEntropy: logits of shape ${shapeString(logits.shape)}: expected [batch, classes]`);
  }
  const c = logits.shape[logits.rank - 1];
  const n = logits.size / c;
  const x = logits.data;
  const dense = labels instanceof Tensor;
  if (dense ? !sameShape(labels.shape, logits.shape) : labels.length !== n) {
    const what = dense ? `labels ${shapeString(labels.shape)}` : `${labels.length} labels`;
    throw new Error(`softmaxCrossEntropy: logits ${shapeString(logits.shape)} and ${what} do not match`);
  }
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    if (!dense && labels[i] < 0) continue;
    let m = -Infinity;
    for (let j = 0; j < c; j++) if (x[row + j] > m) m = x[row + j];
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(x[row + j] - m);
    const lse = m + Math.log(s);
    counted++;
    if (dense) {
      const y = labels.data;
      for (let j = 0; j < c; j++) {
        const w = y[row + j];
        if (w !== 0) total += w * (lse - x[row + j]);
      }
    } else {
      const k = labels[i];
      if (!Number.isInteger(k) || k >= c) {
        throw new Error(`softmaxCrossEntropy: label ${k} at ${i} is out of range for ${c} classes`);
      }
      total += lse - x[row + k];
    }
  }
  const data = allocate(logits.dtype, 1);
  data[0] = counted === 0 ? NaN : total / counted;
  return new Tensor(data, []);
}

/** The rows softmaxCrossEntropy averages over: all, or those whose integer label is not negative. */
export function countedRows(logits: Tensor, labels: Indices | Tensor): number {
  const n = logits.size / logits.shape[logits.rank - 1];
  if (labels instanceof Tensor) return n;
  let counted = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0) counted++;
  return counted;
}

/** The mean of (prediction − target)² over all elements; the shapes must be equal. Returns a 0-d tensor. */
export function mse(prediction: Tensor, target: Tensor): Tensor {
  if (!sameShape(prediction.shape, target.shape)) {
    throw new Error(
      `mse: shapes ${shapeString(prediction.shape)} and ${shapeString(target.shape)} do not match`,
    );
  }
  const p = prediction.data;
  const t = target.data;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i] - t[i];
    s += d * d;
  }
  const data = allocate(prediction.dtype === "float64" || target.dtype === "float64" ? "float64" : "float32", 1);
  data[0] = s / p.length;
  return new Tensor(data, []);
}
