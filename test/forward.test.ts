// Forward mode on every fixture: its generated tangent code matches fixtures/<name>.jvp.out.ts,
// jvp's value is the primal's, and the gradient built from n jvps equals the reverse-mode
// gradient of every case to 1e-12.
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../compiler/diagnostics";
import { coverage, entries, fixtureNames, fixturePath, runCase, type Case } from "./support/cases";
import { compileWithJvp, forwardGradient, gap } from "./support/forward-cases";
import { evaluate } from "./support/load";

type Jvp = (primals: number[], tangents: number[]) => [number, number];

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
    for (const c of cases) {
      const jvp = jvps.find((j) => j.fn === c.fn)?.jvp;
      expect(jvp, `a jvp of ${c.fn.name}`).toBeDefined();
      const { indices } = coverage(c);
      for (const x of c.at) {
        const where = `${c.fn.name}(${x.join(", ")})`;
        const reverse = entries(c, runCase(c, x).gradient);
        const forward = forwardGradient(jvp!, x);
        expect.soft(Object.is(forward.value, c.fn(...x)), `${where}: jvp value ${forward.value} vs ${c.fn(...x)}`).toBe(true);
        indices.forEach((i, k) => {
          expect.soft(gap(forward.gradient[i], reverse[k]), `${where}: ∂/∂x${i} forward ${forward.gradient[i]} vs reverse ${reverse[k]}`).toBeLessThanOrEqual(1e-12);
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
