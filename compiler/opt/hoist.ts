// Loop-invariant code motion: a pure op in a loop's body or condition whose operands all come from
// outside the loop is computed once before it (`Math.ceil(d)`, `c * lsz`, `2 * d` in GMM's reverse
// sweep). Pure ops never throw in JavaScript, so computing one for a loop that runs zero times
// costs a little time and changes no result. Inner loops go first, so an op can leave several.
import type { Op, Region, Value } from "../ir/types";
import { primitives } from "../ir/primitives";
import { definedIn } from "../ir/walk";

export function hoistInvariants(body: Region): void {
  const visit = (region: Region) => {
    for (let i = 0; i < region.ops.length; i++) {
      const op = region.ops[i];
      op.regions.forEach(visit);
      if (op.prim !== "while") continue;
      const hoisted = invariantOps(op);
      region.ops.splice(i, 0, ...hoisted);
      i += hoisted.length;
    }
  };
  visit(body);
}

const isPure = (op: Op) => op.regions.length === 0 && op.results.length === 1 && (op.prim === "const" || primitives.has(op.prim));

/** Takes the invariant pure ops out of the loop's regions, in order. */
function invariantOps(loop: Op): Op[] {
  const inside = definedIn({ ops: [loop], yields: [] });
  const out: Op[] = [];
  for (const region of loop.regions) {
    region.ops = region.ops.filter((op) => {
      if (!isPure(op) || op.args.some((a: Value) => inside.has(a))) return true;
      op.results.forEach((r) => inside.delete(r)); // defined before the loop from now on
      out.push(op);
      return false;
    });
  }
  return out;
}
