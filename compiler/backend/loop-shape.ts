// Recognises the loops that read best as `for` loops: one carried value steps by a constant at the
// end of every iteration (`i = i + 1` → `i++` in the header).
import type { Op, Value } from "../ir/types";

export interface LoopShape {
  readonly counter?: { readonly slot: number; readonly step: number };
}

export function loopShape(op: Op, counts: Map<Value, number>, inline: Set<Value>, defs: Map<Value, Op>): LoopShape {
  const body = op.regions[1];
  for (let slot = 0; slot < body.yields.length; slot++) {
    const next = body.yields[slot];
    const def = defs.get(next);
    if (!def || !inline.has(next) || counts.get(next) !== 1) continue;
    if ((def.prim !== "add" && def.prim !== "sub") || def.args[0] !== body.params![slot]) continue;
    const step = defs.get(def.args[1]);
    const value = step?.prim === "const" ? step.attrs.value : undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value === 0) continue;
    return { counter: { slot, step: def.prim === "add" ? value : -value } };
  }
  return {};
}
