// The Hessian of GMM d=2 k=5 in its parameters (5 + 10 + 10 + 5 = 30 of them), for bench/forward.ts:
// the data and the Wishart parameters fixed at module level, forward over reverse, one hvp per row.
// (Apart from marked-forward.ts: data.ts reaches outside bench/workloads, and the compile-time
// bench copies that folder's marked files alone.)
import { grad, hessian, hvp } from "adc";
import { gmmInput } from "./data";
import { gmmObjective } from "./gmm";

const HESSIAN_DATA = gmmInput(2, 5, 1000);

export function gmmOfParameters(alpha: Float64Array, means: Float64Array, q: Float64Array, l: Float64Array): number {
  const { x, gamma, m, d, k, n } = HESSIAN_DATA;
  return gmmObjective(alpha, means, q, l, x, gamma, m, d, k, n);
}

export const gmmParametersGrad = grad(gmmOfParameters);
export const gmmHessian = hessian(gmmOfParameters);
export const gmmHvp = hvp(gmmOfParameters);
