// The guard on a contribution of an adjoint that may be a structural zero (zero-adjoints.ts):
// `g === 0 ? 0 : c`, so a value no path taken used contributes nothing, whatever its local
// derivative. A contribution that vanishes with g by construction (g itself, −g, sums of such, g
// scaled by a finite constant) needs none: the guards stay where a local derivative could be
// singular or a factor non-finite.
import type { Builder } from "../ir/builder";
import type { Op, Value } from "../ir/types";

/**
 * `c`, made zero where the adjoint `g` is. `emitted` are the ops the rule built c from; `primal`
 * finds the definitions of the primal values it used (constants among them).
 */
export function guard(b: Builder, g: Value, c: Value, emitted: readonly Op[], primal: (v: Value) => Op | undefined): Value {
  const made = new Map<Value, Op>();
  for (const op of emitted) op.results.forEach((r) => made.set(r, op));
  if (vanishesWith(c, g, { get: (v) => made.get(v) ?? primal(v) })) return c;
  const scalar = c.type.kind === "f64" && g.type.kind === "f64";
  return b.op(scalar ? "guard" : "tensor.guardAdjoint", [g, c], c.type);
}

const passOn = new Set(["neg", "tensor.neg", "tensor.transpose", "tensor.unbroadcast", "tensor.sum", "tensor.fromItem"]);
const sums = new Set(["add", "sub", "tensor.add", "tensor.sub"]);

function vanishesWith(c: Value, g: Value, defs: { get(v: Value): Op | undefined }): boolean {
  if (c === g) return true;
  const def = defs.get(c);
  if (!def) return false;
  const finite = (v: Value, nonzero = false) => {
    const value = defs.get(v)?.prim === "const" ? defs.get(v)!.attrs.value : undefined;
    return typeof value === "number" && Number.isFinite(value) && (!nonzero || value !== 0);
  };
  const [x, y] = def.args;
  if (passOn.has(def.prim)) return vanishesWith(x, g, defs);
  if (sums.has(def.prim)) return vanishesWith(x, g, defs) && vanishesWith(y, g, defs);
  if (def.prim === "mul" || def.prim === "tensor.mul") {
    return (vanishesWith(x, g, defs) && finite(y)) || (finite(x) && vanishesWith(y, g, defs));
  }
  if (def.prim === "div") return vanishesWith(x, g, defs) && finite(y, true);
  if (def.prim === "select") {
    const zeroOr = (v: Value) => vanishesWith(v, g, defs) || (defs.get(v)?.prim === "const" && defs.get(v)!.attrs.value === 0);
    return zeroOr(def.args[1]) && zeroOr(def.args[2]);
  }
  return false;
}
