// The GMM objective of gmm.ts written the way users write it: nested `number[][]` parameters (a row
// per component or point), `for…of` over the points, small helpers called per element
// (`logsumexp`, `dot`, `matVec`, which returns the product as a new array), and scratch arrays
// allocated afresh for every point and component. Same value as gmmObjective on the same numbers
// (test/workloads.test.ts checks it); adc's gradient of it is timed against the hand-written
// gradient of the tuned, flat version.
import { dot, logsumexp, matVec } from "./user-helpers";

/** The GMM log-posterior of gmm.ts. alpha k; means, q k rows of d; l k rows of d(d−1)/2; x n rows of d. */
export function gmmObjectiveUser(
  alpha: number[],
  means: number[][],
  q: number[][],
  l: number[][],
  x: number[][],
  gamma: number,
  m: number,
): number {
  const k = alpha.length;
  const d = means[0].length;
  const n = x.length;
  let slse = 0;
  for (const xi of x) {
    const terms = new Array(k).fill(0);
    for (let c = 0; c < k; c++) {
      const xc = new Array(d).fill(0);
      for (let j = 0; j < d; j++) xc[j] = xi[j] - means[c][j];
      const z = matVec(q[c], l[c], xc);
      let sumq = 0;
      for (const qj of q[c]) sumq += qj;
      terms[c] = alpha[c] + sumq - 0.5 * dot(z, z);
    }
    slse += logsumexp(terms);
  }

  let prior = 0;
  for (let c = 0; c < k; c++) {
    let sumq = 0;
    let frob = 0;
    for (const qj of q[c]) {
      sumq += qj;
      frob += Math.exp(2 * qj);
    }
    frob += dot(l[c], l[c]);
    prior += m * sumq - 0.5 * gamma * gamma * frob;
  }
  // The Wishart normalising constant, with log Γ_d(ν/2) by the half-integer recurrence (gmm.ts).
  const nu = d + m + 1;
  let logMultiGamma = 0.25 * d * (d - 1) * Math.log(Math.PI);
  for (let j = 1; j <= d; j++) logMultiGamma += logGammaHalf(nu + 1 - j);
  const wishartConst = nu * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma;

  return -0.5 * n * d * Math.log(2 * Math.PI) + slse - n * logsumexp(alpha) + prior + k * wishartConst;
}

/** log Γ(w / 2) for a whole number w ≥ 1. */
function logGammaHalf(w: number): number {
  let s = w % 2 === 1 ? 0.5 * Math.log(Math.PI) : 0;
  for (let v = w % 2 === 1 ? 3 : 4; v <= w; v += 2) s += Math.log((v - 2) * 0.5);
  return s;
}
