// Seeded randomness: xoshiro128** (seeded through splitmix32), uniform and normal (Box–Muller)
// tensors, Glorot/He initialisation, permutations. The same seed gives the same numbers on every
// platform. Functions take `{ seed }` (a fresh generator) or `{ rng }` (continue one); without
// either they draw from a module-wide generator seeded with 0, reseeded by `setSeed`.
import { DEFAULT_DTYPE, type DType, type Shape, Tensor, allocate, checkShape, sizeOf } from "./tensor";

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** The second normal of the last Box–Muller pair, or NaN. */
  private spare = NaN;

  /** From a 32-bit seed (spread over the state by splitmix32), or a full 128-bit state (not all zero). */
  constructor(seed: number | readonly [number, number, number, number]) {
    if (typeof seed !== "number") {
      [this.s0, this.s1, this.s2, this.s3] = seed.map((x) => x >>> 0);
      if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new Error("Rng: the state must not be all zero");
      return;
    }
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let globalRng = new Rng(0);

/** Reseeds the module-wide generator used when no `seed` or `rng` is given. */
export function setSeed(seed: number): void {
  globalRng = new Rng(seed);
}

export interface RandomOptions {
  dtype?: DType;
  /** A fresh generator with this seed. */
  seed?: number;
  /** A generator to continue (takes precedence over seed). */
  rng?: Rng;
}

function generator(options: RandomOptions | undefined): Rng {
  if (options?.rng) return options.rng;
  if (options?.seed !== undefined) return new Rng(options.seed);
  return globalRng;
}

function fill(op: string, shape: Shape, options: RandomOptions | undefined, draw: (r: Rng) => number): Tensor {
  checkShape(shape, op);
  const r = generator(options);
  const data = allocate(options?.dtype ?? DEFAULT_DTYPE, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(r);
  return new Tensor(data, shape);
}

/** Uniform in [low, high) (default [0, 1)). */
export function randu(shape: Shape, options?: RandomOptions & { low?: number; high?: number }): Tensor {
  const low = options?.low ?? 0;
  const span = (options?.high ?? 1) - low;
  return fill("randu", shape, options, (r) => low + span * r.next());
}

/** Normal with mean and std (default 0 and 1). */
export function randn(shape: Shape, options?: RandomOptions & { mean?: number; std?: number }): Tensor {
  const mean = options?.mean ?? 0;
  const std = options?.std ?? 1;
  return fill("randn", shape, options, (r) => mean + std * r.normal());
}

/** fan-in and fan-out of a weight of `shape`: [in, out] for a dense layer used as x·W. */
function fans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  const out = shape[shape.length - 1];
  return shape.length === 1 ? [out, out] : [sizeOf(shape) / out, out];
}

/** Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). */
export function glorotUniform(shape: Shape, options?: RandomOptions): Tensor {
  const [fi, fo] = fans(shape);
  const l = Math.sqrt(6 / (fi + fo));
  return randu(shape, { ...options, low: -l, high: l });
}

/** Glorot (Xavier) normal: N(0, 2 / (fanIn + fanOut)). */
export function glorotNormal(shape: Shape, options?: RandomOptions): Tensor {
  const [fi, fo] = fans(shape);
  return randn(shape, { ...options, std: Math.sqrt(2 / (fi + fo)) });
}

/** He (Kaiming) normal, for relu layers: N(0, 2 / fanIn). */
export function heNormal(shape: Shape, options?: RandomOptions): Tensor {
  const [fi] = fans(shape);
  return randn(shape, { ...options, std: Math.sqrt(2 / fi) });
}

/** He (Kaiming) uniform: U(−l, l) with l = √(6 / fanIn). */
export function heUniform(shape: Shape, options?: RandomOptions): Tensor {
  const [fi] = fans(shape);
  const l = Math.sqrt(6 / fi);
  return randu(shape, { ...options, low: -l, high: l });
}

/** A random permutation of 0 … n−1 (Fisher–Yates), e.g. to shuffle a dataset each epoch. */
export function permutation(n: number, options?: Omit<RandomOptions, "dtype">): Int32Array {
  const r = generator(options);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
