// The pieces of tensor adjoints that generated gradients call: each is one reverse (or forward)
// rule's kernel, so generated code stays a flat list of calls. Every helper allocates its result;
// `addInto` is the one that writes in place (accumulating into a gradient's tensor).
import { reduceToShape, broadcastTo } from "./broadcast";
import { countedRows, logSoftmax, softmax } from "./nn";
import { Tensor, allocate, shapeString, type Indices } from "./tensor";
import { inArena } from "./arena";

function like(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size), x.shape as number[]);
}

/**
 * The adjoint of an operand that was broadcast: g summed over the broadcast dimensions back to
 * the operand's shape; for a number operand, the sum of g.
 */
export function unbroadcast(g: Tensor, operand: Tensor): Tensor;
export function unbroadcast(g: Tensor, operand: number): number;
export function unbroadcast(g: Tensor, operand: Tensor | number): Tensor | number {
  if (typeof operand === "number") {
    let s = 0;
    for (let i = 0; i < g.size; i++) s += g.data[i];
    return s;
  }
  // A fresh tensor even when no dimension was broadcast: gradients returned to the caller must not
  // share storage (a caller may clip or accumulate one in place). Inside a gradient's arena g itself
  // will do: what is returned is copied out of the arena one by one (escape), and nothing writes
  // an adjoint in place.
  const reduced = reduceToShape(g, operand.shape);
  return reduced === g && !inArena(g.data) ? g.clone() : reduced;
}

/**
 * A tangent of y = x ± c from one operand's tangent (the other's is zero): d as y's shape. d itself
 * when it has that shape already; spread when its operand was broadcast (a row, a number).
 */
export function broadcastLike(d: Tensor | number, y: Tensor): Tensor {
  if (typeof d === "number") {
    const out = like(y);
    out.data.fill(d);
    return out;
  }
  return d.shape.length === y.shape.length && d.shape.every((n, i) => n === y.shape[i]) ? d : broadcastTo(d, y.shape);
}

/** g where x > 0, else 0: the adjoint of relu. */
export function reluGrad(g: Tensor, x: Tensor): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) out.data[i] = x.data[i] > 0 ? g.data[i] : 0;
  return out;
}

/** g · (1 − y²), y = tanh x. */
export function tanhGrad(g: Tensor, y: Tensor): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) out.data[i] = g.data[i] * (1 - y.data[i] * y.data[i]);
  return out;
}

/** g · y · (1 − y), y = sigmoid x. */
export function sigmoidGrad(g: Tensor, y: Tensor): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) out.data[i] = g.data[i] * y.data[i] * (1 - y.data[i]);
  return out;
}

/** A size-1 g (the adjoint of a full reduction) spread over x's shape, times `scale`. */
export function expandLike(g: Tensor, x: Tensor, scale = 1): Tensor {
  if (g.size !== 1) throw new Error(`expandLike: the adjoint of a full reduction has shape ${shapeString(g.shape)}`);
  const out = like(x);
  out.data.fill(g.data[0] * scale);
  return out;
}

/** The adjoint of mean(x): g / size everywhere. */
export function meanGrad(g: Tensor, x: Tensor): Tensor {
  return expandLike(g, x, 1 / x.size);
}

/** The adjoint of softmaxCrossEntropy(logits, labels) (mean over rows): g · (softmax − onehot) / n; ignored rows get 0. */
export function softmaxCrossEntropyGrad(g: Tensor, logits: Tensor, labels: Indices | Tensor): Tensor {
  const out = softmax(logits);
  const c = logits.shape[logits.rank - 1];
  const n = logits.size / c;
  if (labels instanceof Tensor) {
    for (let i = 0; i < out.size; i++) out.data[i] -= labels.data[i];
  } else {
    for (let i = 0; i < n; i++) {
      if (labels[i] < 0) out.data.fill(0, i * c, (i + 1) * c);
      else out.data[i * c + labels[i]] -= 1;
    }
  }
  const scale = g.data[0] / countedRows(logits, labels);
  for (let i = 0; i < out.size; i++) out.data[i] *= scale;
  return out;
}

/** A tensor of t's shape (size 1) holding v: the adjoint of `t.item()` from the adjoint of the number. */
export function fromItem(v: number, t: Tensor): Tensor {
  const out = like(t);
  out.data[0] = v;
  return out;
}

/** a += b in place (same shapes, or b broadcast to a); returns a. */
export function addInto(a: Tensor, b: Tensor): Tensor {
  const src = b.size === a.size ? b : broadcastTo(b, a.shape);
  for (let i = 0; i < a.size; i++) a.data[i] += src.data[i];
  return a;
}

/** The adjoint of a reduction (sum, or mean when `mean`) over `axis` (a number; undefined: all). */
export function reduceGrad(g: Tensor, x: Tensor, axis?: number, keepdims = false, mean = false): Tensor {
  if (axis === undefined) return expandLike(g, x, mean ? 1 / x.size : 1);
  const a = axis < 0 ? axis + x.rank : axis;
  const kept = keepdims ? g : new Tensor(g.data, [...x.shape.slice(0, a), 1, ...x.shape.slice(a + 1)]);
  const out = broadcastTo(kept, x.shape);
  if (mean) for (let i = 0; i < out.size; i++) out.data[i] /= x.shape[a];
  return out;
}

export function sumGrad(g: Tensor, x: Tensor, axis?: number, keepdims = false): Tensor {
  return reduceGrad(g, x, axis, keepdims, false);
}

export function meanAxisGrad(g: Tensor, x: Tensor, axis?: number, keepdims = false): Tensor {
  return reduceGrad(g, x, axis, keepdims, true);
}

/** g · sign(x): the adjoint (and tangent) of abs. */
export function absGrad(g: Tensor, x: Tensor): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) out.data[i] = g.data[i] * Math.sign(x.data[i]);
  return out;
}

/** The adjoint of mse(prediction, target) with respect to the prediction: g · 2 (p − t) / n. */
export function mseGrad(g: Tensor, prediction: Tensor, target: Tensor): Tensor {
  const out = like(prediction);
  const scale = (2 * g.data[0]) / prediction.size;
  for (let i = 0; i < out.size; i++) out.data[i] = scale * (prediction.data[i] - target.data[i]);
  return out;
}

/** A placeholder a branch yields for a tensor only the other branch makes (never read). */
export const emptyTensor: Tensor = new Tensor(new Float32Array(0), [0]);

/** The adjoint of softmaxCrossEntropy(logits, labels) with respect to probability labels: −g · logSoftmax / n. */
export function crossEntropyLabelsGrad(g: Tensor, logits: Tensor): Tensor {
  const out = logSoftmax(logits);
  const scale = -g.data[0] / (logits.size / logits.shape[logits.rank - 1]);
  for (let i = 0; i < out.size; i++) out.data[i] *= scale;
  return out;
}

/** t itself, or a copy when its storage belongs to the running gradient's arena: what a gradient function returns. */
export function escape(t: Tensor): Tensor {
  if (!inArena(t.data)) return t;
  const data = t.dtype === "float64" ? new Float64Array(t.data) : new Float32Array(t.data);
  return new Tensor(data, t.shape);
}
