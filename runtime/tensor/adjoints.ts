// The pieces of tensor adjoints that generated gradients call: each is one reverse (or forward)
// rule's kernel, so generated code stays a flat list of calls. Every helper allocates its result;
// `addInto` is the one that writes in place (accumulating into a gradient's tensor).
import { reduceToShape, broadcastTo } from "./broadcast";
import { softmax } from "./nn";
import { Tensor, allocate, shapeString, type Indices } from "./tensor";

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
  return reduceToShape(g, operand.shape);
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

/** The adjoint of softmaxCrossEntropy(logits, labels) (mean over rows): g · (softmax − onehot) / n. */
export function softmaxCrossEntropyGrad(g: Tensor, logits: Tensor, labels: Indices | Tensor): Tensor {
  const out = softmax(logits);
  const [n, c] = logits.shape;
  if (labels instanceof Tensor) {
    for (let i = 0; i < out.size; i++) out.data[i] -= labels.data[i];
  } else {
    for (let i = 0; i < n; i++) out.data[i * c + labels[i]] -= 1;
  }
  const scale = g.data[0] / n;
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
