// `a[i] = 0; …; a[i] += v` → `…; a[i] = v`. The reverse sweep clears an adjoint element when it
// hands its value on (a store's reverse), and a read of the old value earlier in the same code then
// adds into it again; when nothing in between can touch that element, the clear and the add are
// one store. Like fold's x + 0 = x, this does not keep the sign of a zero adjoint.
//
// "Nothing in between": no op on memory that may alias the array. Two arrays are apart only when
// both hang off different allocations of this function (alloc, zerosLike: shadows and scratch);
// parameters, and shadows a pullback is passed, may be one array.
import type { Op, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { walkOps } from "../ir/walk";

export function forwardZeroStores(body: Region): void {
  const defs = new Map<Value, Op>();
  walkOps(body, (op) => op.results.forEach((r) => defs.set(r, op)));
  const rootOf = (v: Value): Value => {
    const def = defs.get(v);
    return def?.prim === "load" && isAggregate(v.type) ? rootOf(def.args[0]) : v;
  };
  const fresh = (root: Value) => {
    const prim = defs.get(root)?.prim;
    return prim === "alloc" || prim === "zerosLike";
  };
  const mayAlias = (a: Value, b: Value) => {
    const ra = rootOf(a);
    const rb = rootOf(b);
    return ra === rb || !fresh(ra) || !fresh(rb);
  };
  const isZero = (v: Value) => {
    const def = defs.get(v);
    return def?.prim === "const" && def.attrs.value === 0;
  };
  /** Whether the op may read or write memory the array `a` may share. */
  const touches = (op: Op, a: Value): boolean => {
    if (op.prim === "length" || op.prim === "push" || op.prim === "pop") return false;
    let hit = false;
    walkOps({ ops: [op], yields: [] }, (o) => {
      if (o.prim !== "length" && o.args.some((x) => isAggregate(x.type) && mayAlias(x, a))) hit = true;
    });
    return hit;
  };
  const visit = (region: Region) => {
    for (let j = 0; j < region.ops.length; j++) {
      const clear = region.ops[j];
      clear.regions.forEach(visit);
      if (clear.prim !== "store" || clear.attrs.field !== undefined || !isZero(clear.args[2])) continue;
      const [array, index] = clear.args;
      for (let k = j + 1; k < region.ops.length; k++) {
        const op = region.ops[k];
        // (A tensor is added into place, never stored: the gradient must not share its storage.)
        const same = op.prim === "storeAdd" && op.attrs.field === undefined && op.args[0] === array && op.args[1] === index && op.args[2].type.kind === "f64";
        if (same) {
          region.ops[k] = { ...op, prim: "store" };
          region.ops.splice(j, 1);
          j--;
          break;
        }
        if (touches(op, array)) break;
      }
    }
  };
  visit(body);
}
