// Tape pairs nobody reads: after optimisation a popped value may have no use left (the adjoint
// that needed it was folded away or is inactive). Its pop goes, and so does the matching push in
// the forward loop, which may leave the pushed value dead for the next DCE.
import type { Op, Region } from "../ir/types";
import { useCounts, walkOps } from "../ir/walk";

export function pruneTape(body: Region): boolean {
  const counts = useCounts(body);
  const unused = new Set<number>();
  walkOps(body, (op) => {
    if (op.prim === "pop" && op.attrs.slot !== undefined && !counts.get(op.results[0])) unused.add(op.attrs.slot);
  });
  if (unused.size === 0) return false;
  const keep = (op: Op) => !((op.prim === "push" || op.prim === "pop") && op.attrs.slot !== undefined && unused.has(op.attrs.slot));
  const prune = (region: Region) => {
    region.ops = region.ops.filter(keep);
    region.ops.forEach((op) => op.regions.forEach(prune));
  };
  prune(body);
  return true;
}

/**
 * vjp splits the sweeps into two functions, optimised apart: pops the adjoint's pruning dropped
 * leave pushes behind in the forward function, which would shift every later pop. Drops the
 * forward pushes whose slot no pop of the adjoint reads.
 */
export function dropUnpoppedPushes(forward: Region, adjoint: Region): void {
  const popped = new Set<number>();
  walkOps(adjoint, (op) => {
    if (op.prim === "pop" && op.attrs.slot !== undefined) popped.add(op.attrs.slot);
  });
  const prune = (region: Region) => {
    region.ops = region.ops.filter((op) => !(op.prim === "push" && op.attrs.slot !== undefined && !popped.has(op.attrs.slot)));
    region.ops.forEach((op) => op.regions.forEach(prune));
  };
  prune(forward);
}
