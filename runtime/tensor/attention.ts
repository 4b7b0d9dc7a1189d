// Scaled dot-product attention: softmax(q·kᵀ/√d + mask)·v over the last two axes, batched over
// the leading ones (batch, heads). With `causal`, position i attends only to positions j ≤ i
// (aligned at the end when k is longer than q). The adjoint computes the three operands'
// adjoints in one pass from the probabilities made again (not stored by the forward pass).
import { matmul, matmulTransA, matmulTransB } from "./matmul";
import { softmaxGrad } from "./adjoints-reduce";
import { softmax } from "./nn";
import { add } from "./elementwise";
import { Tensor, shapeString } from "./tensor";

function check(q: Tensor, k: Tensor, v: Tensor): void {
  const ok = q.rank >= 2 && k.rank === q.rank && v.rank === q.rank &&
    q.shape[q.rank - 1] === k.shape[k.rank - 1] && k.shape[k.rank - 2] === v.shape[v.rank - 2] &&
    q.shape.slice(0, -2).every((d, i) => d === k.shape[i] && d === v.shape[i]);
  if (!ok) {
    throw new Error(`attention: q ${shapeString(q.shape)}, k ${shapeString(k.shape)} and v ${shapeString(v.shape)}: expected [..., s, d], [..., t, d], [..., t, dv]`);
  }
}

/** The attention probabilities softmax(q·kᵀ/√d), −∞ above the (end-aligned) diagonal when causal. */
function probabilities(q: Tensor, k: Tensor, causal: boolean): Tensor {
  const scores = matmulTransB(q, k);
  const d = q.shape[q.rank - 1];
  const scale = 1 / Math.sqrt(d);
  const s = q.shape[q.rank - 2];
  const t = k.shape[k.rank - 2];
  const data = scores.data;
  for (let i = 0; i < data.length; i++) {
    const col = i % t;
    const row = Math.floor(i / t) % s;
    data[i] = causal && col > row + (t - s) ? -Infinity : data[i] * scale;
  }
  return softmax(scores, -1, scores);
}

/** softmax(q·kᵀ/√d)·v: q [..., s, d], k [..., t, d], v [..., t, dv] → [..., s, dv]. */
export function attention(q: Tensor, k: Tensor, v: Tensor, causal = false): Tensor {
  check(q, k, v);
  return matmul(probabilities(q, k, causal), v);
}

/** The adjoints of attention(q, k, v, causal) with respect to q, k and v, from the result's adjoint g. */
export function attentionGrad(g: Tensor, q: Tensor, k: Tensor, v: Tensor, causal = false): [Tensor, Tensor, Tensor] {
  check(q, k, v);
  const p = probabilities(q, k, causal);
  const dv = matmulTransA(p, g);
  const ds = softmaxGrad(matmulTransB(g, v), p);
  const scale = 1 / Math.sqrt(q.shape[q.rank - 1]);
  for (let i = 0; i < ds.size; i++) ds.data[i] *= scale;
  return [matmul(ds, k), matmulTransA(ds, q), dv];
}

/** The tangent of attention(q, k, v, causal) in the direction (dq, dk, dv). */
export function attentionTangent(q: Tensor, k: Tensor, v: Tensor, dq: Tensor, dk: Tensor, dv: Tensor, causal = false): Tensor {
  check(q, k, v);
  const p = probabilities(q, k, causal);
  const ds = add(matmulTransB(dq, k), matmulTransB(q, dk));
  const scale = 1 / Math.sqrt(q.shape[q.rank - 1]);
  for (let i = 0; i < ds.size; i++) ds.data[i] *= scale;
  return add(matmul(softmaxGrad(ds, p), v), matmul(p, dv));
}
