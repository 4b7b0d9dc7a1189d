// An `if` reverses into an `if` on the same condition whose results are the outer adjoints its
// branches changed. Values a reverse branch needs from inside its forward branch are yielded out
// of the forward `if` (they are its residuals); constants are simply made again.
import type { Op, Value } from "../ir/types";
import { f64, isAggregate } from "../ir/types";
import { constantDefs, definedIn, freeValues, substitute } from "../ir/walk";
import { zeroAdjoint, type Adjoints, type ReverseTransform, type Shadows } from "./reverse";

export function reverseIf(t: ReverseTransform, op: Op, gs: (Value | undefined)[], adjoints: Adjoints, shadows: Shadows): void {
  const b = t.b;
  const branches = op.regions.map((primalBranch) => {
    const local: Adjoints = adjoints.child();
    const { region } = b.inRegion(() => {
      primalBranch.yields.forEach((y, i) => t.accumulate(local, y, gs[i]));
      t.region(primalBranch, local, shadows.child());
    });
    return { primalBranch, region, local, inside: definedIn(primalBranch) };
  });

  // The outer adjoints either branch changed become the results of the reverse `if`.
  const changed = new Set<Value>();
  for (const { local, inside } of branches) {
    for (const [v, adj] of local.ownEntries()) if (adjoints.get(v) !== adj && !inside.has(v)) changed.add(v);
  }
  const outer = [...changed].sort((x, y) => x.id - y.id);
  for (const { region, local } of branches) {
    region.yields = outer.map((v) => local.get(v) ?? adjoints.get(v) ?? b.into(region, () => zeroAdjoint(b, v)));
  }
  const reversed = b.emit("if", [op.args[0]], outer.map((v) => (v.type.kind === "tensor" ? v.type : f64)), {}, branches.map((x) => x.region));
  outer.forEach((v, i) => {
    reversed.results[i].adjointOf = v;
    adjoints.set(v, reversed.results[i]);
  });

  branches.forEach(({ primalBranch, region, inside }, k) => {
    const needed = freeValues(region).filter((v) => inside.has(v));
    const constants = constantDefs(primalBranch);
    const lifted = new Map<Value, Value>();
    for (const v of needed) {
      const constant = constants.get(v);
      if (constant) {
        const again = b.value(v.type);
        region.ops.unshift({ ...constant, results: [again], regions: [] });
        lifted.set(v, again);
        continue;
      }
      if (isAggregate(v.type)) throw new Error("adc internal error: an array reference would leave a branch");
      const result = b.value(v.type, v.hint);
      result.adjointOf = v.adjointOf;
      op.results.push(result);
      op.regions.forEach((r, j) => {
        r.yields.push(j === k ? v : b.into(r, () => (v.type.kind === "bool" ? b.bool(false) : b.const(0))));
      });
      lifted.set(v, result);
    }
    substitute(region, lifted);
  });
}
