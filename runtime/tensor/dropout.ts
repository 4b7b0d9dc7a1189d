// Dropout with a seeded mask: element i is kept (and scaled by 1/(1 − rate)) when a hash of
// (seed, i) falls above `rate`. The mask is a function of the seed alone, so the adjoint makes the
// same mask again instead of storing it, and the mask is a constant to differentiation (a
// stop-gradient value): ∂x = g · mask / (1 − rate). Pass a new seed each step (the step number).
import { Tensor, allocate } from "./tensor";

/** A uniform number in [0, 1) from (seed, i): a 32-bit integer hash (lowbias32) of their mix. */
function uniform(seed: number, i: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ i) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * x with each element zeroed with probability `rate` (the mask from `seed`), the rest scaled by
 * 1/(1 − rate). Linear in x: its adjoint and tangent are dropout of g (or ẋ) with the same seed.
 */
export function dropout(x: Tensor, rate: number, seed: number): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate ${rate} must be in [0, 1)`);
  const out = new Tensor(allocate(x.dtype, x.size), x.shape);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < x.size; i++) out.data[i] = uniform(seed, i) >= rate ? x.data[i] * scale : 0;
  return out;
}

