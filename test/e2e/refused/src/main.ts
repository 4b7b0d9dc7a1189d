// adc refuses try/catch in a differentiated function (ADC1005); tspc reports it.
import { grad } from "adc";

export function g(x: number): number {
  try {
    return x * x;
  } catch {
    return 0;
  }
}

console.log(grad(g)(3));
