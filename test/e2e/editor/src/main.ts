// Open in an editor: `grad(f)` shows what adc generates, `g` shows adc's refusal as you type.
import { grad } from "adc";

export function f(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}
export const df = grad(f);
