// Issue 13: a value only an untaken path uses must not turn a derivative into NaN. The fixtures
// fixtures/unused-*.ts check grad, valueAndGrad and vjp against central differences at points
// where the unused value is NaN or infinite; this file checks the second derivatives (forward
// mode over the reverse sweep, which differentiates the guards too) against differences of the
// gradient and against hand derivations.
import { describe, expect, test } from "vitest";
import { loadSource } from "./support/load";

const source = `
import { grad, hessian, hvp } from "adc";

/** log(a − 5) is NaN at a = 2; there f = a²·b. */
export function ternaryLog(a: number, b: number): number {
  const r = Math.log(a - 5);
  return a > 5 ? r * a * b : a * a * b;
}

/** r is read by two ifs (its contributions are guarded); at b = 1 its adjoint b − 1 is 0 but not a structural zero. */
export function twoIfs(a: number, b: number): number {
  const r = a * a * a;
  const s = Math.sqrt(a - 4);
  let y = b * b;
  if (b > 0) y = r * (b - 1);
  if (b > 2) y += r + s;
  return y;
}

export function single(a: number): number {
  const r = Math.log(a - 5);
  return a > 5 ? r * a : a * a * a;
}

export const gradTernary = grad(ternaryLog);
export const hessianTernary = hessian(ternaryLog);
export const hvpTernary = hvp(ternaryLog);
export const gradTwoIfs = grad(twoIfs);
export const hessianTwoIfs = hessian(twoIfs);
export const hvpTwoIfs = hvp(twoIfs);
export const second = grad(grad(single));
`;

const m = loadSource(source);

/** The Hessian by central differences of the gradient, column by column. */
function differencesOfGradient(gradient: (...x: number[]) => number[], x: number[], h = 1e-5): number[][] {
  const columns = x.map((_, j) => {
    const up = [...x];
    const down = [...x];
    up[j] += h;
    down[j] -= h;
    const gu = gradient(...up);
    const gd = gradient(...down);
    return gu.map((g, i) => (g - gd[i]) / (2 * h));
  });
  return x.map((_, i) => x.map((_, j) => columns[j][i]));
}

function expectClose(actual: number[][], expected: number[][], tolerance: number, what: string) {
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      expect(Number.isFinite(v), `${what}[${i}][${j}] = ${v} is finite`).toBe(true);
      expect(Math.abs(v - expected[i][j]), `${what}[${i}][${j}] = ${v} vs ${expected[i][j]}`).toBeLessThanOrEqual(tolerance);
    }),
  );
}

describe("second derivatives where the unused value is NaN", () => {
  test("hessian and hvp of a ternary whose other arm reads log(a − 5), at a = 2", () => {
    const [a, b] = [2, 3];
    const H = m.hessianTernary(a, b) as number[][];
    // f = a²·b on this path: H = [[2b, 2a], [2a, 0]].
    expectClose(H, [[2 * b, 2 * a], [2 * a, 0]], 1e-12, "H");
    expectClose(H, differencesOfGradient(m.gradTernary, [a, b]), 1e-6, "H vs differences of the gradient");
    const Hv = m.hvpTernary([a, b], [0.5, -1]) as number[];
    expectClose([Hv], [[H[0][0] * 0.5 - H[0][1], H[1][0] * 0.5 - H[1][1]]], 1e-12, "H·v");
  });

  test("an adjoint that is zero at the point but not structurally (b = 1) keeps its tangent", () => {
    const [a, b] = [1, 1];
    // Neither sqrt(a − 4) (NaN) nor the second if is used; f = a³·(b − 1): H = [[6a(b − 1), 3a²], [3a², 0]].
    const H = m.hessianTwoIfs(a, b) as number[][];
    expectClose(H, [[0, 3], [3, 0]], 1e-12, "H");
    expectClose(H, differencesOfGradient(m.gradTwoIfs, [a, b]), 1e-6, "H vs differences of the gradient");
    const Hv = m.hvpTwoIfs([a, b], [0, 1]) as number[];
    expectClose([Hv], [[3, 0]], 1e-12, "H·(0, 1)");
    // Where neither if is taken, f = b² and the unused cube and root contribute nothing.
    expectClose(m.hessianTwoIfs(1, -1) as number[][], [[0, 0], [0, 2]], 1e-12, "H at b = −1");
  });

  test("grad(grad(f)) of a one-parameter function, on the path the point takes", () => {
    // f = a³ at a = 2: f″ = 6a = 12; at a = 7, f = a·log(a − 5): f″ = 1/(a − 5) − 5/(a − 5)².
    expect(m.second(2)).toBeCloseTo(12, 10);
    expect(m.second(7)).toBeCloseTo(1 / 2 - 5 / 4, 10);
  });
});
