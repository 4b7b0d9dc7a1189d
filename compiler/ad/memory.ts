// Reverse rules for memory. Every array or object that varies has shadow memory of the same
// shape holding its adjoint (`x_bar` for a parameter x). Reading `a[i]` adds the read value's
// adjoint into `a_bar[i]`; writing `a[i] = v` hands `a_bar[i]` to v and clears it (the old value
// is gone, so nothing flows to it). A reference into an aggregate (`m[i]`, `p.mu`) is shadowed by
// the same reference into the shadow (`m_bar[i]`, `p_bar.mu`), made again in the reverse sweep.
// A literal hands each element its slot of the shadow; its rows share their shadows with it.
import type { Op, Region, Value } from "../ir/types";
import { f64, isAggregate } from "../ir/types";
import { writes } from "../ir/effects";
import { hasAdjoint, type Adjoints, type ReverseTransform, type Shadows } from "./reverse";

type MemoryRule = (t: ReverseTransform, op: Op, g: Value | undefined, adjoints: Adjoints, shadows: Shadows) => void;

export const memoryRules: Record<string, MemoryRule> = {
  load(t, op, g, _adjoints, shadows) {
    const shadow = shadows.get(op.args[0]);
    if (!g || !shadow || isAggregate(op.results[0].type)) return;
    t.b.emit("storeAdd", [shadow, ...op.args.slice(1), g], [], op.attrs);
  },
  store(t, op, _g, adjoints, shadows) {
    const [array, index, value] = op.args;
    const shadow = shadows.get(array);
    if (!shadow) return;
    const b = t.b;
    const g = b.op("load", [shadow, index]);
    const increment = incrementOf(t, op);
    if (increment) {
      // a[i] += e: the element keeps its adjoint (cleared and given back), and e gets it too.
      g.adjointOf = increment.by;
      t.accumulate(adjoints, increment.by, increment.sign > 0 ? g : b.neg(g));
      return;
    }
    g.adjointOf = value;
    b.emit("store", [shadow, index, b.const(0)], []);
    t.accumulate(adjoints, value, g);
  },
  fill(t, op, _g, adjoints, shadows) {
    const [array, value] = op.args;
    const shadow = shadows.get(array);
    if (!shadow) return;
    // Every element was overwritten by the one value: it receives all their adjoints.
    t.accumulate(adjoints, value, t.b.op("drain", [shadow]));
  },
  slice(t, op, _g, _adjoints, shadows) {
    const [source, start] = op.args;
    const from = shadows.get(op.results[0]);
    const into = shadows.get(source);
    if (from && into) t.b.emit("addSlice", [into, start, from], []);
  },
  array(t, op, _g, adjoints, shadows) {
    const shadow = shadows.get(op.results[0]);
    if (!shadow) return;
    // Each number element takes its slot's adjoint, a spread array its run of slots (rows of
    // arrays and objects share their shadows with the literal's: nothing to do for them).
    const b = t.b;
    let fixed = 0;
    let runs: Value | undefined;
    const at = () => (runs ? (fixed === 0 ? runs : b.add(runs, b.const(fixed))) : b.const(fixed));
    op.args.forEach((x, i) => {
      if (isAggregate(x.type) && !op.attrs.spread?.[i]) {
        handRow(t, shadow, x, shadows, () => b.op("load", [shadow, b.const(i)], x.type));
        return;
      }
      if (op.attrs.spread?.[i]) {
        const start = at();
        const length = b.op("length", [x]);
        const into = shadows.get(x);
        if (into) b.emit("addSlice", [into, b.const(0), b.op("slice", [shadow, start, b.add(start, length)], shadow.type)], []);
        runs = runs ? b.add(runs, length) : length;
        return;
      }
      if (hasAdjoint(x) && t.varied.has(x)) {
        const g = b.op("load", [shadow, at()], x.type);
        g.adjointOf = x;
        t.accumulate(adjoints, x, g);
      }
      fixed++;
    });
  },
  struct(t, op, _g, adjoints, shadows) {
    const shadow = shadows.get(op.results[0]);
    const type = op.results[0].type;
    if (!shadow || type.kind !== "struct") return;
    type.fields.forEach((f, i) => {
      const x = op.args[i];
      if (isAggregate(x.type)) handRow(t, shadow, x, shadows, () => t.b.op("load", [shadow], x.type, { field: f.name }));
      if (!hasAdjoint(x) || !t.varied.has(x)) return;
      const g = t.b.op("load", [shadow], x.type, { field: f.name });
      g.adjointOf = x;
      t.accumulate(adjoints, x, g);
    });
  },
  alloc() {},
  copy() {},
  length() {},
};

/**
 * `a[i] = a[i] ± e` with nothing in between writing memory and the old value and the sum used
 * nowhere else: the store increments the element by e.
 */
