// The trip count of a counted loop, derived instead of counted: `for (let i = a; i < n; i += s)`
// with a loop-invariant bound n, a whole-number start a and a constant whole step s, and no other
// way out (no break: its exit flag would join the condition) runs ⌈(n − a) / s⌉ times when that is
// positive, and the reverse loop `for (k = count − 1; k >= 0; k--)` runs not at all otherwise
// (NaN included), so no clamp is needed. The count is a few cheap ops on values from outside the
// loop, which an enclosing reverse loop makes again instead of taping it once per execution.
//
// Exactness: a + k·s is exact for whole numbers below 2^53 (so the counter takes exactly those
// values), and n − a and its quotient by s round only when they pass 2^52, far beyond any loop that
// ends.
import type { Op, Region, Value } from "../ir/types";
import { f64 } from "../ir/types";
import { definedIn } from "../ir/walk";
import type { Builder } from "../ir/builder";

export interface Counter {
  readonly init: Value;
  readonly step: number;
}

/** Comparisons a counted loop may test, with the direction of step they count. */
const tests: Record<string, { rising: boolean; inclusive: boolean }> = {
  lt: { rising: true, inclusive: false },
  le: { rising: true, inclusive: true },
  gt: { rising: false, inclusive: false },
  ge: { rising: false, inclusive: true },
};
const mirrored: Record<string, string> = { lt: "gt", le: "ge", gt: "lt", ge: "le" };
/** Ops a loop condition may compute its bound with, and that are safe to compute once before it. */
const hoistable = new Set(["const", "global", "add", "sub", "mul", "neg", "length"]);

/**
 * Emits, into `region` before the loop at `index`, the trip count of `loop` when its condition is
 * a counter tested against an invariant bound; returns it, or undefined (the loop must count).
 */
export function derivedTripCount(
  b: Builder,
  region: Region,
  index: number,
  loop: Op,
  counters: ReadonlyMap<Value, Counter>,
  { integer, constant }: { integer: (v: Value) => boolean; constant: (v: Value) => number | undefined },
): Value | undefined {
  if (loop.attrs.post) return undefined; // a do…while runs once before its first test
  const [cond, body] = loop.regions;
  const test = cond.ops.find((o) => o.results[0] === cond.yields[0]);
  if (!test || !tests[test.prim]) return undefined;
  const slotOf = (v: Value) => cond.params!.indexOf(v);
  let prim = test.prim;
  let [counterParam, bound] = test.args;
  if (slotOf(counterParam) < 0) {
    [bound, counterParam] = test.args; // `n > i` is `i < n`
    prim = mirrored[prim];
  }
  const slot = slotOf(counterParam);
  const counter = slot < 0 ? undefined : counters.get(body.params![slot]);
  if (!counter) return undefined;
  const { rising, inclusive } = tests[prim];
  if (counter.step === 0 || counter.step > 0 !== rising) return undefined;

  // The bound, computed once before the loop (the condition may compute it each test: `i < c - 1`).
  const inLoop = definedIn({ ops: [loop], yields: [] });
  const ops: Op[] = [];
  const make = (prim: string, args: Value[], attrs = {}): Value => {
    const result = b.value(f64);
    ops.push({ prim, args, results: [result], attrs, regions: [], loc: loop.loc });
    return result;
  };
  const condDefs = new Map(cond.ops.map((o) => [o.results[0], o]));
  const outside = (v: Value): Value | undefined => {
    if (!inLoop.has(v)) return v;
    const def = condDefs.get(v);
    if (!def || !hoistable.has(def.prim) || def.results.length !== 1) return undefined;
    const args: Value[] = [];
    for (const a of def.args) {
      const x = outside(a);
      if (!x) return undefined;
      args.push(x);
    }
    return make(def.prim, args, def.attrs);
  };
  const limit = outside(bound);
  if (!limit) return undefined;

  // Iterations: ⌈span / |step|⌉ for a strict test, ⌊span / |step|⌋ + 1 for an inclusive one; a
  // span of whole numbers stepped by one needs no rounding.
  const fromZero = rising && constant(counter.init) === 0;
  const span = fromZero ? limit : rising ? make("sub", [limit, counter.init]) : make("sub", [counter.init, limit]);
  const stride = Math.abs(counter.step);
  const steps = stride === 1 ? span : make("div", [span, make("const", [], { value: stride })]);
  const whole = stride === 1 && integer(counter.init) && integer(bound);
  const count = inclusive
    ? make("add", [whole ? steps : make("floor", [steps]), make("const", [], { value: 1 })])
    : whole ? steps : make("ceil", [steps]);
  if (count !== limit) count.hint = "trips";
  region.ops.splice(index, 0, ...ops);
  return count;
}
