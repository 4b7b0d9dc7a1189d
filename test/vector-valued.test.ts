// Every fixture's `vectorValued` functions (values that are tuples, arrays or objects): each mode's
// Jacobian against central differences and against the other mode, the jvp and vjp values against
// the function's, and the dot-product test ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ between jvp and vjp.
import * as fs from "node:fs";
import { describe, expect, test } from "vitest";
import { fixtureNames, fixturePath, showPoint } from "./support/cases";
import { gap } from "./support/forward-cases";
import { loadCompiled } from "./support/load";
import { copyOf, dot, gradientShape, numbersOf, numericJacobian, random, sameShapeAs, withNumbers, type VectorCase } from "./support/vector-cases";

const withVectorCases = fixtureNames().filter((name) => /export const vectorValued\b/.test(fs.readFileSync(fixturePath(name), "utf8")));

test("fixtures declare vector-valued functions", () => {
  expect(withVectorCases.length).toBeGreaterThan(0);
});

describe.each(withVectorCases)("%s", (name) => {
  const module = loadCompiled(fixturePath(name));
  const cases = module.vectorValued as VectorCase[];

  test.each(cases.map((c, i) => [`${i}: ${c.fn.name}`, c] as const))("%s: Jacobians vs central differences and each other", (_, c) => {
    const modes = (["jacobian", "forward", "reverse"] as const).filter((m) => c[m] !== undefined);
    expect(modes.length, "a Jacobian to check").toBeGreaterThan(0);
    for (const x of c.at) {
      const where = `${c.fn.name}(${showPoint(x)})`;
      const numeric = numericJacobian(c.fn, x);
      const found = modes.map((mode) => {
        const rows = c[mode]!(...copyOf([...x]));
        expect(rows.length, `${where} ${mode}: one row per number of the value`).toBe(numeric.length);
        rows.forEach((row, i) => expect(sameShapeAs(gradientShape(x), row), `${where} ${mode}: row ${i} is shaped like the gradient`).toBe(true));
        return rows.map((row) => numbersOf(row));
      });
      found.forEach((rows, k) =>
        rows.forEach((row, i) =>
          row.forEach((v, j) => {
            expect.soft(gap(v, numeric[i][j]), `${where} ${modes[k]} J[${i}][${j}] ${v} vs central differences ${numeric[i][j]}`).toBeLessThanOrEqual(c.tolerance ?? 1e-6);
            expect.soft(gap(v, found[0][i][j]), `${where} J[${i}][${j}] ${modes[k]} ${v} vs ${modes[0]} ${found[0][i][j]}`).toBeLessThanOrEqual(1e-12);
          }),
        ),
      );
    }
  });

  test.each(cases.map((c, i) => [`${i}: ${c.fn.name}`, c] as const))("%s: jvp and vjp values, and ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩", (_, c) => {
    const next = random(5);
    for (const x of c.at) {
      const where = `${c.fn.name}(${showPoint(x)})`;
      const value = c.fn(...copyOf([...x]));
      for (let trial = 0; trial < 3; trial++) {
        const v = withNumbers([...x], numbersOf([...x]).map(() => next()));
        const [jvpValue, tangent] = c.jvp(copyOf([...x]), v);
        expect(numbersOf(jvpValue), `${where}: jvp's value`).toEqual(numbersOf(value));
        expect(sameShapeAs(value, tangent), `${where}: the tangent is shaped like the value`).toBe(true);
        const [vjpValue, pullback] = c.vjp(...copyOf([...x]));
        expect(numbersOf(vjpValue), `${where}: vjp's value`).toEqual(numbersOf(value));
        const w = withNumbers(value, numbersOf(value).map(() => next()));
        const wCopy = withNumbers(w, numbersOf(w));
        const cotangent = pullback(w);
        expect(numbersOf(w), `${where}: the pullback leaves its seed as it was`).toEqual(numbersOf(wCopy));
        expect(sameShapeAs(gradientShape(x), cotangent), `${where}: the pullback's result is shaped like the gradient`).toBe(true);
        const left = dot(numbersOf(tangent), numbersOf(w));
        const right = dot(numbersOf(v), numbersOf(cotangent));
        expect(gap(left, right), `${where}: ⟨J·v, w⟩ = ${left} vs ⟨v, Jᵀ·w⟩ = ${right}`).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

const withHessianCases = fixtureNames().filter((name) => /export const hessianValued\b/.test(fs.readFileSync(fixturePath(name), "utf8")));

interface HessianCase {
  readonly fn: (...xs: any[]) => number;
  readonly grad: (...xs: any[]) => unknown;
  readonly hessian: (...xs: any[]) => unknown[];
  readonly hvp: (primals: any[], v: any[]) => unknown[];
  readonly at: readonly (readonly import("./support/cases").Arg[])[];
}

describe.each(withHessianCases)("%s: Hessians of functions of arrays and objects", (name) => {
  const module = loadCompiled(fixturePath(name));
  const cases = module.hessianValued as HessianCase[];

  test.each(cases.map((c, i) => [`${i}: ${c.fn.name}`, c] as const))("%s: rows vs central differences of the gradient, symmetric, hvp = H·v", (_, c) => {
    const next = random(9);
    for (const x of c.at) {
      const where = `${c.fn.name}(${showPoint(x)})`;
      const rows = c.hessian(...copyOf([...x]));
      const numeric = numericJacobian((...xs: unknown[]) => c.grad(...xs), x);
      expect(rows.length, `${where}: one row per number of the arguments`).toBe(numeric.length);
      rows.forEach((row, i) => expect(sameShapeAs(gradientShape(x), row), `${where}: row ${i} is shaped like the gradient`).toBe(true));
      const H = rows.map((row) => numbersOf(row));
      H.forEach((row, i) =>
        row.forEach((h, j) => {
          expect.soft(gap(h, numeric[i][j]), `${where}: H[${i}][${j}] ${h} vs central differences of the gradient ${numeric[i][j]}`).toBeLessThanOrEqual(1e-6);
          expect.soft(gap(h, H[j][i]), `${where}: H[${i}][${j}] = H[${j}][${i}]`).toBeLessThanOrEqual(1e-12);
        }),
      );
      const v = numbersOf([...x]).map(() => next());
      const hv = numbersOf(c.hvp(copyOf([...x]), withNumbers([...x], [...v])));
      H.forEach((row, i) => expect.soft(gap(hv[i], dot(row, v)), `${where}: (H·v)[${i}]`).toBeLessThanOrEqual(1e-12));
    }
  });
});
