// Reads of literals nothing writes: `[x, y][0]` is x and `{ u: a }.u` is a. A literal is new
// memory made once; until some op writes it (a store, an adjoint helper, a call that may write its
// arguments), every read of an element at a constant index is the element it was made from. This
// is what makes a tuple a callee returns (gathered into an `array` op) cost nothing to read.
import type { Op, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { memoryRoots } from "../ir/roots";
import { walkOps } from "../ir/walk";

const writers = new Set(["store", "storeAdd", "fill", "drain", "addSlice", "addTo"]);

/** Given a `load` and the known constants, the element it reads when that is a literal's argument. */
export type LiteralRead = (load: Op, constants: ReadonlyMap<Value, number | boolean>) => Value | undefined;

export function literalReads(body: Region): LiteralRead {
  const defs = new Map<Value, Op>();
  walkOps(body, (op) => op.results.forEach((r) => defs.set(r, op)));
  // A write through a row of a literal (`rows[i].x += …`, i not known) may reach any memory the
  // literal holds: every root it reaches counts as written, not only the literal's own.
  const reach = memoryRoots(body);
  const written = new Set<Value>();
  const write = (v: Value) => reach(v).forEach((r) => written.add(r));
  walkOps(body, (op) => {
    if (writers.has(op.prim)) write(op.args[0]);
    if (op.prim !== "call") return;
    // A pullback adds into the shadows it is passed; a primal or tangent call writes what its callee writes.
    const mayWrite = op.attrs.variant === "pullback" || op.attrs.variant === "pullbackTangent" ? op.args.map((_, i) => i) : (op.attrs.writes ?? []);
    for (const i of mayWrite) if (isAggregate(op.args[i].type)) write(op.args[i]);
  });
  return (load, constants) => {
    const literal = defs.get(load.args[0]);
    if (!literal || written.has(load.args[0]) || (literal.prim !== "array" && literal.prim !== "struct")) return undefined;
    const type = load.args[0].type;
    if (literal.prim === "struct") {
      return type.kind === "struct" && load.attrs.field !== undefined ? literal.args[type.fields.findIndex((f) => f.name === load.attrs.field)] : undefined;
    }
    const i = constants.get(load.args[1]);
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= literal.args.length) return undefined;
    // A spread before the element moves it by a length known only at run time.
    if (literal.attrs.spread?.slice(0, i + 1).some(Boolean)) return undefined;
    return literal.args[i];
  };
}
