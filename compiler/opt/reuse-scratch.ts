// Scratch arrays allocated afresh in every iteration of a loop (`new Array(d).fill(0)` per point,
// and in a gradient the shadows of such arrays in its reverse loop) are allocated once before the
// loop and zeroed where the allocation was, when that is provably the same: the size comes from
// outside the loop, and the array is used only by element reads and writes in the iteration (no
// call, tape push, copy, literal, yield or store takes it whole), so no reference to one
// iteration's array outlives the iteration and each iteration sees a zero array of that size.
// Run on generated bodies only (ad/derivatives.ts): on a primal before differentiation, one array
// shared by all iterations would have to be taped element by element instead of by reference.
import type { Builder } from "../ir/builder";
import type { Op, Region, Value } from "../ir/types";
import { isWholeSize } from "../ir/sizes";
import { definedIn, usedOnlyBy, walkOps } from "../ir/walk";

/** Uses that touch single elements (or the length) of the array passed as their first operand. */
const elementUses = new Set(["load", "store", "storeAdd", "fill", "length", "drain"]);

export function reuseScratch(body: Region, b: Builder): void {
  const hoisted = new Set<Op>();
  const defs = new Map<Value, Op>();
  walkOps(body, (o) => o.results.forEach((r) => defs.set(r, o)));
  const visit = (region: Region) => {
    for (let i = 0; i < region.ops.length; i++) {
      const op = region.ops[i];
      op.regions.forEach(visit);
      if (op.prim !== "while") continue;
      const moved = hoistAllocations(op, b, hoisted, defs);
      region.ops.splice(i, 0, ...moved);
      i += moved.length;
    }
  };
  visit(body);
}

/** The allocations of the loop's body that can be made once, taken out and replaced by `fill(a, 0)`. */
function hoistAllocations(loop: Op, b: Builder, hoisted: Set<Op>, defs: ReadonlyMap<Value, Op>): Op[] {
  const body = loop.regions[1];
  const inside = definedIn({ ops: [loop], yields: [] });
  // The length of an array from outside the loop (`w.length`) is the same in every iteration (a
  // growing array's length is a counter, never a `length` op): it moves out with the allocation.
  const lengths = new Map(body.ops.filter((o) => o.prim === "length" && !inside.has(o.args[0])).map((o) => [o.results[0], o]));
  const out: Op[] = [];
  const kept: Op[] = [];
  for (const op of body.ops) {
    const size = op.prim === "alloc" ? lengths.get(op.args[0]) : undefined;
    const invariant = (a: Value) => !inside.has(a) || size?.results[0] === a;
    if (op.prim !== "alloc" || op.attrs.growable || !op.args.every(invariant) || !validSize(op.args[0], defs) || !usedOnlyBy({ ops: [loop], yields: [] }, op.results[0], elementUses)) {
      kept.push(op);
      continue;
    }
    if (size && inside.has(size.results[0])) {
      // Defined before the allocation in the body (SSA), so already kept: take it out with it.
      kept.splice(kept.indexOf(size), 1);
      out.push(size);
      inside.delete(size.results[0]);
    }
    out.push(op);
    // Moved out of an inner loop already: every use follows the fill left there, in that loop.
    if (hoisted.has(op)) continue;
    hoisted.add(op);
    const zero = b.value({ kind: "f64" });
    out.push({ prim: "const", args: [], results: [zero], attrs: { value: 0 }, regions: [], loc: op.loc });
    kept.push({ prim: "fill", args: [op.results[0], zero], results: [], attrs: {}, regions: [], loc: op.loc });
  }
  body.ops = kept;
  return out;
}

/**
 * A size no allocation can throw on (ir/sizes.ts): made once before a loop that may run no
 * iteration, `new Float64Array(n - 3)` would throw where the loop did not.
 */
function validSize(size: Value, defs: ReadonlyMap<Value, Op>): boolean {
  const def = defs.get(size);
  return isWholeSize(def?.prim === "length", def?.prim === "const" ? def.attrs.value : undefined);
}
