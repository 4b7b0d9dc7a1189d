// The MLP of the examples (model.ts) without adc: a hand-written gradient with the signature adc
// generates for `valueAndGrad(loss, { wrt: "p" })`, the initialisation, and prediction.
//
// lossAndGradHand is what a careful person writes by hand: the forward pass on the runtime's
// kernels, then the adjoints in reverse, with the matmul-shaped parts on matmulTransA (Aᵀ·B) and
// matmulTransB (A·Bᵀ), and bias, relu and softmax fused into one loop each. It is the baseline
// adc's generated gradient is compared with (bench/mlp.ts) and the fallback the examples use while
// adc cannot differentiate tensor code yet (gradient.ts).
import {
  type DType,
  Tensor,
  add,
  argmax,
  glorotUniform,
  heNormal,
  matmul,
  matmulTransA,
  matmulTransB,
  relu,
  Rng,
  zeros,
} from "adc";

export type Mlp = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };

/** The gradient function adc generates for model.ts, or its hand-written twin. */
export type LossAndGrad = (p: Mlp, x: Tensor, labels: Int32Array) => [number, Mlp];

/** inputs → hidden (He normal, for relu) → classes (Glorot uniform); biases zero. */
export function initMlp(inputs: number, hidden: number, classes: number, rng: Rng, dtype: DType = "float32"): Mlp {
  return {
    w1: heNormal([inputs, hidden], { rng, dtype }),
    b1: zeros([hidden], dtype),
    w2: glorotUniform([hidden, classes], { rng, dtype }),
    b2: zeros([classes], dtype),
  };
}

/** Adds the row vector b to every row of the [n, m] matrix z, in place. */
function addRows(z: Float32Array | Float64Array, b: Float32Array | Float64Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) z[row + j] += b[j];
  }
}

/**
 * The mean softmax cross-entropy of relu(x·w1 + b1)·w2 + b2 against `labels`, and its gradient
 * with respect to p (the same shape as p), in one forward and one reverse sweep.
 */
export function lossAndGradHand(p: Mlp, x: Tensor, labels: Int32Array): [number, Mlp] {
  const [n] = x.shape;
  const hidden = p.w1.shape[1];
  const classes = p.w2.shape[1];
  if (labels.length !== n) throw new Error(`lossAndGradHand: ${labels.length} labels for ${n} rows`);

  // Forward: h = relu(x·w1 + b1) in place over the product, logits = h·w2 + b2.
  const h = matmul(x, p.w1);
  const hd = h.data;
  const b1 = p.b1.data;
  for (let i = 0; i < n; i++) {
    const row = i * hidden;
    for (let j = 0; j < hidden; j++) {
      const z = hd[row + j] + b1[j];
      hd[row + j] = z > 0 ? z : 0;
    }
  }
  const logits = matmul(h, p.w2);
  const ld = logits.data;
  addRows(ld, p.b2.data, n, classes);

  // Loss and its adjoint with respect to the logits, overwriting them: (softmax − onehot) / n.
  let total = 0;
  const scale = 1 / n;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let m = -Infinity;
    for (let j = 0; j < classes; j++) if (ld[row + j] > m) m = ld[row + j];
    let s = 0;
    for (let j = 0; j < classes; j++) s += Math.exp(ld[row + j] - m);
    const k = labels[i];
    total += m + Math.log(s) - ld[row + k];
    const r = scale / s;
    for (let j = 0; j < classes; j++) ld[row + j] = Math.exp(ld[row + j] - m) * r;
    ld[row + k] -= scale;
  }
  const dLogits = logits;

  // Reverse: w2̄ = hᵀ·dLogits, b2̄ = Σ_rows dLogits, h̄ = dLogits·w2ᵀ masked by relu′, then layer 1.
  const dw2 = matmulTransA(h, dLogits);
  const db2 = colSums(dLogits);
  const dh = matmulTransB(dLogits, p.w2);
  const dhd = dh.data;
  for (let i = 0; i < dhd.length; i++) if (hd[i] <= 0) dhd[i] = 0;
  const dw1 = matmulTransA(x, dh);
  const db1 = colSums(dh);
  return [total / n, { w1: dw1, b1: db1, w2: dw2, b2: db2 }];
}

/** The sums of the columns of a [n, m] matrix, as a [m] tensor. */
function colSums(t: Tensor): Tensor {
  const [n, m] = t.shape;
  const out = zeros([m], t.dtype);
  const o = out.data;
  const d = t.data;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) o[j] += d[row + j];
  }
  return out;
}

/** The logits of the MLP for the rows of x (the forward pass of model.ts, written with the runtime's functions). */
export function logits(p: Mlp, x: Tensor): Tensor {
  return add(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), p.b2);
}

/** The fraction of rows of x whose largest logit is at their label. */
export function accuracy(p: Mlp, x: Tensor, labels: Int32Array): number {
  const predicted = argmax(logits(p, x), -1);
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

/** The rows `indices` of x and their labels: one mini-batch. */
export function batchOf(x: Tensor, labels: Int32Array, indices: Int32Array): [Tensor, Int32Array] {
  const cols = x.shape[1];
  const data = x.dtype === "float64" ? new Float64Array(indices.length * cols) : new Float32Array(indices.length * cols);
  const ys = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    data.set(x.data.subarray(r * cols, (r + 1) * cols), i * cols);
    ys[i] = labels[r];
  }
  return [new Tensor(data, [indices.length, cols]), ys];
}

/** The largest gap between two gradients of the MLP, relative to the largest magnitude of each parameter. */
export function gradientGap(a: Mlp, b: Mlp): number {
  let worst = 0;
  for (const key of ["w1", "b1", "w2", "b2"] as const) {
    const x = a[key].data;
    const y = b[key].data;
    if (x.length !== y.length) return Infinity;
    let scale = 1e-12;
    for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / scale);
  }
  return worst;
}
