// Dead-code elimination: keeps only ops whose results reach the function's results, and every op
// that writes memory or the tape. Unused results of an `if` are removed from both branches, and
// unused carried values from a `while` (with their params and yields), so dead work inside goes too.
import type { Op, Region, Value } from "../ir/types";
import { writes } from "../ir/effects";

export function dce(body: Region): void {
  const live = new Set<Value>(body.yields);
  const slots = new Map<Op, Set<number>>();
  mark(body, live, slots);
  prune(body, live, slots);
}

/** Adds to `live` every value a live op uses, backwards; a loop's live slots reach a fixed point. */
function mark(region: Region, live: Set<Value>, slots: Map<Op, Set<number>>): void {
  for (let i = region.ops.length - 1; i >= 0; i--) {
    const op = region.ops[i];
    if (!writes(op) && !op.results.some((r) => live.has(r))) continue;
    if (op.prim === "if") {
      op.results.forEach((r, j) => live.has(r) && op.regions.forEach((branch) => live.add(branch.yields[j])));
      op.regions.forEach((branch) => mark(branch, live, slots));
      live.add(op.args[0]);
    } else if (op.prim === "while") {
      const [cond, body] = op.regions;
      const keep = new Set(op.results.flatMap((r, j) => (live.has(r) ? [j] : [])));
      for (;;) {
        keep.forEach((j) => live.add(body.yields[j]));
        cond.yields.forEach((v) => live.add(v));
        mark(cond, live, slots);
        mark(body, live, slots);
        const more = op.args.map((_, j) => j).filter((j) => !keep.has(j) && (live.has(body.params![j]) || live.has(cond.params![j])));
        if (more.length === 0) break;
        more.forEach((j) => keep.add(j));
      }
      keep.forEach((j) => live.add(op.args[j]));
      slots.set(op, keep);
    } else {
      op.args.forEach((a) => live.add(a));
    }
  }
}

function prune(region: Region, live: Set<Value>, slots: Map<Op, Set<number>>): void {
  region.ops = region.ops.filter((op) => writes(op) || op.results.some((r) => live.has(r)));
  for (const op of region.ops) {
    if (op.prim === "if") {
      const keep = op.results.map((r) => live.has(r));
      const filter = <T>(xs: T[]) => xs.filter((_, j) => keep[j]);
      op.results.splice(0, op.results.length, ...filter(op.results));
      for (const branch of op.regions) branch.yields = filter(branch.yields);
    } else if (op.prim === "while") {
      const keep = slots.get(op)!;
      const filter = <T>(xs: T[]) => xs.filter((_, j) => keep.has(j));
      const [cond, body] = op.regions;
      op.args.splice(0, op.args.length, ...filter(op.args));
      op.results.splice(0, op.results.length, ...filter(op.results));
      cond.params = filter(cond.params!);
      body.params = filter(body.params!);
      body.yields = filter(body.yields);
    }
    op.regions.forEach((r) => prune(r, live, slots));
  }
}
