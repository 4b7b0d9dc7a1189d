// A hand-written reverse-mode gradient of gmmObjective (gmm.ts), written for speed: the "physical
// limit" adc's generated gradient is compared with. Same inputs, same layout.
//
// Per point i and component c the forward pass keeps x_i − μ_c and z = Q_c (x_i − μ_c) for every c
// (they are needed once the point's logsumexp, hence the posterior weights w_c, are known). The
// adjoint of the point's term w.r.t. z is −w_c z. Because Q_c is the same for every point, the
// reductions that go through Q_c are done once per component at the end:
//   ∂/∂μ_c = −Q_cᵀ Σ_i (−w_ic z_ic),   ∂/∂q_cj = exp(q_cj) Σ_i (−w_ic z_ic,j)(x_i − μ_c)_j + …,
// so each (point, component) costs one triangular product forward and one rank-one update of
// ∂/∂l (the only per-point d²/2 work of the backward sweep). Both sweep Q_c row by row, on a
// row-major copy of l made once per call (the objective sweeps column by column, as ADBench does;
// row by row the inner product stays in a register and the reads are contiguous).

export interface GmmGradient {
  alpha: Float64Array;
  means: Float64Array;
  q: Float64Array;
  l: Float64Array;
}

// Scratch, grown on demand and reused across calls.
let qdiagS = new Float64Array(0);
let xcS = new Float64Array(0); // k×d: x_i − μ_c
let zS = new Float64Array(0); // k×d: Q_c (x_i − μ_c)
let mainS = new Float64Array(0); // k
let gzS = new Float64Array(0); // k×d: Σ_i −w z            (for ∂μ)
let hzS = new Float64Array(0); // k×d: Σ_i −w z_j xc_j      (for ∂q)
let wsumS = new Float64Array(0); // k: Σ_i w_ic
let baseS = new Float64Array(0); // k: alpha_c + Σ_j q_cj
let ltS = new Float64Array(0); // k × d(d−1)/2: the strictly-lower entries row by row
let dltS = new Float64Array(0); // their adjoints, row by row

function scratch(k: number, d: number): void {
  const nl = (k * d * (d - 1)) / 2;
  if (ltS.length < nl) {
    ltS = new Float64Array(nl);
    dltS = new Float64Array(nl);
  }
  if (xcS.length < k * d) {
    qdiagS = new Float64Array(k * d);
    xcS = new Float64Array(k * d);
    zS = new Float64Array(k * d);
    gzS = new Float64Array(k * d);
    hzS = new Float64Array(k * d);
  }
  if (mainS.length < k) {
    mainS = new Float64Array(k);
    wsumS = new Float64Array(k);
    baseS = new Float64Array(k);
  }
}

/** The gradient of gmmObjective w.r.t. alpha, means, q and l (same arguments). */
export function gmmGradient(
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
): GmmGradient {
  scratch(k, d);
  const qdiag = qdiagS;
  const xc = xcS;
  const z = zS;
  const mainTerm = mainS;
  const gz = gzS;
  const hz = hzS;
  const wsum = wsumS;
  const lsz = (d * (d - 1)) / 2;
  const kd = k * d;
  const dAlpha = new Float64Array(k);
  const dMeans = new Float64Array(kd);
  const dQ = new Float64Array(kd);
  const dL = new Float64Array(k * lsz);

  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += q[c * d + j];
    mainTerm[c] = s; // Σ_j q_cj, folded into the main term below
    wsum[c] = 0;
  }
  for (let t = 0; t < kd; t++) {
    qdiag[t] = Math.exp(q[t]);
    gz[t] = 0;
    hz[t] = 0;
  }
  const sumqBase = baseS;
  const lt = ltS;
  const dlt = dltS;
  // l lists each Q_c's strictly-lower part column by column; the sweeps below go row by row
  // (contiguous reads, the row sum in a register), so transpose it once.
  for (let c = 0; c < k; c++) {
    let col = c * lsz;
    for (let j = 0; j < d; j++) {
      for (let r = j + 1; r < d; r++) {
        const at = c * lsz + ((r * (r - 1)) >> 1) + j;
        lt[at] = l[col++];
        dlt[at] = 0;
      }
    }
  }
  for (let c = 0; c < k; c++) sumqBase[c] = alpha[c] + mainTerm[c];

  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let mx = -Infinity;
    for (let c = 0; c < k; c++) {
      const o = c * d;
      // z = Q_c (x_i − μ_c), row by row: z_r = exp(q_r) xc_r + Σ_{j<r} Q[r][j] xc_j.
      let sq = 0;
      for (let r = 0; r < d; r++) {
        const v = x[xo + r] - means[o + r];
        xc[o + r] = v;
        let s = qdiag[o + r] * v;
        const row = c * lsz + ((r * (r - 1)) >> 1);
        for (let j = 0; j < r; j++) s += lt[row + j] * xc[o + j];
        z[o + r] = s;
        sq += s * s;
      }
      const t = sumqBase[c] - 0.5 * sq;
      mainTerm[c] = t;
      if (t > mx) mx = t;
    }
    let se = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(mainTerm[c] - mx);
      mainTerm[c] = e;
      se += e;
    }
    const inv = 1 / se;
    for (let c = 0; c < k; c++) {
      const w = mainTerm[c] * inv; // the posterior weight of component c for point i
      wsum[c] += w;
      const o = c * d;
      for (let r = 0; r < d; r++) {
        const g = -w * z[o + r]; // ∂(point term)/∂z_r
        gz[o + r] += g;
        hz[o + r] += g * xc[o + r];
        const row = c * lsz + ((r * (r - 1)) >> 1);
        for (let j = 0; j < r; j++) dlt[row + j] += g * xc[o + j];
      }
    }
  }

  // −n logsumexp(alpha)
  let amx = -Infinity;
  for (let c = 0; c < k; c++) if (alpha[c] > amx) amx = alpha[c];
  let ase = 0;
  for (let c = 0; c < k; c++) ase += Math.exp(alpha[c] - amx);
  for (let c = 0; c < k; c++) dAlpha[c] = wsum[c] - (n * Math.exp(alpha[c] - amx)) / ase;

  const g2 = gamma * gamma;
  for (let c = 0; c < k; c++) {
    const o = c * d;
    // ∂μ_c = −Q_cᵀ gz_c = −(diag · gz + (strictly lower)ᵀ gz)
    let col = c * lsz;
    for (let jj = 0; jj < d; jj++) {
      let s = qdiag[o + jj] * gz[o + jj];
      for (let r = jj + 1; r < d; r++) s += l[col++] * gz[o + r];
      dMeans[o + jj] = -s;
    }
    // ∂q: the likelihood through exp(q) and Σq, the prior's m Σq − ½γ² Σ exp(2q)
    for (let j = 0; j < d; j++) {
      const e = qdiag[o + j];
      dQ[o + j] = hz[o + j] * e + wsum[c] + m - g2 * e * e;
    }
  }
  for (let c = 0; c < k; c++) {
    let col = c * lsz;
    for (let j = 0; j < d; j++) {
      for (let r = j + 1; r < d; r++, col++) dL[col] = dlt[c * lsz + ((r * (r - 1)) >> 1) + j] - g2 * l[col];
    }
  }

  return { alpha: dAlpha, means: dMeans, q: dQ, l: dL };
}
