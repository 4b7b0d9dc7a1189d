// The GMM and LSTM acceptance workloads (bench/workloads/): the objectives against independent
// plain formulations, and the hand-written gradients against finite differences, at small sizes.
import { describe, expect, test } from "vitest";
import { benchWorkloads, gradientDisagreement, type GmmGradientFn } from "../bench/workloads/bench";
import { gmmInput, lstmInput, type GmmInput, type LstmInput } from "../bench/workloads/data";
import { gmmObjective } from "../bench/workloads/gmm";
import { gmmGradient } from "../bench/workloads/gmm-grad";
import { lstmObjective } from "../bench/workloads/lstm";
import { lstmGradient } from "../bench/workloads/lstm-grad";

/**
 * Fourth-order central differences of f w.r.t. every entry of x (x is restored afterwards):
 * (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h, truncation O(h⁴), with h = 1e-3·max(1, |x_j|).
 */
function numericGradient(f: () => number, x: Float64Array): Float64Array {
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const x0 = x[j]!;
    const h = 1e-3 * Math.max(1, Math.abs(x0));
    const at = (v: number): number => {
      x[j] = v;
      return f();
    };
    g[j] = (-at(x0 + 2 * h) + 8 * at(x0 + h) - 8 * at(x0 - h) + at(x0 - 2 * h)) / (12 * h);
    x[j] = x0;
  }
  return g;
}

/**
 * Mixed relative/absolute error of a gradient block:
 *   max_j |a_j − n_j| / (|n_j| + 1e-3·max_i |n_i| + 1e-5).
 * Relative where a component is large; where it is tiny (or cancels to ~0), measured against a
 * thousandth of the block's largest component, and absolutely (1e-5, i.e. 1e-11 at the 1e-6 bound)
 * for a block that is exactly zero (alpha when k = 1), where the differences are rounding noise.
 */
function gradError(analytic: Float64Array, numeric: Float64Array): number {
  expect(analytic.length).toBe(numeric.length);
  let scale = 0;
  for (const v of numeric) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let j = 0; j < numeric.length; j++) {
    const e = Math.abs(analytic[j]! - numeric[j]!) / (Math.abs(numeric[j]!) + 1e-3 * scale + 1e-5);
    err = Math.max(err, e);
  }
  return err;
}

const gmmValue = (p: GmmInput): number =>
  gmmObjective(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, p.d, p.k, p.n);
const lstmValue = (p: LstmInput): number => lstmObjective(p.main, p.extra, p.state, p.sequence, p.l, p.c, p.b);

// ---------------------------------------------------------------------------------------------
// Independent formulations

