// Generic traversals over regions: every pass uses these instead of recursing by hand.
import type { Op, Region, Value } from "./types";

/** Visits every op, depth first, nested regions after their op. */
export function walkOps(region: Region, visit: (op: Op) => void): void {
  for (const op of region.ops) {
    visit(op);
    for (const r of op.regions) walkOps(r, visit);
  }
}

/** Values defined inside a region (its params, op results and nested params, at any depth). */
export function definedIn(region: Region): Set<Value> {
  const defined = new Set<Value>(region.params ?? []);
  walkOps(region, (op) => {
    op.results.forEach((v) => defined.add(v));
    op.regions.forEach((r) => r.params?.forEach((v) => defined.add(v)));
  });
  return defined;
}

/** The `const` ops a region defines (at any depth), by their value: cheaper to make again than to carry. */
export function constantDefs(region: Region): Map<Value, Op> {
  const defs = new Map<Value, Op>();
  walkOps(region, (op) => op.prim === "const" && defs.set(op.results[0], op));
  return defs;
}

/** Values a region uses but does not define (its free variables), in first-use order. */
export function freeValues(region: Region): Value[] {
  const defined = definedIn(region);
  const free = new Set<Value>();
  const use = (v: Value) => {
    if (!defined.has(v)) free.add(v);
  };
  const visitRegion = (r: Region) => {
    for (const op of r.ops) {
      op.args.forEach(use);
      op.regions.forEach(visitRegion);
    }
    r.yields.forEach(use);
  };
  visitRegion(region);
  return [...free];
}

/** Replaces uses (args and yields, at any depth) according to `map`, in place. */
export function substitute(region: Region, map: Map<Value, Value>): void {
  const sub = (v: Value) => map.get(v) ?? v;
  for (const op of region.ops) {
    for (let i = 0; i < op.args.length; i++) op.args[i] = sub(op.args[i]);
    op.regions.forEach((r) => substitute(r, map));
  }
  for (let i = 0; i < region.yields.length; i++) region.yields[i] = sub(region.yields[i]);
}

/** A structural copy (new op and region objects, same values) that passes may mutate. */
export function cloneRegion(region: Region): Region {
  return {
    ...(region.params ? { params: [...region.params] } : {}),
    ops: region.ops.map((op) => ({
      ...op,
      args: [...op.args],
      results: [...op.results],
      regions: op.regions.map(cloneRegion),
    })),
    yields: [...region.yields],
  };
}

/** How many times each value is used (args and yields, at any depth). */
export function useCounts(region: Region, counts = new Map<Value, number>()): Map<Value, number> {
  const use = (v: Value) => counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const op of region.ops) {
    op.args.forEach(use);
    op.regions.forEach((r) => useCounts(r, counts));
  }
  region.yields.forEach(use);
  return counts;
}

/**
 * Whether every use of `array` in `region` is as the first operand of an op in `allowed` (element
 * reads and writes: it never goes whole into a call, a tape push, a copy, a literal or a yield).
 */
export function usedOnlyBy(region: Region, array: Value, allowed: ReadonlySet<string>): boolean {
  if (region.yields.includes(array)) return false;
  let ok = true;
  walkOps(region, (o) => {
    o.args.forEach((a, j) => {
      if (a === array && (j !== 0 || !allowed.has(o.prim))) ok = false;
    });
    o.regions.forEach((r) => r.yields.includes(array) && (ok = false));
  });
  return ok;
}
