// a helper returning a Tensor from inside a loop
// expect: ADC1001
import { grad, sum, tanh, Tensor } from "adc";
function settle(x: Tensor, n: number): Tensor {
  let h = x;
  for (let i = 0; i < n; i++) {
    h = tanh(h);
    if (sum(h).item() < 0) return h;
  }
  return h;
}
export function f(x: Tensor, n: number): number {
  return sum(settle(x, n)).item();
}
export const g = grad(f, { wrt: 0 });
