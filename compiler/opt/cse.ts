// Common-subexpression elimination by scoped value numbering: an op identical to one that
// dominates it (same primitive, operands and attributes) reuses that op's results. Scalar ops are
// pure, calls included; a read of memory is the same value only while no write came between
// (the memory "epoch" is part of its key), and an allocation is never the same as another.
import type { Attrs, Op, Region, Value } from "../ir/types";
import { ScopedMap } from "../ir/scoped-map";
import { substitute } from "../ir/walk";
import { isOrdered, writes } from "../ir/effects";

export function cse(body: Region): void {
  const replace = new Map<Value, Value>();
  cseRegion(body, new ScopedMap(), replace, { epoch: 0 });
  substitute(body, replace);
}

interface Memory {
  epoch: number;
}

const rereadable = new Set(["load", "length"]);

const commutative = new Set(["add", "mul", "eq", "ne"]);

function keyOf(op: Op, sub: (v: Value) => Value, memory: Memory): string | undefined {
  if (op.regions.length > 0) return undefined;
  if (isOrdered(op) && !rereadable.has(op.prim)) return undefined;
  const epoch = rereadable.has(op.prim) ? `@${memory.epoch}` : "";
  const ids = op.args.map((a) => sub(a).id);
  if (commutative.has(op.prim)) ids.sort((x, y) => x - y); // x·y and y·x are the same value, exactly
  return `${op.prim}(${ids.join(",")})${attrsKey(op.attrs)}${epoch}`;
}

/**
 * Every attribute is part of the key, so two ops differing in any (a constant, a field, the module
 * binding a `global` reads) are never one value. Numbers JSON cannot tell apart (−0, ±Infinity, NaN) are spelled out.
 */
function attrsKey(attrs: Attrs): string {
  return JSON.stringify(attrs, (_, v) => (typeof v === "number" && (Object.is(v, -0) || !Number.isFinite(v)) ? `${Object.is(v, -0) ? "-0" : v}` : v));
}

function cseRegion(region: Region, seen: ScopedMap<string, Op>, replace: Map<Value, Value>, memory: Memory): void {
  const sub = (v: Value) => replace.get(v) ?? v;
  const kept: Op[] = [];
  for (const op of region.ops) {
    // A loop body may run after its own writes: it starts from memory no earlier read has seen.
    if (op.prim === "while" && writes(op)) memory.epoch++;
    op.regions.forEach((r) => cseRegion(r, seen.child(), replace, memory));
    if (writes(op)) memory.epoch++;
    if (op.prim === "store" && op.attrs.field === undefined) {
      // Store-to-load forwarding: until the next write, `a[i]` is the value just stored.
      const [array, index, value] = op.args.map(sub);
      const load: Op = { prim: "load", args: [array, index], results: [value], attrs: {}, regions: [] };
      seen.set(keyOf(load, sub, memory)!, load);
    }
    const key = keyOf(op, sub, memory);
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier) {
      op.results.forEach((r, i) => {
        // Names stay with the kept value: an adjoint's name must not move onto a primal value.
        replace.set(r, earlier.results[i]);
      });
      continue;
    }
    if (key !== undefined) seen.set(key, op);
    kept.push(op);
  }
  region.ops = kept;
}
