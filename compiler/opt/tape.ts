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
 * A forward sweep and its reverse in two functions (vjp's forward and adjoint): pushes whose pop
 * the reverse no longer has go too, or the tape would hold values no pop takes.
 */
export function prunePushesWithoutPops(forward: Region, reverse: Region): boolean {
  const popped = new Set<number>();
  walkOps(reverse, (op) => op.prim === "pop" && op.attrs.slot !== undefined && popped.add(op.attrs.slot));
  let pruned = false;
  const prune = (region: Region) => {
    const before = region.ops.length;
    region.ops = region.ops.filter((op) => !(op.prim === "push" && op.attrs.slot !== undefined && !popped.has(op.attrs.slot)));
    pruned ||= region.ops.length < before;
    region.ops.forEach((op) => op.regions.forEach(prune));
  };
  prune(forward);
  return pruned;
}
