// Sinks pure computations into the one branch of a later `if` that uses them, so the forward sweep
// computes a value only on the paths that need it, and the reverse sweep differentiates it there:
// `const r = Math.log(a - 5); return a > 5 ? r * a : a * a` evaluates and differentiates the log
// only when a > 5, and the branch not taken never multiplies r's zero adjoint by 1/(a − 5).
// Run on the primal before reverse mode. Only ops without effects move (arithmetic, Math, tensor
// operations, calls without array arguments, reads of memory nothing writes), and only into `if`
// branches: moving into a loop would repeat them.
import type { Op, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { freeValues, walkOps } from "../ir/walk";
import { primitives } from "../ir/primitives";
import { tensorOps } from "../ir/tensor-ops";

type Place = Op | Region | "yield";

export function sink(body: Region): void {
  sinkRegion(body, readOnlyLoads(body));
}

function sinkRegion(region: Region, readOnly: Set<Op>): void {
  // Where each value is used in this region: by a top-level op directly, in a region of one, or yielded.
  const owner = new Map<Region, Op>();
  const uses = new Map<Value, Set<Place>>();
  const use = (v: Value, place: Place) => {
    let places = uses.get(v);
    if (!places) uses.set(v, (places = new Set()));
    places.add(place);
  };
  for (const op of region.ops) {
    op.args.forEach((a) => use(a, op));
    for (const r of op.regions) {
      owner.set(r, op);
      freeValues(r).forEach((v) => use(v, r));
    }
  }
  region.yields.forEach((y) => use(y, "yield"));

  // Last op first, so an operand follows the op that used it into the branch.
  for (let i = region.ops.length - 1; i >= 0; i--) {
    const op = region.ops[i];
    if (!movable(op, readOnly)) continue;
    let target: Region | undefined;
    let alone = true;
    for (const r of op.results) {
      for (const place of uses.get(r) ?? []) {
        if (typeof place === "string" || !("ops" in place) || owner.get(place)!.prim !== "if" || (target && place !== target)) alone = false;
        else target = place;
      }
    }
    if (!alone || !target) continue;
    region.ops.splice(i, 1);
    target.ops.unshift(op);
    for (const a of op.args) {
      uses.get(a)?.delete(op);
      use(a, target);
    }
  }
  for (const op of region.ops) op.regions.forEach((r) => sinkRegion(r, readOnly));
}

function movable(op: Op, readOnly: Set<Op>): boolean {
  if (op.regions.length > 0 || op.results.length === 0 || op.results.some((r) => isAggregate(r.type))) return false;
  if (op.prim === "const") return false; // made again wherever needed anyway
  if (op.prim === "load") return readOnly.has(op);
  if (op.prim === "call") return op.attrs.variant === undefined && !op.args.some((a) => isAggregate(a.type));
  return op.prim === "length" || primitives.has(op.prim) || tensorOps.has(op.prim);
}

/** Element reads of arrays and objects nothing in the function writes: they may move freely. */
function readOnlyLoads(body: Region): Set<Op> {
  const defs = new Map<Value, Op>();
  walkOps(body, (op) => op.results.forEach((r) => defs.set(r, op)));
  const rootOf = (v: Value): Value => {
    const def = defs.get(v);
    return def?.prim === "load" && isAggregate(v.type) ? rootOf(def.args[0]) : v;
  };
  const written = new Set<Value>();
  const loads: Op[] = [];
  walkOps(body, (op) => {
    if (op.prim === "store" || op.prim === "storeAdd" || op.prim === "fill" || op.prim === "addSlice") written.add(rootOf(op.args[0]));
    // A call may write the arrays it is passed.
    if (op.prim === "call") op.args.forEach((a) => isAggregate(a.type) && written.add(rootOf(a)));
    if (op.prim === "load") loads.push(op);
  });
  return new Set(loads.filter((op) => !written.has(rootOf(op.args[0]))));
}