function incrementOf(t: ReverseTransform, store: Op): { by: Value; sign: number } | undefined {
  const [array, index, value] = store.args;
  const sum = t.defOf(value);
  if (!sum || (sum.prim !== "add" && sum.prim !== "sub") || t.usesOf(value) !== 1) return undefined;
  const [old, by] = sum.args;
  const load = t.defOf(old);
  if (load?.prim !== "load" || load.args[0] !== array || load.args[1] !== index || t.usesOf(old) !== 1) return undefined;
  const region = t.regionOf(store);
  if (!region || t.regionOf(load) !== region) return undefined;
  const from = region.ops.indexOf(load);
  const to = region.ops.indexOf(store);
  if (from < 0 || from > to || region.ops.slice(from + 1, to).some(writes)) return undefined;
  return { by, sign: sum.prim === "add" ? 1 : -1 };
}

/**
 * At the start of a region's reverse: the shadows of the references the region makes (projections
 * of shadows, fresh zero arrays for its allocations), in forward order.
 */
export function shadowPrologue(t: ReverseTransform, region: Region, shadows: Shadows): void {
  const b = t.b;
  // An `if` that yields arrays or objects its branches made (`c ? [a, b] : [b, a]`) has zeros for
  // their shadow here, which each reverse branch takes as the shadow of what it made.
  for (const op of region.ops) {
    if (op.prim !== "if") continue;
    for (const v of op.results) {
      if (!isAggregate(v.type) || !t.varied.has(v) || shadows.get(v)) continue;
      const shadow = b.op("zerosLike", [v], v.type);
      shadow.adjointOf = v;
      shadows.set(v, shadow);
    }
  }
  const made = region.ops.filter((op) => op.results.length === 1 && isAggregate(op.results[0].type) && t.varied.has(op.results[0]));
  for (const op of made) {
    const v = op.results[0];
    if (shadows.get(v)) continue; // a result: its shadow is the seed
    let shadow: Value | undefined;
    if (op.prim === "array" || op.prim === "struct") {
      shadow = literalShadow(t, op, shadows);
    } else if (op.prim === "call") {
      shadow = b.op("zerosLike", [v], v.type);
    } else if (op.prim === "if") {
      continue; // above
    } else if (op.prim === "load") {
      const parent = shadows.get(op.args[0]);
      if (parent) shadow = b.op("load", [parent, ...op.args.slice(1)], v.type, op.attrs);
    } else if (op.prim === "alloc" && op.attrs.growable) {
      // A growing array never shrinks: at the end of the region it is as long as it ever was.
      const length = b.value(f64);
      region.ops.push({ prim: "length", args: [v], results: [length], attrs: {}, regions: [], loc: op.loc });
      shadow = b.op("alloc", [length], v.type, { container: op.attrs.container });
    } else if (op.prim === "alloc") {
      shadow = b.op("alloc", [op.args[0]], v.type, op.attrs);
    } else if (op.prim === "slice" && v.type.kind === "array") {
      // The slice's length, taken in the forward sweep: a number can be carried where an array cannot.
      const length = b.value(op.args[1].type);
      region.ops.splice(region.ops.indexOf(op) + 1, 0, { prim: "length", args: [v], results: [length], attrs: {}, regions: [], loc: op.loc });
      shadow = b.op("alloc", [length], v.type, { container: v.type.container });
    }
    if (!shadow) continue;
    shadow.adjointOf = v;
    shadows.set(v, shadow);
  }
}

/**
 * The shadow of a literal: zeros of its shape where it holds numbers; where it holds arrays or
 * objects, their own shadows, so that adjoints added through the literal reach them.
 */
function literalShadow(t: ReverseTransform, op: Op, shadows: Shadows): Value {
  const b = t.b;
  const v = op.results[0];
  const rowOf = (x: Value) => shadows.get(x) ?? b.op("zerosLike", [x], x.type);
  let shadow: Value;
  if (v.type.kind === "array") {
    if (!isAggregate(v.type.element)) return b.op("zerosLike", [v], v.type);
    shadow = b.op("array", op.args.map(rowOf), v.type);
  } else {
    shadow = b.op("struct", op.args.map((x) => (x.type.kind === "f64" ? b.const(0) : isAggregate(x.type) ? rowOf(x) : b.zeroLike(x))), v.type);
  }
  sharing.add(shadow);
  return shadow;
}

/** Shadows of literals made of their rows' shadows (the rest — seeds, an `if`'s — are memory of their own). */
const sharing = new WeakSet<Value>();

/**
 * A row (an array or object) of a literal whose shadow is memory of its own (the seed of a
 * result, an `if`'s): the row's part of that shadow is added into the row's shadow.
 */
function handRow(t: ReverseTransform, shadow: Value, row: Value, shadows: Shadows, part: () => Value): void {
  const own = shadows.get(row);
  if (sharing.has(shadow) || !own) return;
  t.b.emit("addTo", [own, part()], []);
}
