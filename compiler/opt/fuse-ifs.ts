// Fuses an `if` with the `if` right after it on the same condition. In a fused gradient the
// forward sweep's `if` is often followed at once by its reverse (a branch that ends the function,
// `return c ? … : …`); fused, the branch reads as its forward code followed by its reverse, and
// what the reverse took from the forward branch as a result becomes a local of the one branch.
import type { Op, Region } from "../ir/types";
import { substitute } from "../ir/walk";

export function fuseIfs(region: Region): void {
  const ops: Op[] = [];
  for (const op of region.ops) {
    const previous = ops[ops.length - 1];
    if (previous?.prim === "if" && op.prim === "if" && previous.args[0] === op.args[0]) ops[ops.length - 1] = fuse(previous, op);
    else ops.push(op);
  }
  region.ops = ops;
  for (const op of ops) op.regions.forEach(fuseIfs);
}

function fuse(first: Op, second: Op): Op {
  const regions = first.regions.map((a, k): Region => {
    const b = second.regions[k];
    // In branch k, the first `if`'s results are that branch's yields.
    substitute(b, new Map(first.results.map((r, i) => [r, a.yields[i]])));
    return { ops: [...a.ops, ...b.ops], yields: [...a.yields, ...b.yields] };
  });
  return { ...first, results: [...first.results, ...second.results], regions };
}