/** log Γ(x) for x > 0 by Lanczos (g = 7, n = 9), relative error ~1e-15. */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = g[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The GMM log-posterior from dense matrices: build each Q_c (lower triangular, diagonal exp(q),
 * strictly-lower part from l column by column), Λ_c = Q_cᵀQ_c; the likelihood is Σ_i log Σ_c
 * π_c N(x_i | μ_c, Λ_c⁻¹) (no max trick: the test data keep it in range), with
 * log det Λ_c = 2 Σ q_c; the prior is the Wishart log-density W(Λ_c | I/γ², ν = d + m + 1)
 * with tr(Λ_c) computed from the matrix and log Γ_d from Lanczos.
 */
function gmmDense(p: GmmInput): number {
  const { d, k, n, gamma, m } = p;
  const Qs: number[][][] = [];
  for (let c = 0; c < k; c++) {
    const Q = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let j = 0; j < d; j++) Q[j]![j] = Math.exp(p.q[c * d + j]!);
    let idx = (c * d * (d - 1)) / 2;
    for (let col = 0; col < d; col++) for (let row = col + 1; row < d; row++) Q[row]![col] = p.l[idx++]!;
    Qs.push(Q);
  }
  const logDet = (c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += 2 * p.q[c * d + j]!;
    return s;
  };
  const lambda = (c: number, a: number, b: number): number => {
    let s = 0;
    for (let r = 0; r < d; r++) s += Qs[c]![r]![a]! * Qs[c]![r]![b]!;
    return s;
  };
  let wsum = 0;
  for (let c = 0; c < k; c++) wsum += Math.exp(p.alpha[c]!);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let density = 0;
    for (let c = 0; c < k; c++) {
      let quad = 0;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          quad += (p.x[i * d + a]! - p.means[c * d + a]!) * lambda(c, a, b) * (p.x[i * d + b]! - p.means[c * d + b]!);
      const logN = -0.5 * d * Math.log(2 * Math.PI) + 0.5 * logDet(c) - 0.5 * quad;
      density += (Math.exp(p.alpha[c]!) / wsum) * Math.exp(logN);
    }
    ll += Math.log(density);
  }
  const nu = d + m + 1;
  let logGammaD = (d * (d - 1) * Math.log(Math.PI)) / 4;
  for (let j = 1; j <= d; j++) logGammaD += logGamma((nu + 1 - j) / 2);
  let prior = 0;
  for (let c = 0; c < k; c++) {
    let trace = 0;
    for (let a = 0; a < d; a++) trace += lambda(c, a, a);
    // log W(Λ | V, ν) = (ν−d−1)/2 log|Λ| − tr(V⁻¹Λ)/2 − νd/2 log 2 − ν/2 log|V| − log Γ_d(ν/2), V = I/γ²
    prior +=
      ((nu - d - 1) / 2) * logDet(c) - (gamma * gamma * trace) / 2 - ((nu * d) / 2) * Math.log(2) +
      nu * d * Math.log(gamma) - logGammaD;
  }
  return ll + prior;
}

/** ADBench's LSTM written structurally: arrays of per-layer objects, one gate function. */
function lstmStructured(p: LstmInput): number {
  const { l, c, b } = p;
  const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
  const row = (a: Float64Array, r: number, len: number): number[] => Array.from(a.subarray(r * len, (r + 1) * len));
  const layers = Array.from({ length: l }, (_, j) => {
    const weights = row(p.main, 2 * j, 4 * b);
    const biases = row(p.main, 2 * j + 1, 4 * b);
    const part = (v: number[], g: number): number[] => v.slice(g * b, (g + 1) * b);
    return {
      w: { forget: part(weights, 0), ingate: part(weights, 1), outgate: part(weights, 2), change: part(weights, 3) },
      b: { forget: part(biases, 0), ingate: part(biases, 1), outgate: part(biases, 2), change: part(biases, 3) },
      hidden: row(p.state, 2 * j, b),
      cell: row(p.state, 2 * j + 1, b),
    };
  });
  const [inWeight, outWeight, outBias] = [0, 1, 2].map((r) => row(p.extra, r, b)) as [number[], number[], number[]];
  let total = 0;
  for (let t = 0; t < c - 1; t++) {
    let input = row(p.sequence, t, b).map((v, i) => v * inWeight[i]!);
    for (const L of layers) {
      for (let i = 0; i < b; i++) {
        const forget = sigmoid(input[i]! * L.w.forget[i]! + L.b.forget[i]!);
        const ingate = sigmoid(L.hidden[i]! * L.w.ingate[i]! + L.b.ingate[i]!);
        const outgate = sigmoid(input[i]! * L.w.outgate[i]! + L.b.outgate[i]!);
        const change = Math.tanh(L.hidden[i]! * L.w.change[i]! + L.b.change[i]!);
        L.cell[i] = L.cell[i]! * forget + ingate * change;
        L.hidden[i] = outgate * Math.tanh(L.cell[i]!);
      }
      input = L.hidden;
    }
    const ypred = input.map((h, i) => h * outWeight[i]! + outBias[i]!);
    const lse = Math.log(ypred.reduce((s, y) => s + Math.exp(y), 0) + 2);
    const gold = row(p.sequence, t + 1, b);
    ypred.forEach((y, i) => (total += gold[i]! * (y - lse)));
  }
  return -total / ((c - 1) * b);
}

