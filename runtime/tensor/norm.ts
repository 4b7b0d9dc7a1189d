// Normalisation layers. layerNorm standardises each row over the last axis (the features of one
// position); batchNorm, in training, each channel (the last axis: NHWC) over all other axes (the
// batch and the spatial positions), with the batch's own statistics; batchNormInference uses given
// (running) statistics. Each then scales by gamma and shifts by beta, both of the last axis's size.
//
// The standardisation x̂ = (x − μ) / √(σ² + ε) has a symmetric Jacobian,
// (1/σ)(I − 11ᵀ/n − x̂x̂ᵀ/n), so one kernel (`…Grad`) is both its adjoint and its tangent.
import { Tensor, allocate, shapeString } from "./tensor";

type Over = "rows" | "channels";

/** Groups of x: rows (each of the last axis's c values) or channels (each of the n/c values at one channel). */
function layout(x: Tensor, over: Over, op: string): { c: number; groups: number; count: number } {
  if (x.rank < 1) throw new Error(`${op}: cannot normalise a scalar`);
  const c = x.shape[x.rank - 1];
  return over === "rows" ? { c, groups: x.size / c, count: c } : { c, groups: c, count: x.size / c };
}

/** The mean and 1/√(var + ε) of every group. */
function moments(x: Tensor, over: Over, eps: number, op: string): { mean: Float64Array; inv: Float64Array } {
  const { c, groups, count } = layout(x, over, op);
  const mean = new Float64Array(groups);
  const sq = new Float64Array(groups);
  const d = x.data;
  if (over === "rows") {
    for (let r = 0; r < groups; r++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += d[r * c + j];
      const m = s / c;
      let v = 0;
      for (let j = 0; j < c; j++) v += (d[r * c + j] - m) ** 2;
      mean[r] = m;
      sq[r] = v / c;
    }
  } else {
    for (let i = 0; i < x.size; i++) mean[i % c] += d[i];
    for (let q = 0; q < c; q++) mean[q] /= count;
    for (let i = 0; i < x.size; i++) sq[i % c] += (d[i] - mean[i % c]) ** 2;
    for (let q = 0; q < c; q++) sq[q] /= count;
  }
  const inv = sq.map((v) => 1 / Math.sqrt(v + eps));
  return { mean, inv };
}

const groupOf = (over: Over, i: number, c: number) => (over === "rows" ? Math.floor(i / c) : i % c);

function standardize(x: Tensor, over: Over, eps: number, op: string): Tensor {
  const { c } = layout(x, over, op);
  const { mean, inv } = moments(x, over, eps, op);
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  for (let i = 0; i < x.size; i++) {
    const k = groupOf(over, i, c);
    out.data[i] = (x.data[i] - mean[k]) * inv[k];
  }
  return out;
}

/** (1/σ)(g − mean(g) − x̂ · mean(g · x̂)) per group: the adjoint and tangent of the standardisation. */
function standardizeGrad(g: Tensor, x: Tensor, over: Over, eps: number, op: string): Tensor {
  const { c, groups, count } = layout(x, over, op);
  const { mean, inv } = moments(x, over, eps, op);
  const sumG = new Float64Array(groups);
  const sumGX = new Float64Array(groups);
  for (let i = 0; i < x.size; i++) {
    const k = groupOf(over, i, c);
    sumG[k] += g.data[i];
    sumGX[k] += g.data[i] * (x.data[i] - mean[k]) * inv[k];
  }
  const out = new Tensor(allocate(g.dtype, x.size), x.shape);
  for (let i = 0; i < x.size; i++) {
    const k = groupOf(over, i, c);
    const xhat = (x.data[i] - mean[k]) * inv[k];
    out.data[i] = inv[k] * (g.data[i] - sumG[k] / count - (xhat * sumGX[k]) / count);
  }
  return out;
}

function affine(xhat: Tensor, gamma: Tensor, beta: Tensor, op: string): Tensor {
  const c = xhat.shape[xhat.rank - 1];
  if (gamma.size !== c || beta.size !== c) {
    throw new Error(`${op}: gamma ${shapeString(gamma.shape)} and beta ${shapeString(beta.shape)} must have the last axis's ${c} values`);
  }
  for (let i = 0; i < xhat.size; i++) xhat.data[i] = xhat.data[i] * gamma.data[i % c] + beta.data[i % c];
  return xhat;
}

/** Each row (last axis) standardised, then scaled by gamma and shifted by beta ([features] each). */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  return affine(standardize(x, "rows", eps, "layerNorm"), gamma, beta, "layerNorm");
}

/** Training-mode batch normalisation: each channel (last axis) standardised over all other axes with the batch's statistics. */
export function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  return affine(standardize(x, "channels", eps, "batchNorm"), gamma, beta, "batchNorm");
}

/** Inference-mode batch normalisation with given per-channel statistics: (x − mean) / √(variance + ε) · gamma + beta. */
export function batchNormInference(x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const c = x.shape[x.rank - 1];
  if (mean.size !== c || variance.size !== c) {
    throw new Error(`batchNormInference: mean ${shapeString(mean.shape)} and variance ${shapeString(variance.shape)} must have ${c} values`);
  }
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  for (let i = 0; i < x.size; i++) {
    const q = i % c;
    out.data[i] = (x.data[i] - mean.data[q]) / Math.sqrt(variance.data[q] + eps);
  }
  return affine(out, gamma, beta, "batchNormInference");
}

/** The per-channel mean and variance of x over all but the last axis (for a running average of batchNorm's statistics). */
export function batchMoments(x: Tensor): { mean: Tensor; variance: Tensor } {
  const { mean, inv } = moments(x, "channels", 0, "batchMoments");
  const c = x.shape[x.rank - 1];
  const m = new Tensor(allocate(x.dtype, c), [c]);
  const v = new Tensor(allocate(x.dtype, c), [c]);
  for (let q = 0; q < c; q++) {
    m.data[q] = mean[q];
    v.data[q] = 1 / (inv[q] * inv[q]);
  }
  return { mean: m, variance: v };
}

/** x̂ of layerNorm (before gamma and beta). */
export function layerNormalize(x: Tensor, eps = 1e-5): Tensor {
  return standardize(x, "rows", eps, "layerNormalize");
}

/** The adjoint (and tangent) of layerNormalize. */
export function layerNormalizeGrad(g: Tensor, x: Tensor, eps = 1e-5): Tensor {
  return standardizeGrad(g, x, "rows", eps, "layerNormalizeGrad");
}

/** x̂ of batchNorm (before gamma and beta). */
export function batchNormalize(x: Tensor, eps = 1e-5): Tensor {
  return standardize(x, "channels", eps, "batchNormalize");
}

/** The adjoint (and tangent) of batchNormalize. */
export function batchNormalizeGrad(g: Tensor, x: Tensor, eps = 1e-5): Tensor {
  return standardizeGrad(g, x, "channels", eps, "batchNormalizeGrad");
}
