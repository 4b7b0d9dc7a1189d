// Inlining of small helpers into the loops that call them, on the optimised primals before any
// derivative is taken (issue 10). A helper called per element as a `call` op costs, in a gradient,
// a pullback call per element that re-runs its forward sweep, copies of the arrays it reads (for
// the pullback to recompute from) and tape traffic across the call boundary; inlined, its ops are
// the caller's: differentiated in place, and CSE, hoisting and the tape's recomputation see them.
//
// Inlined: calls inside a loop of the caller (once, outside loops, a number helper's call costs
// little, and keeping it keeps the generated code shaped like the source), and calls of tensor
// helpers anywhere (a layer's pullback re-running its matmuls costs as much as the layer).
// Callees must be:
// - small: at most `inlineLimit` ops, nested ones counted, after their own inlining;
// - not recursive (no cycle of calls through them), without a registered derivative
//   (defineDerivative: its rules are the derivative, the body is not lowered), and not marked
//   `// adc: noinline` (the user's way to keep a call and its pullback, as fixtures that test
//   pullback calls in loops do);
// - free of growing arrays (whose shadow length is spliced at the end of the region that made them).
// The callee's params are bound to the call's arguments: an array argument is the same reference,
// so the callee's loads and stores are the same memory accesses the call made, in the same order.
import * as path from "node:path";
import type { Builder } from "../ir/builder";
import { calleesOf, cycleThrough } from "../ir/call-graph";
import type { Func, Loc, Op, Region, Value } from "../ir/types";
import { holdsTensor } from "../ir/types";
import { substitute, walkOps } from "../ir/walk";

/** Callees of at most this many ops (nested ones counted) are inlined. */
export const inlineLimit = 60;

export interface InlineCandidate {
  readonly func: Func;
  /** Set for a function with a registered derivative (never inlined). */
  readonly custom?: unknown;
  /** `// adc: noinline` on the line before the function. */
  readonly noInline?: boolean;
}

/** Inlines small callees into the loops of every function, and tensor helpers anywhere; returns the keys of those changed. */
export function inlineSmallCallees(functions: ReadonlyMap<string, InlineCandidate>, b: Builder): Set<string> {
  const recursive = recursiveKeys(functions);
  const done = new Set<string>();
  const changed = new Set<string>();
  // Callees first, so a callee is measured, and copied, with its own loops' calls already inlined.
  const visit = (key: string) => {
    if (done.has(key)) return;
    done.add(key);
    const fn = functions.get(key);
    if (!fn || fn.custom) return;
    for (const callee of calleesOf(fn.func)) visit(callee);
    const target = (callee: string, inLoop: boolean) => {
      const found = inlinable(functions, recursive, callee);
      return found && (inLoop || holdsTensors(found)) ? found : undefined;
    };
    if (inlineInto(fn.func, target, b)) changed.add(key);
  };
  for (const key of functions.keys()) visit(key);
  return changed;
}

function inlinable(functions: ReadonlyMap<string, InlineCandidate>, recursive: ReadonlySet<string>, key: string): Func | undefined {
  const fn = functions.get(key);
  if (!fn || fn.custom || fn.noInline || recursive.has(key)) return undefined;
  const func = fn.func;
  let size = 0;
  let refused = false;
  walkOps(func.body, (op) => {
    size++;
    if (op.attrs.growable) refused = true;
  });
  return refused || size > inlineLimit ? undefined : func;
}

/** Whether a function takes, makes or returns tensors (objects and arrays of them included). */
function holdsTensors(func: Func): boolean {
  let found = func.params.some((p) => holdsTensor(p.value.type));
  walkOps(func.body, (op) => {
    if (op.prim.startsWith("tensor.") || op.results.some((v) => holdsTensor(v.type))) found = true;
  });
  return found;
}

/** Replaces the primal calls `callee` allows (inside loops, or of tensor helpers) by the callee's body; true if any was. */
function inlineInto(func: Func, callee: (key: string, inLoop: boolean) => Func | undefined, b: Builder): boolean {
  const results = new Map<Value, Value>();
  const visitRegion = (region: Region, inLoop: boolean) => {
    const ops: Op[] = [];
    const expand = (op: Op) => {
      const target = op.prim === "call" && op.attrs.variant === undefined ? callee(op.attrs.callee!, inLoop) : undefined;
      if (!target) {
        op.regions.forEach((r) => visitRegion(r, inLoop || op.prim === "while"));
        ops.push(op);
        return;
      }
      const copy = instantiate(target, op.args, b);
      copy.yields.forEach((v, i) => {
        // The caller's name for the result (`const forget = sigmoid(…)`) reads better than the callee's.
        if (op.results[i].hint && !target.params.some((p) => p.value === v)) v.hint = op.results[i].hint;
        results.set(op.results[i], v);
      });
      // The callee's own calls (outside its loops there) are now in a loop: inline them too.
      copy.ops.forEach(expand);
    };
    region.ops.forEach(expand);
    region.ops = ops;
  };
  visitRegion(func.body, false);
  if (results.size === 0) return false;
  // A result may be the result of a call inlined later (a callee returning its own call's value).
  const resolve = (v: Value): Value => {
    let r = v;
    while (results.has(r)) r = results.get(r)!;
    return r;
  };
  const map = new Map([...results.keys()].map((v) => [v, resolve(v)]));
  substitute(func.body, map);
  return true;
}

/** A copy of `callee`'s body with fresh values, its params bound to `args`, its locs marked. */
function instantiate(callee: Func, args: readonly Value[], b: Builder): { ops: Op[]; yields: Value[] } {
  const map = new Map<Value, Value>();
  callee.params.forEach((p, i) => map.set(p.value, args[i]));
  const use = (v: Value) => map.get(v) ?? v;
  const fresh = (v: Value) => {
    const copy = b.value(v.type, v.hint);
    map.set(v, copy);
    return copy;
  };
  const from = callee.loc ? `${callee.name} (${path.basename(callee.loc.file)}:${callee.loc.line})` : callee.name;
  const mark = (loc: Loc | undefined): Loc | undefined => (loc && !loc.inlinedFrom ? { ...loc, inlinedFrom: from } : loc);
  const cloneOp = (op: Op): Op => {
    const args = op.args.map(use);
    const regions = op.regions.map(cloneRegion);
    return { ...op, args, regions, results: op.results.map(fresh), loc: mark(op.loc) };
  };
  const cloneRegion = (r: Region): Region => {
    const params = r.params?.map(fresh);
    const ops = r.ops.map(cloneOp);
    return { ...(params ? { params } : {}), ops, yields: r.yields.map(use) };
  };
  const ops = callee.body.ops.map(cloneOp);
  return { ops, yields: callee.body.yields.map(use) };
}

/** Functions on a cycle of calls (themselves included): never inlined. */
function recursiveKeys(functions: ReadonlyMap<string, InlineCandidate>): Set<string> {
  const edges = new Map([...functions].map(([key, fn]) => [key, calleesOf(fn.func)]));
  return new Set([...functions.keys()].filter((key) => cycleThrough(key, edges)));
}
