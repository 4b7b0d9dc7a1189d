// The rule table on its own: every primitive's reverse and forward rules against central
// differences, through the IR (sweep + optimisation, run by a reference interpreter), not through
// generated code; and the two rules against each other.
import { describe, expect, test } from "vitest";
import { forwardSweep } from "../compiler/ad/forward";
import { reverseSweep } from "../compiler/ad/reverse";
import { ruleFor } from "../compiler/ad/rules";
import { Builder } from "../compiler/ir/builder";
import { primitives } from "../compiler/ir/primitives";
import type { Func } from "../compiler/ir/types";
import { f64 } from "../compiler/ir/types";
import { optimize } from "../compiler/opt";
import { centralDifference } from "../runtime/check";
import { interpret } from "../compiler/ir/interpret";

/** Points inside each primitive's domain and away from its kinks. */
const points: Record<string, number[][]> = {
  default: [[0.7, 1.3], [-0.4, 2.1], [1.9, -0.6]],
  log: [[0.7], [2.5]],
  sqrt: [[0.7], [3.1]],
  asin: [[0.3], [-0.8]],
  acos: [[0.3], [-0.8]],
  log1p: [[0.3], [-0.5]],
  pow: [[0.7, 1.3], [2.1, -0.6], [1.5, 3]],
  mod: [[5.3, 2.1], [-4.1, 1.7]],
  cbrt: [[0.7], [-2.1]],
  hypot: [[0.7, 1.3, -0.4], [3, 4, 12]],
};

function unary(name: string, arity: number): Func {
  const b = new Builder();
  const params = Array.from({ length: arity }, (_, i) => ({ value: b.value(f64, `x${i}`), name: `x${i}` }));
  b.region.yields.push(b.op(name, params.map((p) => p.value)));
  return { name, params, body: b.region };
}

// stopGradient is the identity with derivative zero by definition: checked on its own below.
const differentiable = [...primitives.values()].filter((p) => p.result.kind === "f64" && p.name !== "select" && p.name !== "stopGradient");

describe("rule table", () => {
  test("every primitive with a number result has a reverse and a forward rule", () => {
    expect(differentiable.filter((p) => !ruleFor(p.name)?.reverse).map((p) => p.name)).toEqual([]);
    expect(differentiable.filter((p) => !ruleFor(p.name)?.forward).map((p) => p.name)).toEqual([]);
  });

  test.each(differentiable.map((p) => [p.name, p.arity === "n" ? 3 : p.arity] as const))(
    "%s: forward rule (identity seeds, vector mode) agrees with central differences and the reverse rule",
    (name, arity) => {
      const func = unary(name, arity);
      const wrt = func.params.map((_, i) => i);
      const sweep = forwardSweep(func, { wrt, directions: arity, seed: "identity" });
      const body = { ops: sweep.body.ops, yields: sweep.tangents[0] };
      optimize(body);
      const rev = reverseSweep(func, { wrt, seed: "one" });
      const revBody = { ops: [...rev.forward.ops, ...rev.reverse.ops], yields: rev.adjoints };
      optimize(revBody);
      for (const x of points[name] ?? points.default) {
        const args = x.slice(0, arity);
        const tangent = interpret({ params: func.params, body }, args) as number[];
        const adjoint = interpret({ params: func.params, body: revBody }, args) as number[];
        const f = (...xs: number[]) => interpret(func, xs)[0] as number;
        args.forEach((_, i) => {
          const numeric = centralDifference(f, args, i);
          expect(Math.abs(tangent[i] - numeric) / Math.max(1, Math.abs(numeric))).toBeLessThan(1e-7);
          expect(Math.abs(tangent[i] - adjoint[i]) / Math.max(1, Math.abs(adjoint[i]))).toBeLessThan(1e-14);
        });
      }
    },
  );

  test("stopGradient: the identity, with derivative zero in both modes", () => {
    const func = unary("stopGradient", 1);
    const fwd = forwardSweep(func, { wrt: [0], directions: 1, seed: "identity" });
    const body = { ops: fwd.body.ops, yields: [...fwd.values, fwd.tangents[0][0]] };
    optimize(body);
    const rev = reverseSweep(func, { wrt: [0], seed: "one" });
    const revBody = { ops: [...rev.forward.ops, ...rev.reverse.ops], yields: rev.adjoints };
    optimize(revBody);
    expect(interpret({ params: func.params, body }, [1.7])).toEqual([1.7, 0]);
    expect(interpret({ params: func.params, body: revBody }, [1.7])).toEqual([0]);
  });

  test.each(differentiable.map((p) => [p.name, p.arity === "n" ? 3 : p.arity] as const))(
    "%s: reverse rule agrees with central differences",
    (name, arity) => {
      const func = unary(name, arity);
      const wrt = func.params.map((_, i) => i);
      const sweep = reverseSweep(func, { wrt, seed: "one" });
      const body = { ops: [...sweep.forward.ops, ...sweep.reverse.ops], yields: sweep.adjoints };
      optimize(body);
      for (const x of points[name] ?? points.default) {
        const args = x.slice(0, arity);
        const analytic = interpret({ params: func.params, body }, args) as number[];
        const f = (...xs: number[]) => interpret(func, xs)[0] as number;
        args.forEach((_, i) => {
          const numeric = centralDifference(f, args, i);
          expect(Math.abs(analytic[i] - numeric) / Math.max(1, Math.abs(numeric))).toBeLessThan(1e-7);
        });
      }
    },
  );
});
