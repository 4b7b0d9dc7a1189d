// Activity analysis, forward half: which values vary with the differentiated inputs. Only those
// get adjoints; the backward half (does a value reach the output?) falls out of the reverse sweep,
// which only visits ops whose results already have an adjoint.
//
// Memory makes it a fixed point: storing a varied number into an array makes the whole array (its
// root: the parameter or allocation it is part of) varied, and loads from it, even earlier in a
// loop, vary too. Loop-carried values vary when their initial value or any iteration's does.
import type { Op, Region, Value } from "../ir/types";
import { isAggregate, isDifferentiable } from "../ir/types";
import { walkOps } from "../ir/walk";
import { memoryRoots, rootFinder } from "../ir/roots";

export interface Activity {
  /** Scalars that vary, and arrays/objects whose memory varies. */
  readonly varied: Set<Value>;
  /** The array or object a reference points into (itself for parameters and allocations). */
  readonly rootOf: (v: Value) => Value;
  /** Roots some op writes to (the rest are read-only: their loads can be repeated at will). */
  readonly written: Set<Value>;
  /**
   * Roots the function's own stores or a callee write: where varied numbers may land. A pullback
   * call's count too: it adds into the shadows it is passed, and differentiated again (a Hessian)
   * what it adds varies, so forward mode must give those shadows tangents.
   */
  readonly stored: Set<Value>;
}

export function analyzeActivity(body: Region, inputs: readonly Value[]): Activity {
  const rootOf = rootFinder(body);
  const reach = memoryRoots(body);
  const written = new Set<Value>();
  const stored = new Set<Value>();
  walkOps(body, (op) => {
    if (op.prim === "store" || op.prim === "storeAdd" || op.prim === "fill" || op.prim === "addSlice" || op.prim === "addTo") {
      // Through a row of a literal at an index not known (`rows[i].x += …`): any memory it holds.
      for (const r of reach(op.args[0])) {
        written.add(r);
        stored.add(r);
      }
    }
    for (const v of writtenByCall(op)) {
      for (const r of reach(v)) {
        written.add(r);
        stored.add(r);
      }
    }
  });

  const varied = new Set<Value>();
  const roots = new Set<Value>();
  let changed = true;
  let pushedVaried = false;
  const mark = (v: Value) => {
    if (!isDifferentiable(v.type)) return;
    if (isAggregate(v.type)) {
      const root = rootOf(v);
      if (!roots.has(root)) { roots.add(root); changed = true; }
      return;
    }
    if (!varied.has(v)) { varied.add(v); changed = true; }
  };
  const isVaried = (v: Value) => (isAggregate(v.type) ? roots.has(rootOf(v)) : varied.has(v));
  // A store through a row of a literal may land in any memory the literal holds.
  const markStored = (v: Value) => reach(v).forEach(mark);
  inputs.forEach(mark);

  const visit = (region: Region) => {
    for (const op of region.ops) {
      switch (op.prim) {
        case "if":
          op.regions.forEach(visit);
          op.results.forEach((r, i) => op.regions.some((branch) => isVaried(branch.yields[i])) && mark(r));
          break;
        case "while": {
          const [cond, loopBody] = op.regions;
          op.args.forEach((init, i) => {
            if (isVaried(init) || isVaried(loopBody.yields[i])) {
              mark(cond.params![i]);
              mark(loopBody.params![i]);
              mark(op.results[i]);
            }
          });
          op.regions.forEach(visit);
          break;
        }
        case "store":
        case "storeAdd":
        case "fill":
          if (isVaried(op.args[op.args.length - 1])) markStored(op.args[0]);
          break;
        case "addSlice":
          if (isVaried(op.args[2])) markStored(op.args[0]);
          break;
        case "addTo":
          if (isVaried(op.args[1])) markStored(op.args[0]);
          break;
        case "push":
          // A reverse sweep being differentiated again: what it pops varies if what was pushed did.
          if (isVaried(op.args[0]) && !pushedVaried) { pushedVaried = true; changed = true; }
          break;
        case "pop":
          if (pushedVaried) mark(op.results[0]);
          break;
        case "load":
        case "slice":
          // An index never carries a derivative: only the memory read does.
          if (isVaried(op.args[0])) mark(op.results[0]);
          break;
        case "length":
        case "alloc":
          break;
        default:
          if (op.args.some(isVaried)) {
            op.results.forEach(mark);
            // A callee that writes an argument may store the varied values into its memory.
            for (const v of writtenByCall(op)) for (const r of reach(v)) mark(r);
          }
      }
    }
  };
  while (changed) {
    changed = false;
    visit(body);
  }
  // Report aggregates by every reference into varied memory, so callers can ask about any of them.
  // (parameters outside `wrt` included: storing a varied number into one makes it vary).
  walkOps(body, (op) => {
    for (const v of [...op.args, ...op.results]) if (isAggregate(v.type) && roots.has(rootOf(v))) varied.add(v);
  });
  for (const v of inputs) if (isAggregate(v.type) && isDifferentiable(v.type)) varied.add(v);
  return { varied, rootOf, written, stored };
}


/**
 * The arguments a call may write: what its callee stores into (the primal and its tangent), or
 * the shadows a pullback adds into (every array or object it is passed, to be safe).
 */
export function writtenByCall(op: Op): Value[] {
  if (op.prim !== "call") return [];
  if (op.attrs.variant === "pullback" || op.attrs.variant === "pullbackTangent") return op.args.filter((a) => isAggregate(a.type));
  return (op.attrs.writes ?? []).map((i) => op.args[i]);
}
