// Activity analysis, forward half: which values vary with the differentiated inputs. Only those
// get adjoints; the backward half (does a value reach the output?) falls out of the reverse sweep,
// which only visits ops whose results already have an adjoint.
import type { Region, Value } from "../ir/types";
import { isDifferentiable } from "../ir/types";

export function variedValues(body: Region, inputs: readonly Value[]): Set<Value> {
  const varied = new Set<Value>(inputs);
  const visit = (region: Region) => {
    for (const op of region.ops) {
      if (op.prim === "if") {
        op.regions.forEach(visit);
        op.results.forEach((r, i) => {
          if (isDifferentiable(r.type) && op.regions.some((branch) => varied.has(branch.yields[i]))) varied.add(r);
        });
        continue;
      }
      if (op.args.some((a) => varied.has(a))) {
        for (const r of op.results) if (isDifferentiable(r.type)) varied.add(r);
      }
    }
  };
  visit(body);
  return varied;
}
