// Refused: try/catch inside a differentiated function (ADC1005).
import { grad } from "adc";

export function g(x: number): number {
  try {
    return x * x;
  } catch {
    return 0;
  }
}

export const dg = grad(g);
