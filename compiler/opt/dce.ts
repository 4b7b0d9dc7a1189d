// Dead-code elimination: keeps only ops whose results reach the function's results. Unused
// results of an `if` are removed from both branches, so a branch's dead work goes too.
import type { Region, Value } from "../ir/types";

export function dce(body: Region): void {
  const live = new Set<Value>(body.yields);
  sweep(body, live);
}

function sweep(region: Region, live: Set<Value>): void {
  region.yields.forEach((v) => live.add(v));
  const kept = [];
  for (let i = region.ops.length - 1; i >= 0; i--) {
    const op = region.ops[i];
    if (!op.results.some((r) => live.has(r))) continue;
    if (op.prim === "if") {
      const keep = op.results.map((r) => live.has(r));
      const filter = <T>(xs: T[]) => xs.filter((_, j) => keep[j]);
      op.results.splice(0, op.results.length, ...filter(op.results));
      for (const r of op.regions) {
        r.yields = filter(r.yields);
        sweep(r, live);
      }
    }
    op.args.forEach((a) => live.add(a));
    kept.push(op);
  }
  region.ops = kept.reverse();
}
