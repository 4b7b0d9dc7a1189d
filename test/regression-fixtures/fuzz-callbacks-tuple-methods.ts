// Found by the callbacks generator (a tuple parameter whose methods are called), shrunk by hand:
// `t: [number, number]` is a supported parameter (README: tuple parameters) and map/reduce/filter/
// concat are supported on number[], but on a tuple adc refuses them with ADC1003 ("cannot
// differentiate through 't.reduce': adc cannot see its body"), a refusal of ordinary code, and
// one that names no rewrite. Fixed: a tuple's methods are the array's (frontend/arrays.ts), and the
// generator calls them on tuples again.
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-callbacks-tuple-methods.json.
import { grad, jvp } from "adc";

export function f(t: [number, number], y: number): number {
  const s = t.reduce((acc, v) => acc + v * y, 0);
  const m = t.map((v) => Math.sin(v));
  return s + m[1];
}
export const g = grad(f);
export const jg = jvp(f);
