// The GMM acceptance workload of issue 3: the log-posterior of a Gaussian mixture model with a
// Wishart prior on the precision matrices, from ADBench (Šrajer, Kukelova, Fitzgibbon 2018) in the
// corrected form of GradBench's `gmm` eval (likelihood and prior with consistent signs, the prior
// over the precision matrices, the precision factor not transposed).
//
// Component c has weight ∝ exp(alpha[c]), mean μ_c, and precision Λ_c = Q_cᵀ Q_c, where Q_c is
// lower triangular with diagonal exp(q[c][·]) and strictly-lower entries l[c][·]:
//
//   log p = Σ_i logsumexp_c( alpha_c + Σ_j q_cj − ½ ‖Q_c (x_i − μ_c)‖² ) − n logsumexp(alpha)
//           − n d/2 log 2π
//         + Σ_c ( m Σ_j q_cj − ½ γ² ‖Q_c‖_F² ) + k ( ν d (log γ − ½ log 2) − log Γ_d(ν/2) ),
//
// with ν = d + m + 1 (the Wishart prior W(Λ | I/γ², ν), whose log-density this last line is).
// l[c] lists the strictly-lower entries of Q_c column by column: Q[1][0], Q[2][0], …, Q[d−1][0],
// Q[2][1], …, the layout of ADBench and GradBench.
//
// Written in the subset adc differentiates: one function, no calls to user functions, flat
// row-major Float64Arrays, counted loops, scalar locals, and element writes only into local
// scratch arrays allocated once at the top. The gradient is taken w.r.t. alpha, means, q and l.

/**
 * The GMM log-posterior. Shapes: alpha k, means k×d, q k×d, l k×d(d−1)/2, x n×d (flat,
 * row-major). gamma > 0 and the integer m ≥ 0 are the Wishart parameters.
 */
export function gmmObjective(
  alpha: Float64Array,
  means: Float64Array,
  q: Float64Array,
  l: Float64Array,
  x: Float64Array,
  gamma: number,
  m: number,
  d: number,
  k: number,
  n: number,
): number {
  const lsz = (d * (d - 1)) / 2;
  const qdiag = new Float64Array(k * d); // exp(q)
  const sumq = new Float64Array(k); // Σ_j q_cj = log det Q_c
  const xc = new Float64Array(d); // x_i − μ_c
  const z = new Float64Array(d); // Q_c (x_i − μ_c)
  const mainTerm = new Float64Array(k);

  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      s += q[c * d + j];
      qdiag[c * d + j] = Math.exp(q[c * d + j]);
    }
    sumq[c] = s;
  }

  // The likelihood: a logsumexp over the components for every point, with an explicit max.
  let slse = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        xc[j] = x[i * d + j] - means[c * d + j];
        z[j] = qdiag[c * d + j] * xc[j];
      }
      // Column jj of the strictly-lower part starts at l[c·lsz + jj(2d − jj − 1)/2]; row r > jj
      // of it is at that start + r − jj − 1.
      for (let jj = 0; jj < d; jj++) {
        const col = c * lsz + (jj * (2 * d - jj - 1)) / 2 - jj - 1;
        const xj = xc[jj];
        for (let r = jj + 1; r < d; r++) {
          z[r] += l[col + r] * xj;
        }
      }
      let sq = 0;
      for (let j = 0; j < d; j++) {
        sq += z[j] * z[j];
      }
      mainTerm[c] = alpha[c] + sumq[c] - 0.5 * sq;
    }
    let mx = mainTerm[0];
    for (let c = 1; c < k; c++) {
      mx = Math.max(mx, mainTerm[c]);
    }
    let se = 0;
    for (let c = 0; c < k; c++) {
      se += Math.exp(mainTerm[c] - mx);
    }
    slse += mx + Math.log(se);
  }

  // The mixture weights' normaliser, logsumexp(alpha), also with an explicit max.
  let amx = alpha[0];
  for (let c = 1; c < k; c++) {
    amx = Math.max(amx, alpha[c]);
  }
  let ase = 0;
  for (let c = 0; c < k; c++) {
    ase += Math.exp(alpha[c] - amx);
  }
  const lseAlpha = amx + Math.log(ase);

  // The Wishart prior: Σ_c ( m log det Q_c − ½ γ² ‖Q_c‖_F² ) + k · (normalising constant).
  let prior = 0;
  for (let c = 0; c < k; c++) {
    let frob = 0;
    for (let j = 0; j < d; j++) {
      frob += qdiag[c * d + j] * qdiag[c * d + j];
    }
    for (let j = 0; j < lsz; j++) {
      frob += l[c * lsz + j] * l[c * lsz + j];
    }
    prior += m * sumq[c] - 0.5 * gamma * gamma * frob;
  }
  // log Γ_d(ν/2) = d(d − 1)/4 · log π + Σ_{j=1..d} log Γ((ν + 1 − j)/2). The arguments are halves
  // of integers: lg[w] = log Γ(w/2) by the recurrence Γ(s + 1) = s Γ(s) from Γ(1/2) = √π, Γ(1) = 1.
  const nu = d + m + 1;
  const lg = new Float64Array(nu + 1);
  lg[1] = 0.5 * Math.log(Math.PI);
  for (let w = 3; w < nu + 1; w++) {
    lg[w] = lg[w - 2] + Math.log((w - 2) * 0.5);
  }
  let logMultiGamma = 0.25 * d * (d - 1) * Math.log(Math.PI);
  for (let j = 1; j < d + 1; j++) {
    logMultiGamma += lg[nu + 1 - j];
  }
  const wishartConst = nu * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma;

  return -0.5 * n * d * Math.log(2 * Math.PI) + slse - n * lseAlpha + prior + k * wishartConst;
}
