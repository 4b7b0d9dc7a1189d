// jacobian of a function of Tensors (its rows would be one per element: not built yet)
// expect: ADC1002
import { jacobian, sum, tanh, Tensor } from "adc";
export function f(x: Tensor): number {
  return sum(tanh(x)).item();
}
export const j = jacobian(f);
