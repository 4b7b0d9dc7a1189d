// Which ops touch memory. Scalars are SSA values and every scalar op is pure; arrays and objects
// are references, so ops on them are ordered: passes must not merge, drop or move them freely.
//
//   load(a, i) / load(o) {field}      read an element or a field (a projection when the result is
//                                     an array or object: a reference into the same memory)
//   store(a, i, v) / storeAdd(a, i, v)  write (storeAdd: `a[i] += v`, used for adjoints)
//   fill(a, v)                        write every element
//   alloc(n) {container}              a new zero-filled array; slice(a, s, e) a new copy
//   array(x, y, …) {spread?}          an array literal `[x, y]`, `[...a, y]` (reads a spread array)
//   struct(x, y, …)                   an object literal, one argument per field of its type
//   copy(a)                           a deep copy of an array or object (a snapshot)
//   zerosLike(x)                      a new zero-filled array or object of x's shape (adjoints)
//   length(a)                         an array's length (immutable: arrays never change length)
//   push(v) / pop() {type}            the tape: values the reverse sweep of a loop needs
//   drain(a)                          the sum of a's elements, zeroing them (adjoint of fill)
//   addSlice(a, s, b)                 a[s + j] += b[j] (adjoint of slice)
//   addTo(a, b)                       a += b, element by element at every level (adjoints)
import type { Op, Region } from "./types";
import { isAggregate } from "./types";

const writing = new Set(["store", "storeAdd", "fill", "push", "pop", "drain", "addSlice", "addTo", "tapeMark", "tapeTake", "tapeRestore"]);
const reading = new Set(["load", "slice", "zerosLike", "array", "copy"]);
const allocating = new Set(["alloc", "slice", "zerosLike", "emptyTensor", "array", "struct", "copy"]);

/**
 * The op writes memory (or the tape): it must stay, in order. A pullback adds into the shadows it
 * is passed; a call of a function that writes its arguments writes them.
 */
export function writes(op: Op): boolean {
  return writing.has(op.prim) || op.regions.some(regionWrites) ||
    (op.prim === "call" && (op.attrs.variant === "pullback" || op.attrs.variant === "pullbackTangent") && op.args.some((a) => isAggregate(a.type))) ||
    (op.prim === "call" && (op.attrs.writes?.length ?? 0) > 0);
}

export function regionWrites(region: Region): boolean {
  return region.ops.some(writes);
}

/** The op's result depends on memory or is a new object: two such ops are never the same value. */
export function isOrdered(op: Op): boolean {
  return reading.has(op.prim) || allocating.has(op.prim) || writes(op) ||
    (op.prim === "call" && op.args.some((a) => isAggregate(a.type)));
}
