// an async function
// expect: ADC1007
import { grad } from "adc";
export async function f(x: number): Promise<number> {
  return x;
}
export const g = grad(f);
