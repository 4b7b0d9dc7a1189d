// adc refuses try/catch in a differentiated function (ADC1005); the editor shows it here.
import { grad } from "adc";

export function g(x: number): number {
  try {
    return x * x;
  } catch {
    return 0;
  }
}

export const dg = grad(g);
export const typeError: string = 1;
