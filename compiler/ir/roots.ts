// What memory a reference reaches. Arrays and objects are references; each points into one root
// (a parameter, an allocation, a literal, a call's result), through rows and fields, and a literal
// also holds the memory of the arrays and objects it was made from.
import type { Op, Region, Value } from "./types";
import { isAggregate } from "./types";
import { walkOps } from "./walk";

/**
 * The array or object a reference points into: itself for parameters, allocations, literals and
 * call results; through rows and fields otherwise (a field of an object literal is the memory it
 * was made from).
 */
export function rootFinder(body: Region, defs: ReadonlyMap<Value, Op> = definitions(body)): (v: Value) => Value {
  const rootOf = (v: Value): Value => {
    const def = defs.get(v);
    if (def?.prim !== "load" || !isAggregate(v.type)) return v;
    const from = defs.get(def.args[0]);
    const type = def.args[0].type;
    if (from?.prim === "struct" && type.kind === "struct") return rootOf(from.args[type.fields.findIndex((f) => f.name === def.attrs.field)]);
    return rootOf(def.args[0]);
  };
  return rootOf;
}

/** The op that defines each value of a body. */
export function definitions(body: Region): Map<Value, Op> {
  const defs = new Map<Value, Op>();
  walkOps(body, (op) => op.results.forEach((r) => defs.set(r, op)));
  return defs;
}

/**
 * The memory a reference may reach, by roots (parameters, allocations, literals): its own root
 * (through rows and fields), and for a literal the memory of the arrays and objects it holds.
 */
export function memoryRoots(body: Region): (v: Value) => Set<Value> {
  const defs = definitions(body);
  const rootOf = rootFinder(body, defs);
  const memo = new Map<Value, Set<Value>>();
  const reach = (v: Value): Set<Value> => {
    const root = rootOf(v);
    let known = memo.get(root);
    if (known) return known;
    known = new Set([root]);
    memo.set(root, known);
    const def = defs.get(root);
    if (def?.prim === "array" || def?.prim === "struct") {
      def.args.forEach((a, i) => {
        if (isAggregate(a.type) && !def.attrs.spread?.[i]) for (const r of reach(a)) known!.add(r);
      });
    }
    return known;
  };
  return reach;
}
