// The functions the benchmark differentiates, written as ordinary TypeScript, and the markers
// that ask adc for their derivatives. `npm run bench` compiles this file with adc and imports the
// result from bench/generated/functions.ts.
import { grad, valueAndGrad } from "adc";

/** The seed example: f(x1, x2) = x1 · exp(−½(x1² + x2²)). */
export function seed(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}

/**
 * A ~50-operation scalar function of 7 inputs: + − * / exp log sin cos tanh sqrt, intermediates
 * reused several times, and one data-dependent branch.
 */
export function blend(a: number, b: number, c: number, d: number, p: number, q: number, r: number): number {
  const s = a * b + c;
  const t = Math.sin(s) * Math.cos(d - p);
  const u = Math.exp(-0.5 * (q * q + r * r));
  const v = Math.log(1 + a * a + s * s);
  const w = Math.sqrt(u + v * v + 0.25);
  const h = Math.tanh(t * w - u / (1 + d * d));
  const k = h * s + t * v - w / (c * c + 1);
  const m = s > 0 ? k * u + h : k - u * h;
  return m * t + Math.sin(k * p) * v - (Math.cos(h + q) * w) / (1 + r * r);
}

export const seedGrad = grad(seed);
export const seedValueAndGrad = valueAndGrad(seed);
export const blendGrad = grad(blend);
export const blendValueAndGrad = valueAndGrad(blend);
