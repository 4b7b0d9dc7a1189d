// An `if` reverses into an `if` on the same condition whose results are the outer adjoints its
// branches changed. Values a reverse branch needs from inside its forward branch are yielded out
// of the forward `if` (they are its residuals); constants are simply made again.
import type { Builder } from "../ir/builder";
import type { Op, Region, Value } from "../ir/types";
import { f64, isAggregate } from "../ir/types";
import { constantDefs, definedIn, freeValues, substitute } from "../ir/walk";
import type { Adjoints, ReverseTransform, Shadows } from "./reverse";
import { cheap } from "./reverse-loop";

export function reverseIf(t: ReverseTransform, op: Op, gs: (Value | undefined)[], adjoints: Adjoints, shadows: Shadows): void {
  const b = t.b;
  const branches = op.regions.map((primalBranch) => {
    const local: Adjoints = adjoints.child();
    const { region } = b.inRegion(() => {
      primalBranch.yields.forEach((y, i) => t.accumulate(local, y, gs[i]));
      t.region(primalBranch, local, shadows.child());
    });
    return { primalBranch, region, local, inside: definedIn(primalBranch) };
  });

  // The outer adjoints either branch changed become the results of the reverse `if`.
  const changed = new Set<Value>();
  for (const { local, inside } of branches) {
    for (const [v, adj] of local.ownEntries()) if (adjoints.get(v) !== adj && !inside.has(v)) changed.add(v);
  }
  const outer = [...changed].sort((x, y) => x.id - y.id);
  for (const { region, local } of branches) {
    region.yields = outer.map((v) => local.get(v) ?? adjoints.get(v) ?? b.into(region, () => b.zeroLike(v)));
  }
  const reversed = b.emit("if", [op.args[0]], outer.map((v) => (v.type.kind === "tensor" ? v.type : f64)), {}, branches.map((x) => x.region));
  outer.forEach((v, i) => {
    reversed.results[i].adjointOf = v;
    adjoints.set(v, reversed.results[i]);
  });

  branches.forEach(({ primalBranch, region, inside }, k) => {
    const constants = constantDefs(primalBranch);
    const defs = new Map<Value, Op>();
    for (const o of primalBranch.ops) o.results.forEach((r) => defs.set(r, o));
    // Until the reverse branch reads nothing from inside the forward one: constants, references
    // into arrays and objects (`m[i]`, `p.w`), reads of memory nothing writes later and cheap
    // arithmetic on such values are made again; other values leave as results. (Inside a loop a
    // result goes on the tape, so making a value again saves a push and a pop per iteration.)
    const again = (v: Value, def: Op | undefined): def is Op =>
      def !== undefined && (def.prim === "const" || (def.prim === "load" && (isAggregate(v.type) || t.frozenAt(op, t.activity.rootOf(def.args[0])))) ||
        (cheap.has(def.prim) && def.regions.length === 0));
    const order = new Map(primalBranch.ops.map((o, i) => [o, i]));
    for (let needed = neededFrom(region, inside); needed.length > 0; needed = neededFrom(region, inside)) {
      const lifted = new Map<Value, Value>();
      // Later definitions first: each is put at the front of the reverse branch, before what uses it.
      const byDef = (v: Value) => order.get(defs.get(v)!) ?? -1;
      for (const v of needed.sort((x, y) => byDef(y) - byDef(x))) {
        const def = constants.get(v) ?? defs.get(v);
        if (again(v, def)) {
          const again = b.value(v.type, v.hint);
          again.adjointOf = v.adjointOf;
          region.ops.unshift({ ...def, args: [...def.args], results: [again], regions: [] });
          lifted.set(v, again);
          continue;
        }
        const result = b.value(v.type, v.hint);
        result.adjointOf = v.adjointOf;
        op.results.push(result);
        op.regions.forEach((r, j) => {
          r.yields.push(j === k ? v : b.into(r, () => placeholder(b, v)));
        });
        lifted.set(v, result);
      }
      substitute(region, lifted);
    }
  });
}

function neededFrom(region: Region, inside: Set<Value>): Value[] {
  return freeValues(region).filter((v) => inside.has(v));
}

/** What the other branches yield for a value lifted out of one: never read there. */
function placeholder(b: Builder, v: Value): Value {
  if (v.type.kind === "bool") return b.bool(false);
  if (v.type.kind === "f64") return b.const(0);
  if (v.type.kind === "array") return b.op("alloc", [b.const(0)], v.type, { container: v.type.container });
  if (v.type.kind === "tensor") return b.op("emptyTensor", [], v.type);
  throw new Error(`adc internal error: a ${v.type.kind} would leave a branch`);
}
