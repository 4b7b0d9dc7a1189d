// Forward mode on the GMM workload: a directional derivative of gmmObjective (one direction) and
// vector mode (several directions in one sweep). `npm run bench` (bench/forward.ts) compiles this file.
import { grad, hessian, hvp, jvp } from "adc";
import { gmmInput } from "./data";
import { gmmObjective } from "./gmm";

export const gmmJvp = jvp(gmmObjective);
export const gmmJvp2 = jvp(gmmObjective, { directions: 2 });
export const gmmJvp4 = jvp(gmmObjective, { directions: 4 });
export const gmmJvp8 = jvp(gmmObjective, { directions: 8 });

// The Hessian in the mixture's parameters (d=2 k=5: 5 + 10 + 10 + 5 = 30 of them), the data and
// the Wishart parameters fixed at module level: forward over reverse, one hvp per row.
const HESSIAN_DATA = gmmInput(2, 5, 1000);

export function gmmOfParameters(alpha: Float64Array, means: Float64Array, q: Float64Array, l: Float64Array): number {
  const { x, gamma, m, d, k, n } = HESSIAN_DATA;
  return gmmObjective(alpha, means, q, l, x, gamma, m, d, k, n);
}

export const gmmParametersGrad = grad(gmmOfParameters);
export const gmmHessian = hessian(gmmOfParameters);
export const gmmHvp = hvp(gmmOfParameters);
