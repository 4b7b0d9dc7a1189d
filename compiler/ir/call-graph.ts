// The call graph of a module's lowered functions, by key: what each calls, and cycles through it
// (recursion, refused without a base case in frontend/base-case.ts, never inlined in opt/inline.ts).
import type { Func } from "./types";
import { walkOps } from "./walk";

/** The functions `func` calls anywhere in its body. */
export function calleesOf(func: Func): Set<string> {
  const keys = new Set<string>();
  walkOps(func.body, (op) => op.prim === "call" && op.attrs.callee !== undefined && keys.add(op.attrs.callee));
  return keys;
}

/** A path of calls from `start` back to itself, as the functions on it (start first), if there is one. */
export function cycleThrough(start: string, edges: ReadonlyMap<string, Iterable<string>>): string[] | undefined {
  const seen = new Set<string>();
  const path: string[] = [];
  const visit = (key: string): boolean => {
    path.push(key);
    for (const next of edges.get(key) ?? []) {
      if (next === start) return true;
      if (!seen.has(next)) {
        seen.add(next);
        if (visit(next)) return true;
      }
    }
    path.pop();
    return false;
  };
  return visit(start) ? path : undefined;
}
