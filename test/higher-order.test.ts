// Jacobians, the dot-product test, Hessians and second derivatives, on fixtures/vector.ts and
// fixtures/second-order.ts: against central differences (of the function, or of its gradient),
// against each other (forward vs reverse, hvp vs H·v, H vs Hᵀ) and against closed forms.
import { describe, expect, test } from "vitest";
import { centralDifference } from "../runtime/check";
import { fixturePath } from "./support/cases";
import { gap } from "./support/forward-cases";
import { loadCompiled } from "./support/load";
import { random } from "./support/vector-cases";

type Vec = number | number[];
const list = (v: Vec): number[] => (typeof v === "number" ? [v] : v);
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i], 0);


describe("vector-valued functions (fixtures/vector.ts)", () => {
  const module = loadCompiled(fixturePath("vector"));
  const cases = module.vectorCases as {
    fn: (...x: number[]) => Vec;
    jvp: (x: number[], dx: number[]) => [Vec, Vec];
    jacobian: (...x: number[]) => number[][];
    reverse: (...x: number[]) => number[][];
    at: number[][];
  }[];

  test.each(cases.map((c) => [c.fn.name, c] as const))("%s: Jacobian in both modes vs central differences", (_, c) => {
    for (const x of c.at) {
      const J = c.jacobian(...x);
      const R = c.reverse(...x);
      const m = list(c.fn(...x)).length;
      expect(J.length).toBe(m);
      for (let i = 0; i < m; i++) {
        const fi = (...xs: number[]) => list(c.fn(...xs))[i];
        x.forEach((_, j) => {
          expect(gap(J[i][j], R[i][j]), `J[${i}][${j}] forward ${J[i][j]} vs reverse ${R[i][j]}`).toBeLessThanOrEqual(1e-12);
          expect(gap(J[i][j], centralDifference(fi, x, j)), `J[${i}][${j}] at (${x})`).toBeLessThanOrEqual(1e-6);
        });
      }
    }
  });

  test.each(cases.map((c) => [c.fn.name, c] as const))("%s: dot-product test ⟨J·ẋ, ȳ⟩ = ⟨ẋ, Jᵀ·ȳ⟩ (jvp vs the reverse Jacobian)", (_, c) => {
    const next = random(7);
    for (const x of c.at) {
      for (let trial = 0; trial < 5; trial++) {
        const dx = x.map(() => next());
        const [value, tangent] = c.jvp([...x], dx);
        expect(value).toEqual(c.fn(...x));
        const dy = list(tangent).map(() => next());
        const R = c.reverse(...x);
        const jtY = x.map((_, j) => R.reduce((s, row, i) => s + row[j] * dy[i], 0));
        expect(gap(dot(list(tangent), dy), dot(dx, jtY))).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

describe("vector mode (fixtures/vector.ts)", () => {
  const module = loadCompiled(fixturePath("vector"));
  const cases = module.vectorJvps as {
    fn: (...x: number[]) => Vec;
    jvp: (x: number[], dx: number[]) => [Vec, Vec];
    k: number;
    jvpK: (x: number[], dxs: number[][]) => [Vec, Vec[]];
    at: number[][];
  }[];

  test.each(cases.map((c) => [c.fn.name, c.k, c] as const))("%s: %i directions at once equal as many jvps", (_, k, c) => {
    const next = random(3);
    for (const x of c.at) {
      const dxs = Array.from({ length: k }, () => x.map(() => next()));
      const [value, tangents] = c.jvpK([...x], dxs);
      expect(value).toEqual(c.fn(...x));
      expect(tangents).toHaveLength(k);
      dxs.forEach((dx, d) => {
        const [, one] = c.jvp([...x], dx);
        list(one).forEach((t, i) => expect(gap(list(tangents[d])[i], t)).toBeLessThanOrEqual(1e-14));
      });
    }
  });
});

describe("second derivatives (fixtures/second-order.ts)", () => {
  const module = loadCompiled(fixturePath("second-order"));
  const hessianCases = module.hessianCases as {
    fn: (...x: number[]) => number;
    grad: (...x: number[]) => number[];
    hessian: (...x: number[]) => number[][];
    hvp: (x: number[], v: number[]) => number[];
    at: number[][];
  }[];

  test.each(hessianCases.map((c) => [c.fn.name, c] as const))("%s: Hessian vs central differences of the gradient, symmetric, and hvp = H·v", (_, c) => {
    const next = random(11);
    for (const x of c.at) {
      const H = c.hessian(...x);
      x.forEach((_, i) =>
        x.forEach((_, j) => {
          const numeric = centralDifference((...xs: number[]) => c.grad(...xs)[i], x, j);
          expect(gap(H[i][j], numeric), `H[${i}][${j}] at (${x}): ${H[i][j]} vs ${numeric}`).toBeLessThanOrEqual(1e-6);
          expect(gap(H[i][j], H[j][i])).toBeLessThanOrEqual(1e-12);
        }),
      );
      const v = x.map(() => next());
      const hv = c.hvp([...x], v);
      H.forEach((row, i) => expect(gap(hv[i], dot(row, v))).toBeLessThanOrEqual(1e-12));
    }
  });

  const closedForms: Record<string, (x: number, y: number) => number[][]> = {
    rosenbrock: (x, y) => [
      [2 - 400 * (y - x * x) + 800 * x * x, -400 * x],
      [-400 * x, 200],
    ],
    seed: (x1, x2) => {
      const e = Math.exp(-0.5 * (x1 * x1 + x2 * x2));
      return [
        [x1 * (x1 * x1 - 3) * e, x2 * (x1 * x1 - 1) * e],
        [x2 * (x1 * x1 - 1) * e, x1 * (x2 * x2 - 1) * e],
      ];
    },
  };

  test.each(Object.keys(closedForms))("%s: Hessian equals its closed form to 1e-12", (name) => {
    const c = hessianCases.find((h) => h.fn.name === name)!;
    for (const x of c.at) {
      const H = c.hessian(...x);
      const exact = closedForms[name](x[0], x[1]);
      exact.forEach((row, i) => row.forEach((e, j) => expect(gap(H[i][j], e), `H[${i}][${j}] at (${x})`).toBeLessThanOrEqual(1e-12)));
    }
  });

  test("the seed function's Hessian at (2, ½) (known values)", () => {
    const H = module.hessianCases[1].hessian(2, 0.5) as number[][];
    expect(H[0][0]).toBeCloseTo(0.238865936533, 11);
    // x1(x1² − 3)e, x2(x1² − 1)e, x1(x2² − 1)e with e = exp(−17/8) = f(2, ½) / 2
    expect(H[0][1]).toBeCloseTo(0.1791494524, 11);
    expect(H[1][1]).toBeCloseTo(-0.1791494524, 11);
  });

  const exact: Record<string, (x: number) => number> = {
    sigmoid: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s) * (1 - 2 * s);
    },
    tanh: (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2),
    expSquare: (x) => (4 * x * x - 2) * Math.exp(-x * x),
    softplus: (x) => (x > 30 ? 0 : Math.exp(x) / (1 + Math.exp(x)) ** 2),
    // (x σ(x))″ = 2σ′ + x σ″ with σ′ = σ(1 − σ), σ″ = σ′(1 − 2σ)
    swish: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      const d = s * (1 - s);
      return 2 * d + x * d * (1 - 2 * s);
    },
  };
  const seconds = module.secondDerivatives as { fn: (x: number) => number; d: (x: number) => number; d2: (x: number) => number; at: number[][] }[];

  test.each(seconds.map((c) => [c.fn.name, c] as const))("grad(grad(%s)) vs its closed form and central differences of grad", (name, c) => {
    for (const [x] of c.at) {
      expect(gap(c.d2(x), exact[name](x)), `at ${x}: ${c.d2(x)} vs ${exact[name](x)}`).toBeLessThanOrEqual(1e-12);
      expect(gap(c.d2(x), centralDifference(c.d, [x], 0))).toBeLessThanOrEqual(1e-6);
    }
  });
});
