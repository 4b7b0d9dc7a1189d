// stopGradient in both modes (fixtures/stop-gradient.ts): tdLoss's gradient is that of the same
// loss with the target's parameter frozen, in reverse mode and in forward mode.
import { expect, test } from "vitest";
import { fixturePath } from "./support/cases";
import { compileWithJvp, forwardGradient, gap } from "./support/forward-cases";
import type { Arg } from "./support/cases";
import { evaluate } from "./support/load";

test("stopGradient: derivative zero through the target, in reverse and forward mode", () => {
  const module = evaluate(compileWithJvp("stop-gradient").code!, fixturePath("stop-gradient"));
  const [stop] = module.stopCases as { fn: Function; grad: (w: number, x: number) => number[]; at: number[][] }[];
  const reference = module.cases[0].grad as (w: number, x: number, frozen: number) => number[];
  const jvp = (module.jvpCases as { fn: Function; jvp: (p: Arg[], t: Arg[]) => [number, number] }[]).find((j) => j.fn === stop.fn)!.jvp;
  for (const [w, x] of stop.at) {
    const expected = reference(w, x, w * (x + 1));
    const reverse = stop.grad(w, x);
    const forward = forwardGradient(jvp, [w, x]).gradient.flat();
    expected.forEach((e, i) => {
      expect(gap(reverse[i], e)).toBeLessThanOrEqual(1e-12);
      expect(gap(forward[i], e)).toBeLessThanOrEqual(1e-12);
    });
  }
});
