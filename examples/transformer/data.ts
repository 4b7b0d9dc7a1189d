// The task: reverse a sequence of 5 digits. A sequence is the digits, a separator and the digits
// reversed (11 tokens); the model reads the first 10 and learns the next token at every position
// from the separator on (the 5 answer digits; the positions before have target −1, no loss).
// Examples are drawn by a seeded generator; a fixed tenth of all 100,000 digit strings (by a hash)
// is held out: training never draws them, the test set is drawn from them only.
import type { Rng } from "adc";

export const DIGITS = 5;
export const SEPARATOR = 10;
export const VOCABULARY = 11;
/** Tokens the model reads per sequence (the last answer digit is only a target). */
export const READ = 2 * DIGITS;

/** Whether a digit string belongs to the held-out tenth. */
export function heldOut(digits: ArrayLike<number>): boolean {
  let key = 0;
  for (let i = 0; i < digits.length; i++) key = key * 10 + digits[i]!;
  return (Math.imul(key, 0x9e3779b1) >>> 0) % 10 === 0;
}

/** `count` digit strings from the training part (`test`: from the held-out part). */
export function drawDigits(rng: Rng, count: number, test = false): Int32Array[] {
  const out: Int32Array[] = [];
  while (out.length < count) {
    const d = Int32Array.from({ length: DIGITS }, () => Math.floor(rng.next() * 10));
    if (heldOut(d) === test) out.push(d);
  }
  return out;
}

/** The tokens the model reads ([n·10]) and the next-token targets (−1 before the answer). */
export function encode(batch: readonly Int32Array[]): { tokens: Int32Array; targets: Int32Array } {
  const tokens = new Int32Array(batch.length * READ);
  const targets = new Int32Array(batch.length * READ).fill(-1);
  batch.forEach((d, b) => {
    const sequence = [...d, SEPARATOR, ...[...d].reverse()];
    for (let t = 0; t < READ; t++) {
      tokens[b * READ + t] = sequence[t]!;
      if (t >= DIGITS) targets[b * READ + t] = sequence[t + 1]!;
    }
  });
  return { tokens, targets };
}