// ---------------------------------------------------------------------------------------------

const GMM_SMALL: [number, number, number, number, number][] = [
  // d, k, n, gamma, m
  [2, 3, 5, 1.3, 2],
  [3, 2, 4, 0.8, 1],
  [1, 1, 6, 1, 0],
  [4, 3, 3, 1, 0],
];

describe("GMM objective", () => {
  test("k = 1, d = 1: the Gaussian log-likelihood plus a Gamma prior on the precision, in closed form", () => {
    for (const [m, gamma] of [
      [0, 1],
      [1, 0.7],
      [3, 1.6],
    ] as const) {
      const x = new Float64Array([0.3, -1.2, 2.5, 0.9]);
      const mu = 0.4;
      const q = -0.35;
      const p: GmmInput = {
        d: 1, k: 1, n: x.length, alpha: new Float64Array([0.6]), means: new Float64Array([mu]),
        q: new Float64Array([q]), l: new Float64Array(0), x, gamma, m,
      };
      // Precision λ = exp(2q), σ² = 1/λ: Σ log N(x | μ, σ²) = Σ −½ log 2π + q − ½ λ (x − μ)².
      const lambda = Math.exp(2 * q);
      let ll = 0;
      for (const xi of x) ll += -0.5 * Math.log(2 * Math.PI) + q - 0.5 * lambda * (xi - mu) ** 2;
      // For d = 1 the Wishart W(λ | 1/γ², ν) is a Gamma(shape ν/2, rate γ²/2) density over λ:
      // (ν/2 − 1) log λ − γ²λ/2 + (ν/2) log(γ²/2) − log Γ(ν/2), ν = m + 2.
      const nu = m + 2;
      const shape = nu / 2;
      const rate = (gamma * gamma) / 2;
      const lg = [0, 0, 0, Math.log(Math.sqrt(Math.PI) / 2), 0, Math.log((3 * Math.sqrt(Math.PI)) / 4)][nu]!;
      const prior = (shape - 1) * Math.log(lambda) - rate * lambda + shape * Math.log(rate) - lg;
      expect(gmmValue(p)).toBeCloseTo(ll + prior, 11);
    }
  });

  test.each(GMM_SMALL)("d=%i k=%i n=%i: matches a dense-matrix formulation", (d, k, n, gamma, m) => {
    const p = gmmInput(d, k, n, 3, gamma, m);
    const a = gmmValue(p);
    const b = gmmDense(p);
    expect(Math.abs(a - b) / Math.max(1, Math.abs(b))).toBeLessThan(1e-12);
  });

  test("stable where a naive logsumexp overflows or underflows", () => {
    const p = gmmInput(2, 3, 5, 4, 1, 0);
    const far = { ...p, x: p.x.map((v) => v * 1e3) };
    const value = gmmValue(far);
    expect(Number.isFinite(value)).toBe(true);
    expect(Number.isFinite(gmmDense(far))).toBe(false); // log(0): the naive form gives -Infinity
    const big = { ...p, alpha: p.alpha.map((v) => v + 800) }; // exp(800) = Infinity
    expect(gmmValue(big)).toBeCloseTo(gmmValue(p), 8); // alpha only enters through its softmax
  });
});

describe("GMM hand-written gradient", () => {
  test.each(GMM_SMALL)("d=%i k=%i n=%i: against central differences", (d, k, n, gamma, m) => {
    const p = gmmInput(d, k, n, 5, gamma, m);
    const g = gmmGradient(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, p.d, p.k, p.n);
    const f = (): number => gmmValue(p);
    for (const key of ["alpha", "means", "q", "l"] as const) {
      expect(g[key].length).toBe(p[key].length);
      expect(gradError(g[key], numericGradient(f, p[key])), key).toBeLessThanOrEqual(1e-6);
    }
  });

  test("repeated calls with other sizes reuse scratch and give the same answer", () => {
    const a = gmmInput(3, 2, 4, 7, 1.1, 1);
    const big = gmmInput(5, 4, 6, 8);
    const first = gmmGradient(a.alpha, a.means, a.q, a.l, a.x, a.gamma, a.m, a.d, a.k, a.n);
    gmmGradient(big.alpha, big.means, big.q, big.l, big.x, big.gamma, big.m, big.d, big.k, big.n);
    const again = gmmGradient(a.alpha, a.means, a.q, a.l, a.x, a.gamma, a.m, a.d, a.k, a.n);
    expect(again).toEqual(first);
  });
});

