// Small helpers as users write them, called per element by the user-style workloads
// (gmm-user.ts, lstm-user.ts).

/** log Σ exp(v_i), with the maximum taken out first. */
export function logsumexp(v: number[]): number {
  let mx = v[0];
  for (const a of v) mx = Math.max(mx, a);
  let s = 0;
  for (const a of v) s += Math.exp(a - mx);
  return mx + Math.log(s);
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Q·v, for Q lower triangular with diagonal exp(q) and strictly-lower part `lower` listed column
 * by column (Q[1][0], Q[2][0], …, Q[d−1][0], Q[2][1], …), as a new array.
 */
export function matVec(q: number[], lower: number[], v: number[]): number[] {
  const d = v.length;
  const out = new Array(d).fill(0);
  for (let r = 0; r < d; r++) {
    let s = Math.exp(q[r]) * v[r];
    for (let j = 0; j < r; j++) s += lower[(j * (2 * d - j - 1)) / 2 + r - j - 1] * v[j];
    out[r] = s;
  }
  return out;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function sumExp(v: number[]): number {
  let s = 0;
  for (const a of v) s += Math.exp(a);
  return s;
}
