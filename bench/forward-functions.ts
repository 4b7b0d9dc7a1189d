// The functions of the forward-mode benchmark (bench/forward.ts) and their markers. seed and
// blend are those of bench/functions.ts (repeated: that module's markers only run transformed);
// rosen20 is the 20-variable extended Rosenbrock function, for Hessians.
import { grad, hessian, hvp, jvp } from "adc";

export function seed(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}

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

/** Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², i = 0…18. */
export function rosen20(x0: number, x1: number, x2: number, x3: number, x4: number, x5: number, x6: number, x7: number, x8: number, x9: number, x10: number, x11: number, x12: number, x13: number, x14: number, x15: number, x16: number, x17: number, x18: number, x19: number): number {
  let s = 0;
  s += 100 * (x1 - x0 * x0) ** 2 + (1 - x0) ** 2;
  s += 100 * (x2 - x1 * x1) ** 2 + (1 - x1) ** 2;
  s += 100 * (x3 - x2 * x2) ** 2 + (1 - x2) ** 2;
  s += 100 * (x4 - x3 * x3) ** 2 + (1 - x3) ** 2;
  s += 100 * (x5 - x4 * x4) ** 2 + (1 - x4) ** 2;
  s += 100 * (x6 - x5 * x5) ** 2 + (1 - x5) ** 2;
  s += 100 * (x7 - x6 * x6) ** 2 + (1 - x6) ** 2;
  s += 100 * (x8 - x7 * x7) ** 2 + (1 - x7) ** 2;
  s += 100 * (x9 - x8 * x8) ** 2 + (1 - x8) ** 2;
  s += 100 * (x10 - x9 * x9) ** 2 + (1 - x9) ** 2;
  s += 100 * (x11 - x10 * x10) ** 2 + (1 - x10) ** 2;
  s += 100 * (x12 - x11 * x11) ** 2 + (1 - x11) ** 2;
  s += 100 * (x13 - x12 * x12) ** 2 + (1 - x12) ** 2;
  s += 100 * (x14 - x13 * x13) ** 2 + (1 - x13) ** 2;
  s += 100 * (x15 - x14 * x14) ** 2 + (1 - x14) ** 2;
  s += 100 * (x16 - x15 * x15) ** 2 + (1 - x15) ** 2;
  s += 100 * (x17 - x16 * x16) ** 2 + (1 - x16) ** 2;
  s += 100 * (x18 - x17 * x17) ** 2 + (1 - x17) ** 2;
  s += 100 * (x19 - x18 * x18) ** 2 + (1 - x18) ** 2;
  return s;
}

export const seedJvp = jvp(seed);
export const seedGrad = grad(seed);
export const blendJvp = jvp(blend);
export const blendGrad = grad(blend);
export const rosen20Grad = grad(rosen20);
export const rosen20Hessian = hessian(rosen20);
export const rosen20Hvp = hvp(rosen20);