const LSTM_SMALL: [number, number][] = [
  [1, 4],
  [2, 5],
  [3, 3],
];

describe("LSTM objective", () => {
  test.each(LSTM_SMALL)("l=%i c=%i: matches a structured formulation", (l, c) => {
    const p = lstmInput(l, c, 14, 3);
    expect(lstmValue(p)).toBeCloseTo(lstmStructured(p), 13);
  });

  test("the benchmark sizes run and do not touch the state", () => {
    const p = lstmInput(2, 1024);
    const state = p.state.slice();
    const v = lstmValue(p);
    expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(p.state).toEqual(state);
    expect(v).toBeCloseTo(lstmStructured(p), 12);
  });
});

describe("LSTM hand-written gradient", () => {
  test.each(LSTM_SMALL)("l=%i c=%i: against central differences", (l, c) => {
    const p = lstmInput(l, c, 14, 5);
    const g = lstmGradient(p.main, p.extra, p.state, p.sequence, p.l, p.c, p.b);
    const f = (): number => lstmValue(p);
    for (const key of ["main", "extra"] as const) {
      expect(g[key].length).toBe(p[key].length);
      expect(gradError(g[key], numericGradient(f, p[key])), key).toBeLessThanOrEqual(1e-6);
    }
  });

  test("a smaller call after a larger one (scratch reuse) gives the same answer", () => {
    const a = lstmInput(1, 4, 14, 9);
    const big = lstmInput(3, 20, 14, 10);
    const first = lstmGradient(a.main, a.extra, a.state, a.sequence, a.l, a.c, a.b);
    lstmGradient(big.main, big.extra, big.state, big.sequence, big.l, big.c, big.b);
    const again = lstmGradient(a.main, a.extra, a.state, a.sequence, a.l, a.c, a.b);
    expect(again).toEqual(first);
  });
});

describe("workload benchmark", () => {
  test("gradientDisagreement is relative to each block's largest entry", () => {
    const hand = { a: new Float64Array([1, -4]), b: new Float64Array([0, 0]) };
    expect(gradientDisagreement({ a: new Float64Array([1, -4]), b: new Float64Array([0, 0]) }, hand)).toBe(0);
    expect(gradientDisagreement({ a: new Float64Array([1.004, -4]), b: new Float64Array([0, 0]) }, hand)).toBeCloseTo(1e-3, 12);
    expect(gradientDisagreement({ a: new Float64Array([1, -4]), b: new Float64Array([0, 2e-9]) }, hand)).toBeCloseTo(2e-9, 20);
    expect(gradientDisagreement({ a: new Float64Array([1]), b: new Float64Array([0, 0]) }, hand)).toBe(Infinity);
    expect(gradientDisagreement({ a: new Float64Array([NaN, -4]), b: new Float64Array([0, 0]) }, hand)).toBe(Infinity);
  });

  test("an extra implementation that disagrees with the hand-written gradient stops the run before timing", async () => {
    const wrong: GmmGradientFn = (...args) => {
      const g = gmmGradient(...args);
      g.q[0] = g.q[0]! * (1 + 1e-6);
      return g;
    };
    await expect(benchWorkloads([{ name: "wrong", gmm: wrong }], { print: false })).rejects.toThrow(
      /wrong's GMM \(d=2 k=5 n=1000\) gradient disagrees/,
    );
  });
});
