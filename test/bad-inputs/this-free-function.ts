// this in a free function
// expect: ADC1008
import { grad } from "adc";
export function f(x: number): number {
  return (this as any).k * x;
}
export const g = grad(f);
