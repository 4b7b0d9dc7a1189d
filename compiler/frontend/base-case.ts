// Recursion without a base case: a function that, on every path, calls a function that calls it
// back (itself, or through others) never returns, and neither would its derivatives; compiling it
// would only move the stack overflow to run time. Refused at compile time instead.
//
// A call counts only where it runs on every path: at the top of the body, or in both arms of an
// `if`. Calls in loops (which may not run) and in one arm are left alone, so a real base case
// always lets a function through; what is refused is a cycle of such unconditional calls.
import { diagnosticAt, Codes, type AdcDiagnostic } from "../diagnostics";
import { cycleThrough } from "../ir/call-graph";
import type { Region } from "../ir/types";
import type { LoweredFunction } from "./lower";

/** The functions `region` calls whenever it runs. */
function alwaysCalled(region: Region): Set<string> {
  const called = new Set<string>();
  for (const op of region.ops) {
    if (op.prim === "call" && op.attrs.callee !== undefined) called.add(op.attrs.callee);
    if (op.prim === "if" && op.regions.length === 2) {
      const other = alwaysCalled(op.regions[1]);
      for (const callee of alwaysCalled(op.regions[0])) if (other.has(callee)) called.add(callee);
    }
  }
  return called;
}

/** One diagnostic per function on a cycle of unconditional calls, at its name. */
export function endlessRecursion(lowered: ReadonlyMap<string, LoweredFunction>): AdcDiagnostic[] {
  const edges = new Map<string, string[]>();
  for (const [key, fn] of lowered) {
    if (!fn.custom) edges.set(key, [...alwaysCalled(fn.func.body)].filter((callee) => lowered.has(callee)));
  }
  const diagnostics: AdcDiagnostic[] = [];
  for (const [key, fn] of lowered) {
    const cycle = cycleThrough(key, edges);
    if (!cycle) continue;
    const through = cycle.length > 1 ? ` (through ${cycle.slice(1).map((k) => `'${k}'`).join(", ")})` : "";
    diagnostics.push(
      diagnosticAt(Codes.Recursion, `'${key}' calls itself on every path${through}, so it never returns; give it a base case (an if that returns without the call)`, fn.decl.name ?? fn.decl),
    );
  }
  return diagnostics;
}
