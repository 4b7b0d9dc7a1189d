// Which arguments a call may write. A function writes a parameter when it stores into its memory
// (an element, a row, a field's array), directly or by passing it to a function that writes it;
// found on the lowered IR of every function of the closure at once, to a fixed point (recursion).
// Each call op then says which of its arguments it may write (`attrs.writes`), and the AD
// transforms treat it as a write of that memory (activity, what the reverse sweep may re-read, the
// snapshots a pullback needs).
import type ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Attrs, Op, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { definitions, memoryRoots } from "../ir/roots";
import { walkOps } from "../ir/walk";
import { refuseGlobalWrite } from "./globals";
import type { LoweredFunction } from "./lower";

/** Annotates every call with the arguments its callee may write; refuses a writer passed one memory twice. */
export function annotateWrites(functions: ReadonlyMap<string, LoweredFunction>): void {
  const written = new Map<string, Set<number>>();
  for (const key of functions.keys()) written.set(key, new Set());
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, fn] of functions) {
      const params = new Map(fn.func.params.map((p, i) => [p.value, i]));
      const roots = memoryRoots(fn.func.body);
      const mine = written.get(key)!;
      const note = (v: Value) => {
        for (const root of roots(v)) {
          const i = params.get(root);
          if (i !== undefined && !mine.has(i)) {
            mine.add(i);
            changed = true;
          }
        }
      };
      walkOps(fn.func.body, (op) => {
        if (op.prim === "store" || op.prim === "fill") note(op.args[0]);
        if (op.prim === "call" && op.attrs.variant === undefined) {
          for (const i of written.get(op.attrs.callee!) ?? []) note(op.args[i]);
        }
      });
    }
  }
  // A method's receiver is the instance itself (receiver.ts): its fields' memory stays read-only.
  for (const [key, fn] of functions) {
    if (fn.func.receiver && written.get(key)!.has(0)) {
      throw new Refusal(Codes.This, `'${key}' writes into an array or object field of \`this\` (by fill or a call that writes it); a differentiated method only reads its fields: copy it first (\`this.a.slice()\`) or pass it as a parameter`, fn.decl.name ?? fn.decl);
    }
  }
  for (const fn of functions.values()) {
    const roots = memoryRoots(fn.func.body);
    const defs = definitions(fn.func.body);
    walkOps(fn.func.body, (op) => {
      if (op.prim !== "call" || op.attrs.variant !== undefined) return;
      const writes = [...(written.get(op.attrs.callee!) ?? [])].filter((i) => isAggregate(op.args[i].type)).sort((a, b) => a - b);
      if (writes.length === 0) return;
      (op as { attrs: Attrs }).attrs = { ...op.attrs, writes };
      for (const i of writes) refuseGlobalWrite(op.args[i], defs, fn.callSites.get(op) ?? fn.decl);
      checkSeparate(op, writes, roots, fn.callSites.get(op));
    });
  }
}

/**
 * A callee that writes an argument must not be passed memory it can also reach through another
 * argument: its pullback works on a copy of each, which would no longer share it.
 */
function checkSeparate(op: Op, writes: readonly number[], roots: (v: Value) => Set<Value>, at: ts.Node | undefined): void {
  const aggregates = op.args.flatMap((a, i) => (isAggregate(a.type) ? [i] : []));
  for (const i of writes) {
    for (const j of aggregates) {
      if (j === i) continue;
      const shared = [...roots(op.args[i])].some((r) => roots(op.args[j]).has(r));
      if (shared && at) {
        throw new Refusal(Codes.Aliasing, `'${op.attrs.callee}' writes an argument that shares memory with another one; pass separate arrays (copy one with .slice())`, at);
      }
    }
  }
}
