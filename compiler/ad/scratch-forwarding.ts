// Store-to-load forwarding across sibling loops, for scratch arrays a loop overwrites every
// iteration. In
//
//   for (let j = 0; j < d; j++) xc[j] = x[i * d + j] - mu[j];   // the filling loop
//   for (let jj = 0; jj < d; jj++) { … xc[jj] … }              // the reading loop
//
// the read xc[jj] is, element for element, the value the filling loop stored at j = jj: both loops
// count the same indices (same start, step and bound) and nothing writes xc in between. The
// reverse sweep of the reading loop cannot read xc again (later iterations of an enclosing loop
// overwrite it), but it can make the stored value again from j := jj when that value is cheap, and
// so tapes nothing for it.
import type { Op, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { writes } from "../ir/effects";
import type { ReverseTransform } from "./reverse";
import type { Counter } from "./trip-count";

export interface ForwardedStore {
  /** The value the filling loop stored. */
  readonly value: Value;
  /** The filling loop's body, where `value` is defined. */
  readonly body: Region;
  /** The filling loop's counter (its body parameter), which stands for the read's index. */
  readonly counter: Value;
}

/**
 * The store that `load` (an op of `loop`'s body, indexed by `loop`'s own counter) reads from, when
 * a sibling loop before `loop` filled the array at exactly the indices `loop` counts.
 */
export function forwardedStore(
  t: ReverseTransform,
  loop: Op,
  load: Op,
  countersOf: (loop: Op) => ReadonlyMap<Value, Counter>,
  constant: (v: Value) => number | undefined,
): ForwardedStore | undefined {
  const [array, index] = load.args;
  if (load.args.length !== 2 || isAggregate(load.results[0].type)) return undefined;
  const body = loop.regions[1];
  const reading = countersOf(loop).get(index);
  if (!reading || reading.step !== 1 || !body.ops.includes(load)) return undefined;
  const root = t.activity.rootOf(array);
  const writesRoot = (op: Op): boolean => {
    let hit = false;
    const visit = (o: Op) => {
      if (o.prim === "call") hit ||= o.args.some((a) => isAggregate(a.type)); // a callee may write what it is passed
      else if (writes(o) && o.regions.length === 0) hit ||= o.args.some((a) => isAggregate(a.type) && t.activity.rootOf(a) === root);
      o.regions.forEach((r) => r.ops.forEach(visit));
    };
    visit(op);
    return hit;
  };
  // Nothing in the reading loop writes the array (every read sees what the filling loop left)…
  if (body.ops.some(writesRoot)) return undefined;
  const parent = t.regionOf(loop);
  if (!parent) return undefined;
  // … nor anything between the filling loop and the reading loop.
  for (let i = parent.ops.indexOf(loop) - 1; i >= 0; i--) {
    const filling = parent.ops[i];
    if (!writesRoot(filling)) continue;
    const found = filling.prim === "while" ? fillingStore(t, filling, array, countersOf(filling), writesRoot) : undefined;
    if (!found) return undefined;
    const filled = countersOf(filling).get(found.counter)!;
    return sameRange(loop, index, reading, filling, found.counter, filled, constant) ? found : undefined;
  }
  return undefined;
}

/** The one store of `filling`'s body into the array, at the body's top level and at its counter. */
function fillingStore(
  t: ReverseTransform,
  filling: Op,
  array: Value,
  counters: ReadonlyMap<Value, Counter>,
  writesRoot: (op: Op) => boolean,
): ForwardedStore | undefined {
  const body = filling.regions[1];
  const stores = body.ops.filter(writesRoot);
  if (stores.length !== 1) return undefined;
  const [store] = stores;
  if (store.prim !== "store" || store.args[0] !== array) return undefined;
  const counter = store.args[1];
  const c = counters.get(counter);
  if (!c || c.step !== 1) return undefined;
  return { value: store.args[2], body, counter };
}

/** Whether two loops count the same indices: the same start, step one, the same test of the same bound. */
function sameRange(
  a: Op, ia: Value, ca: Counter, b: Op, ib: Value, cb: Counter, constant: (v: Value) => number | undefined,
): boolean {
  const start = constant(ca.init);
  if (a.attrs.post || b.attrs.post || (ca.init !== cb.init && (start === undefined || start !== constant(cb.init)))) return false;
  const test = (loop: Op, counter: Value) => {
    const [cond, body] = loop.regions;
    const param = cond.params![body.params!.indexOf(counter)];
    const op = cond.ops.length === 1 ? cond.ops[0] : undefined;
    return op && op.results[0] === cond.yields[0] && op.args[0] === param ? { prim: op.prim, bound: op.args[1] } : undefined;
  };
  const ta = test(a, ia);
  const tb = test(b, ib);
  return ta !== undefined && tb !== undefined && ta.prim === tb.prim && ta.bound === tb.bound;
}
