// Forward mode on every fixture: its generated tangent code matches fixtures/<name>.jvp.out.ts,
// jvp's value is the primal's, and the gradient built from n jvps equals the reverse-mode
// gradient of every case to 1e-12.
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../compiler/diagnostics";
import { copyArgs, coverage, entries, fixtureNames, fixturePath, plainCase, runCase, showPoint, type Arg, type Case } from "./support/cases";
import { compileWithJvp, forwardGradient, gap } from "./support/forward-cases";
import { evaluate } from "./support/load";

type Jvp = (primals: Arg[], tangents: Arg[]) => [number, number];

describe.each(fixtureNames())("%s in forward mode", (name) => {
  const result = compileWithJvp(name);

  test("compiles without diagnostics to the jvp snapshot", async () => {
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    await expect(result.code).toMatchFileSnapshot(`../fixtures/${name}.jvp.out.ts`);
  });

  test("forward gradients equal reverse gradients to 1e-12, and jvp values the primal", () => {
    const module = evaluate(result.code!, fixturePath(name));
    const jvps = module.jvpCases as { fn: Function; jvp: Jvp }[];
    const cases = module.cases as Case[];
    let checked = 0;
    for (const original of cases) {
      // Forward mode seeds the explicit parameters: a gradient with respect to `this` is checked by
      // central differences only (test/fixtures.test.ts).
      if (original.wrt === "this") continue;
      const jvp = jvps.find((j) => j.fn === original.fn)?.jvp;
      const c = plainCase(original);
      expect(jvp, `a jvp of ${c.fn.name}`).toBeDefined();
      const { indices } = coverage(c);
      for (const x of c.at) {
        const where = `${c.fn.name}(${showPoint(x)})`;
        const reverse = entries(c, runCase(c, x).gradient, x);
        const forward = forwardGradient(jvp!, x);
        const value = c.fn(...copyArgs(x));
        if (indices.some((i) => forward.gradient[i].length > 0)) {
          expect.soft(Object.is(forward.value, value), `${where}: jvp value ${forward.value} vs ${value}`).toBe(true);
        }
        const fwd = indices.flatMap((i) => forward.gradient[i]);
        expect(fwd.length, `${where}: as many forward as reverse derivatives`).toBe(reverse.length);
        fwd.forEach((g, k) => {
          expect.soft(gap(g, reverse[k]), `${where}: derivative ${k} forward ${g} vs reverse ${reverse[k]}`).toBeLessThanOrEqual(1e-12);
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
