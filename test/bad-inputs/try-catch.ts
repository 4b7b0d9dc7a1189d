// try/catch
// expect: ADC1005
import { grad } from "adc";
export function f(x: number): number {
  try {
    return x;
  } catch {
    return 0;
  }
}
export const g = grad(f);
