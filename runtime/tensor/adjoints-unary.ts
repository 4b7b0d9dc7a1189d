// Adjoints of the activation functions with a kink or a parameter (leakyRelu, elu, clamp) and of
// gelu. Each is g times the derivative, elementwise; the tangents are the same kernels at g = ẋ.
import { GELU_C } from "./unary";
import { Tensor, allocate } from "./tensor";

function like(x: Tensor): Tensor {
  return new Tensor(allocate(x.dtype, x.size), x.shape);
}

/** g · (1 for x > 0, else alpha): the adjoint of leakyRelu(x, alpha). */
export function leakyReluGrad(g: Tensor, x: Tensor, alpha = 0.01): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) out.data[i] = x.data[i] > 0 ? g.data[i] : alpha * g.data[i];
  return out;
}

/** g · gelu′(x), the derivative of the tanh approximation. */
export function geluGrad(g: Tensor, x: Tensor): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) {
    const v = x.data[i];
    const th = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
    const dth = (1 - th * th) * GELU_C * (1 + 3 * 0.044715 * v * v);
    out.data[i] = g.data[i] * (0.5 * (1 + th) + 0.5 * v * dth);
  }
  return out;
}

/** g · (1 for x > 0, else alpha·eˣ): the adjoint of elu(x, alpha). */
export function eluGrad(g: Tensor, x: Tensor, alpha = 1): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) {
    const v = x.data[i];
    out.data[i] = v > 0 ? g.data[i] : g.data[i] === 0 ? 0 : g.data[i] * alpha * Math.exp(v);
  }
  return out;
}

/** g where lo ≤ x ≤ hi, else 0: the adjoint of clamp(x, lo, hi). */
export function clampGrad(g: Tensor, x: Tensor, lo: number, hi: number): Tensor {
  const out = like(g);
  for (let i = 0; i < out.size; i++) {
    const v = x.data[i];
    out.data[i] = v >= lo && v <= hi ? g.data[i] : 0;
  }
  return out;
}
