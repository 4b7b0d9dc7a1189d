// Common-subexpression elimination by scoped value numbering: an op identical to one that
// dominates it (same primitive, operands and attributes) reuses that op's results. Every op in
// this language is pure, calls included.
import type { Op, Region, Value } from "../ir/types";
import { ScopedMap } from "../ir/scoped-map";
import { substitute } from "../ir/walk";

export function cse(body: Region): void {
  const replace = new Map<Value, Value>();
  cseRegion(body, new ScopedMap(), replace);
  substitute(body, replace);
}

const commutative = new Set(["add", "mul", "eq", "ne"]);

function keyOf(op: Op, sub: (v: Value) => Value): string | undefined {
  if (op.regions.length > 0) return undefined;
  const value = op.attrs.value;
  const attr = typeof value === "number" && Object.is(value, -0) ? "-0" : String(value);
  const ids = op.args.map((a) => sub(a).id);
  if (commutative.has(op.prim)) ids.sort((x, y) => x - y); // x·y and y·x are the same value, exactly
  return `${op.prim}(${ids.join(",")})${attr}|${op.attrs.callee ?? ""}|${op.attrs.variant ?? ""}|${op.attrs.wrt?.join(",") ?? ""}|${op.attrs.directions ?? ""}|${op.attrs.tangentWrt?.join(",") ?? ""}`;
}

function cseRegion(region: Region, seen: ScopedMap<string, Op>, replace: Map<Value, Value>): void {
  const sub = (v: Value) => replace.get(v) ?? v;
  const kept: Op[] = [];
  for (const op of region.ops) {
    op.regions.forEach((r) => cseRegion(r, seen.child(), replace));
    const key = keyOf(op, sub);
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
