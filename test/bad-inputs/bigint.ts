// a bigint value
// expect: ADC1001
import { grad } from "adc";
export function f(x: number): number {
  const n = 10n;
  return x * Number(n);
}
export const g = grad(f);
