// Seeded inputs for the GMM and LSTM workloads, shaped like ADBench's generators (gmm-data-gen.py,
// lstm gen_data.py) but from our own deterministic PRNG, so every run and every machine times and
// tests the same numbers.

import { mulberry32 } from "../../test/support/random";

/** mulberry32 (test/support/random.ts): uniforms in [0, 1), the tests' generator too. */
export { mulberry32 };

/** Standard normals by Box–Muller on a uniform source (the second value of each pair is kept). */
export function normals(uniform: () => number): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

function fill(len: number, next: () => number): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = next();
  return a;
}

// ---------------------------------------------------------------------------------------------
// GMM

export interface GmmInput {
  readonly d: number;
  readonly k: number;
  readonly n: number;
  /** k log mixture weights (unnormalised). */
  readonly alpha: Float64Array;
  /** k×d means, row-major. */
  readonly means: Float64Array;
  /** k×d logs of the diagonals of the precision factors Q_k. */
  readonly q: Float64Array;
  /** k × d(d−1)/2 strictly-lower entries of Q_k, column by column (see gmm.ts). */
  readonly l: Float64Array;
  /** n×d data points, row-major. */
  readonly x: Float64Array;
  /** Wishart prior parameters. */
  readonly gamma: number;
  readonly m: number;
}

/**
 * ADBench's GMM distributions: alpha, q, l and x standard normal, means uniform on [0, 1).
 * gamma = 1 and m = 0 as in ADBench unless given (the tests use others, to exercise every term).
 */
export function gmmInput(d: number, k: number, n: number, seed = 1, gamma = 1, m = 0): GmmInput {
  const uniform = mulberry32(seed * 7919 + d * 131 + k * 17 + n);
  const normal = normals(uniform);
  const alpha = fill(k, normal);
  const means = fill(k * d, uniform);
  const q = fill(k * d, normal);
  const l = fill((k * d * (d - 1)) / 2, normal);
  const x = fill(n * d, normal);
  return { d, k, n, alpha, means, q, l, x, gamma, m };
}

/** The benchmark sizes of issue 3: n = 1000 and (d, k) as listed. */
export const GMM_SIZES: readonly { d: number; k: number; n: number }[] = [
  { d: 2, k: 5, n: 1000 },
  { d: 10, k: 25, n: 1000 },
  { d: 20, k: 50, n: 1000 },
  { d: 64, k: 10, n: 1000 },
];

// ---------------------------------------------------------------------------------------------
// LSTM

export interface LstmInput {
  /** Layers. */
  readonly l: number;
  /** Characters in the sequence. */
  readonly c: number;
  /** Bits per character (the hidden size of every layer). */
  readonly b: number;
  /** 2l × 4b: per layer, a row of weights then a row of biases, each forget|ingate|outgate|change. */
  readonly main: Float64Array;
  /** 3 × b: input weights, output weights, output biases. */
  readonly extra: Float64Array;
  /** 2l × b: per layer, the initial hidden state then the initial cell state. */
  readonly state: Float64Array;
  /** c × b: each character as its b bits (most significant first), 0 or 1. */
  readonly sequence: Float64Array;
}

/**
 * ADBench's LSTM data: parameters and state uniform on [0, 1); the sequence is text, one row of
 * bits per character. Instead of ADBench's text file, the characters are drawn from a seeded mix of
 * ASCII letters and spaces with an occasional code point above 2^13, so that all 14 bits vary.
 */
export function lstmInput(l: number, c: number, b = 14, seed = 1): LstmInput {
  const uniform = mulberry32(seed * 104729 + l * 37 + c);
  const main = fill(2 * l * 4 * b, uniform);
  const extra = fill(3 * b, uniform);
  const state = fill(2 * l * b, uniform);
  const sequence = new Float64Array(c * b);
  const top = 2 ** b;
  for (let t = 0; t < c; t++) {
    const u = uniform();
    let code: number;
    if (u < 0.15) code = 32;
    else if (u < 0.95) code = 97 + Math.floor(uniform() * 26);
    else code = Math.floor(top / 2 + uniform() * (top / 2));
    for (let i = 0; i < b; i++) sequence[t * b + i] = (code >>> (b - 1 - i)) & 1;
  }
  return { l, c, b, main, extra, state, sequence };
}

/** The benchmark sizes of issue 3 (b = 14 bits per character). */
export const LSTM_SIZES: readonly { l: number; c: number }[] = [
  { l: 2, c: 1024 },
  { l: 4, c: 1024 },
];
