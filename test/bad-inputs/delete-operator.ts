// delete of a field (a statement that is not an assignment)
// expect: ADC1001
import { grad } from "adc";
type P = { w: number };
export function f(x: number, p: P): number {
  delete (p as { w?: number }).w;
  return x;
}
export const g = grad(f, { wrt: 0 });
