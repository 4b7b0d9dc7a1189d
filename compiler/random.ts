// mulberry32: a small deterministic PRNG (32 bits of state). `adc check` draws its points from it,
// and the tests and benchmarks their points, directions and workload inputs (test/support/random.ts
// re-exports it), so every run and every machine sees the same numbers.

/** Uniform numbers in [0, 1), each k / 2³² for a 32-bit k. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
