// checkGradient: compares a gradient with central finite differences, for users and for our tests.

export interface CheckGradOptions {
  /** Relative step: h = step · max(1, |x|). Default 1e-6. */
  readonly step?: number;
  /** Largest accepted error (see `CheckGradResult.maxError`). Default 1e-6. */
  readonly tolerance?: number;
}

export interface CheckGradResult {
  readonly ok: boolean;
  /** max over parameters of |analytic − numeric| / max(1, |analytic|, |numeric|). */
  readonly maxError: number;
  readonly analytic: number[];
  readonly numeric: number[];
}

/** Central difference of f along parameter i at x. */
export function centralDifference(
  f: (...xs: number[]) => number,
  x: readonly number[],
  i: number,
  step = 1e-6,
): number {
  const h = step * Math.max(1, Math.abs(x[i]));
  const plus = x.slice();
  const minus = x.slice();
  plus[i] += h;
  minus[i] -= h;
  return (f(...plus) - f(...minus)) / (plus[i] - minus[i]);
}

/**
 * Checks `gradient` of the scalar function `f` at `args` against central differences. The
 * gradient is a bare number for one parameter, else one entry per parameter, or a function
 * computing it from the arguments (a generated `f_grad`, a hand-written one). The error is
 * relative where the gradient is large and absolute where it is small, so zero derivatives are
 * checked too.
 */
export function checkGradient(
  f: (...xs: number[]) => number,
  gradient: number | readonly number[] | ((...xs: number[]) => number | readonly number[]),
  args: readonly number[],
  options: CheckGradOptions = {},
): CheckGradResult {
  const value = typeof gradient === "function" ? gradient(...args) : gradient;
  const analytic = typeof value === "number" ? [value] : [...value];
  if (analytic.length !== args.length) {
    throw new Error(`checkGradient: ${analytic.length} gradient entries for ${args.length} arguments`);
  }
  const numeric = args.map((_, i) => centralDifference(f, args, i, options.step));
  let maxError = 0;
  for (let i = 0; i < args.length; i++) {
    const scale = Math.max(1, Math.abs(analytic[i]), Math.abs(numeric[i]));
    const error = Math.abs(analytic[i] - numeric[i]) / scale;
    maxError = Math.max(maxError, Number.isNaN(error) ? Infinity : error);
  }
  return { ok: maxError <= (options.tolerance ?? 1e-6), maxError, analytic, numeric };
}
