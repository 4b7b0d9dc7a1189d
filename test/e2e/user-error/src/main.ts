// adc transforms this file (the derivative of f is spliced in after f), and the user's own type
// error below must still be reported at line 10, column 14.
import { grad } from "adc";

export function f(x: number): number {
  return x * x;
}

export const df = grad(f);
export const wrong: string = df(3);
