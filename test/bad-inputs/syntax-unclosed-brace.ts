// a function body that is never closed
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  if (x > 0) {
    return x;

export const g = grad(f);
