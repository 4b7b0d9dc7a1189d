// Found while growing the callbacks generator (branch gen), written by hand: elements of a
// number[][] literal written at indices known only at run time (`m[i][j] = …`, or through a row
// picked by a condition), then read at constant ones. opt/literals.ts counted those writes only
// against the outer literal, so `m[0][1]` was folded to the row literal's element as first written
// (0, or x[…]): jvp gave the value 0 where the primal gives 3.259, and every derivative was wrong.
// Fixed on branch gen (24a680b): a write counts against every memory the reference reaches.
// Checked by test/fuzz-regressions.test.ts at the points in the .json.
import { grad, hessian, hvp, jvp } from "adc";

export function f(x: number[], p: number): number {
  const m = [[0, 0], [0, 0]];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) m[i][j] = x[i] * x[j] + p;
  return m[0][1] + m[1][1] * p;
}
export const g = grad(f);
export const jg = jvp(f);
export const hg = hvp(f);
export const hh = hessian(f);

export function f2(x: number[], p: number): number {
  const m = [[x[0], p], [x[1], x[2]]];
  const r = m[x[0] > 0 ? 0 : 1];
  r[1] = r[0] * p;
  return m[0][1] + m[1][1];
}
export const g2 = grad(f2);
export const jg2 = jvp(f2);
export const hg2 = hvp(f2);
export const hh2 = hessian(f2);
