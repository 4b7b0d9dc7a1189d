// Every fixture: its generated code matches the snapshot beside it, and every derivative it
// declares in `cases` agrees with central differences of the primal.
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler";
import { formatDiagnostic } from "../compiler/diagnostics";
import { loadCompiled } from "./support/load";
import {
  checkAgainstDifferences,
  describeCase,
  fixtureNames,
  fixturePath,
  copyArgs,
  plainCase,
  runCase,
  scalingError,
  showPoint,
  type Case,
} from "./support/cases";

const names = fixtureNames();


test("the corpus has fixtures", () => {
  expect(names.length).toBeGreaterThanOrEqual(28);
});

describe.each(names)("%s", (name) => {
  test("compiles without diagnostics to the snapshot", async () => {
    const result = compileFile(fixturePath(name));
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    expect(typeof result.code).toBe("string");
    await expect(result.code).toMatchFileSnapshot(`../fixtures/${name}.out.ts`);
  });

  test("derivatives agree with central differences", () => {
    const module = loadCompiled(fixturePath(name));
    const cases = module.cases as Case[] | undefined;
    expect(Array.isArray(cases) && cases.length > 0, "the fixture exports a non-empty `cases`").toBe(true);
    cases!.map(plainCase).forEach((c, index) => {
      const label = describeCase(c, index);
      expect(c.at.length, `${label}: has points`).toBeGreaterThan(0);
      for (const x of c.at) {
        const where = `${label} at (${showPoint(x)})`;
        let point;
        try {
          point = runCase(c, x);
        } catch (e) {
          expect.soft(String(e), `${where}: threw`).toBe("no exception");
          continue;
        }
        if (point.value !== undefined) {
          const expected = c.fn(...copyArgs(x));
          expect.soft(point.value === expected, `${where}: value ${point.value} === fn(...x) ${expected}`).toBe(true);
        }
        let check;
        try {
          check = checkAgainstDifferences(c, x, point.gradient);
        } catch (e) {
          expect.soft(String(e), `${where}: gradient shape`).toBe("a gradient of the declared shape");
          continue;
        }
        const tolerance = c.tolerance ?? 1e-6;
        expect
          .soft(
            check.maxError,
            `${where}: gradient ${JSON.stringify(check.analytic)} vs central differences ${JSON.stringify(check.numeric)}`,
          )
          .toBeLessThanOrEqual(tolerance);
        if (point.scaled) {
          expect
            .soft(
              scalingError(c, x, point.gradient, point.scaled),
              `${where}: pullback(${point.scaled.seed}) = ${JSON.stringify(point.scaled.gradient)} vs ` +
                `${point.scaled.seed} × pullback(1) = ${point.scaled.seed} × ${JSON.stringify(point.gradient)}`,
            )
            .toBeLessThanOrEqual(1e-12);
        }
      }
    });
  });
});
