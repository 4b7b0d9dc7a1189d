// Known values, hard-coded from independent hand derivations (not from adc's output):
// the seed f(x1, x2) = x1·exp(−½(x1² + x2²)) and Baydin et al.'s f = ln x1 + x1·x2 − sin x2.
import { describe, expect, test } from "vitest";
import { loadCompiled } from "./support/load";
import { fixturePath, type Case } from "./support/cases";
import { mulberry32 } from "./support/random";

function gradOf(module: Record<string, any>, fn: unknown): (...xs: number[]) => number[] {
  const c = (module.cases as Case[]).find((k) => k.fn === fn && k.grad && k.wrt === undefined);
  if (!c) throw new Error("the fixture has no plain grad case for its function");
  return c.grad as (...xs: number[]) => number[];
}

function valueAndGradOf(module: Record<string, any>, fn: unknown): (...xs: number[]) => [number, number[]] {
  const c = (module.cases as Case[]).find((k) => k.fn === fn && k.valueAndGrad && k.wrt === undefined);
  if (!c) throw new Error("the fixture has no plain valueAndGrad case for its function");
  return c.valueAndGrad as (...xs: number[]) => [number, number[]];
}

function expectNear(actual: number, expected: number, tolerance: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Seeded, so the random points are the same every run. */
const random = mulberry32;

describe("seed: f(x1, x2) = x1·exp(−½(x1² + x2²))", () => {
  const module = loadCompiled(fixturePath("seed"));
  const f = module.f as (x1: number, x2: number) => number;

  test("f(2, 0.5) and ∇f(2, 0.5)", () => {
    const [g1, g2] = gradOf(module, f)(2, 0.5);
    expectNear(f(2, 0.5), 0.238865936533, 1e-12, "f");
    expectNear(g1, -0.3582989048, 1e-12, "∂f/∂x1");
    expectNear(g2, -0.119432968267, 1e-12, "∂f/∂x2");
  });

  test("valueAndGrad at (2, 0.5)", () => {
    const [value, [g1, g2]] = valueAndGradOf(module, f)(2, 0.5);
    expectNear(value, 0.238865936533, 1e-12, "f");
    expectNear(g1, -0.3582989048, 1e-12, "∂f/∂x1");
    expectNear(g2, -0.119432968267, 1e-12, "∂f/∂x2");
  });

  test("∇f equals the closed form at random points", () => {
    // ∂f/∂x1 = (1 − x1²)·e, ∂f/∂x2 = −x1·x2·e, with e = exp(−½(x1² + x2²)).
    const closedForm = (x1: number, x2: number): [number, number] => {
      const e = Math.exp(-0.5 * (x1 * x1 + x2 * x2));
      return [(1 - x1 * x1) * e, -x1 * x2 * e];
    };
    const gradient = gradOf(module, f);
    const next = random(20240607);
    for (let k = 0; k < 200; k++) {
      const x1 = 6 * next() - 3;
      const x2 = 6 * next() - 3;
      const [g1, g2] = gradient(x1, x2);
      const [h1, h2] = closedForm(x1, x2);
      expectNear(g1, h1, 1e-12, `∂f/∂x1 at (${x1}, ${x2})`);
      expectNear(g2, h2, 1e-12, `∂f/∂x2 at (${x1}, ${x2})`);
    }
  });
});

describe("Baydin et al.: f(x1, x2) = ln x1 + x1·x2 − sin x2", () => {
  const module = loadCompiled(fixturePath("baydin"));
  const f = module.f as (x1: number, x2: number) => number;

  test("f(2, 5) and ∇f(2, 5)", () => {
    const [g1, g2] = gradOf(module, f)(2, 5);
    expectNear(f(2, 5), 11.6520714552, 1e-10, "f");
    expectNear(g1, 5.5, 1e-10, "∂f/∂x1");
    expectNear(g2, 1.71633781454, 1e-10, "∂f/∂x2");
  });

  test("valueAndGrad at (2, 5)", () => {
    const [value, [g1, g2]] = valueAndGradOf(module, f)(2, 5);
    expectNear(value, 11.6520714552, 1e-10, "f");
    expectNear(g1, 5.5, 1e-10, "∂f/∂x1");
    expectNear(g2, 1.71633781454, 1e-10, "∂f/∂x2");
  });
});
