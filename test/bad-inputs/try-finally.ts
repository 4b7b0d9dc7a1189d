// try/finally
// expect: ADC1005
import { grad } from "adc";
export function f(x: number): number {
  let y = x;
  try {
    y = y * 2;
  } finally {
    y = y + 1;
  }
  return y;
}
export const g = grad(f);
