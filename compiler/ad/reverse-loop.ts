// A `while` reverses into a counted loop: the forward loop counts its iterations, and the reverse
// loop runs the reverse of the body that many times, last iteration first. It carries the
// adjoints of the forward loop's carried values and of the outer values the body reads.
//
// What the reverse body needs from an iteration of the forward body comes, cheapest first, from:
//   - making it again: constants; a loop counter (`i = init + k·step`, whole numbers only); cheap
//     arithmetic on those, on values from outside the loop and on values taped anyway; reads of
//     memory nothing writes from the loop on (`frozenAt`); in a `// adc: checkpoint` loop, every
//     pure computation of the body, from its taped carried values;
//   - the tape: the forward body pushes the rest at the end of each iteration and the reverse body
//     pops them at its start (so loops nest: an inner loop's pushes sit below the outer one's).
import type { Op, Region, Value } from "../ir/types";
import { bool, f64, isAggregate } from "../ir/types";
import { writes } from "../ir/effects";
import { definedIn, freeValues, substitute, usedOnlyBy, walkOps } from "../ir/walk";
import { hasAdjoint, type Adjoints, type ReverseTransform, type Shadows } from "./reverse";
import { primitives } from "../ir/primitives";
import { derivedTripCount, type Counter } from "./trip-count";
import { forwardedStore } from "./scratch-forwarding";

/** Ops cheap enough to repeat in the reverse sweep instead of storing their results. */
export const cheap = new Set(["const", "global", "add", "sub", "mul", "div", "neg", "floor", "ceil", "length", "lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not"]);
const RECOMPUTE_DEPTH = 8;

/** Tape slots pair each push with its pop, so a pop whose value turns out unused can go with its push. */
let nextSlot = 0;

export function reverseWhile(
  t: ReverseTransform,
  region: Region,
  index: number,
  op: Op,
  gs: (Value | undefined)[],
  adjoints: Adjoints,
  shadows: Shadows,
): void {
  const b = t.b;
  const body = op.regions[1];
  const carried = op.args.length;
  const whole = wholeNumbers(t);
  const counters = findCounters(op, carried, whole);
  const count = derivedTripCount(t.b, region, index, op, counters, whole) ?? countIterations(t, region, index, op);

  const slots = [...Array(carried).keys()].filter((j) => t.varied.has(body.params![j]) && hasAdjoint(body.params![j]));
  const inside = definedIn(body);
  const outer = freeValues(body).filter((v) => t.varied.has(v) && hasAdjoint(v) && !inside.has(v));

  b.loc = op.loc;
  const kInit = b.sub(count, b.const(1));
  const inits = [kInit, ...slots.map((j) => gs[j] ?? b.zeroLike(op.results[j])), ...outer.map((v) => adjoints.get(v) ?? b.zeroLike(v))];

  const reverseCond = b.inRegion(() => {
    const k = b.value(f64, "k");
    b.region.params = [k, ...inits.slice(1).map((v) => b.value(v.type))];
    b.region.yields = [b.op("ge", [k, b.const(0)], bool)];
  }).region;

  let params: Value[] = [];
  const reverseBody = b.inRegion(() => {
    params = [b.value(f64, "k"), ...slots.map((j) => adjointParam(t, body.params![j])), ...outer.map((v) => adjointParam(t, v))];
    b.region.params = params;
    const local: Adjoints = adjoints.child();
    outer.forEach((v, i) => local.set(v, params[1 + slots.length + i]));
    slots.forEach((j, i) => t.accumulate(local, body.yields[j], params[1 + i]));
    t.region(body, local, shadows.child());
    b.loc = op.loc;
    b.region.yields = [
      b.sub(params[0], b.const(1)),
      ...slots.map((j) => local.get(body.params![j]) ?? b.zeroLike(op.results[j])),
      ...outer.map((v, i) => local.get(v) ?? params[1 + slots.length + i]),
    ];
  }).region;

  supplyResiduals(t, op, body, reverseBody, params[0], counters);

  b.loc = op.loc;
  const reversed = b.emit("while", inits, inits.map((v) => v.type), {}, [reverseCond, reverseBody]);
  // Outer adjoints first: an initial value may be an outer value too (`let y = x`).
  outer.forEach((v, i) => {
    const result = reversed.results[1 + slots.length + i];
    result.adjointOf = v;
    adjoints.set(v, result);
  });
  slots.forEach((j, i) => t.accumulate(adjoints, op.args[j], reversed.results[1 + i]));
}

function adjointParam(t: ReverseTransform, of: Value): Value {
  const v = t.b.value(of.type);
  v.adjointOf = of;
  return v;
}

/** Adds an iteration counter to the forward loop; returns its final value. */
function countIterations(t: ReverseTransform, region: Region, index: number, op: Op): Value {
  const b = t.b;
  const [cond, body] = op.regions;
  const make = (prim: string, args: Value[], attrs = {}): Op => ({
    prim, args, results: [b.value(f64)], attrs, regions: [], loc: op.loc,
  });
  const zero = make("const", [], { value: 0 });
  region.ops.splice(index, 0, zero);
  const counter = b.value(f64, "iterations");
  const one = make("const", [], { value: 1 });
  const next = make("add", [counter, one.results[0]]);
  body.params!.push(counter);
  body.ops.push(one, next);
  body.yields.push(next.results[0]);
  cond.params!.push(b.value(f64));
  op.args.push(zero.results[0]);
  const count = b.value(f64, "iterations");
  op.results.push(count);
  return count;
}

/**
 * Carried values stepped by a constant each iteration (`i = i + 1`): their value at iteration k is
 * init + k·step — exactly, when init and step are whole numbers (every partial sum is then exact).
 */
function findCounters(op: Op, carried: number, { integer, constant }: ReturnType<typeof integerValued>): Map<Value, Counter> {
  const body = op.regions[1];
  const defs = new Map<Value, Op>();
  for (const o of body.ops) o.results.forEach((r) => defs.set(r, o));
  const counters = new Map<Value, Counter>();
  for (let j = 0; j < carried; j++) {
    const def = defs.get(body.yields[j]);
    if ((def?.prim !== "add" && def?.prim !== "sub") || def.args[0] !== body.params![j]) continue;
    const step = integer(def.args[1]) ? constant(def.args[1]) : undefined;
    if (step !== undefined && integer(op.args[j])) {
      counters.set(body.params![j], { init: op.args[j], step: def.prim === "add" ? step : -step });
    }
  }
  return counters;
}

/**
 * Gives the reverse body every value it reads from the forward body: made again where cheap,
 * otherwise pushed at the end of each forward iteration and popped at the start of the reverse one.
 */
function supplyResiduals(t: ReverseTransform, loop: Op, body: Region, reverseBody: Region, k: Value, counters: Map<Value, Counter>): void {
  const b = t.b;
  const inside = definedIn(body);
  const needed = freeValues(reverseBody).filter((v) => inside.has(v));
  if (needed.length === 0) return;
  const defs = regionDefs(body);

  const again = new Map<Value, Value>();
  const taped: Value[] = [];
  const prologue: Op[] = [];
  /** The values made again so far, in order (to undo a failed attempt). */
  const madeAgain: Value[] = [];
  /** Values that go on the tape anyway: cheap ops may be made again from them. */
  const leaves = new Set<Value>();
  const checkpoint = loop.attrs.checkpoint === true;
  const own: Scope = { inside, defs, alias: new Map() };
  const whole = wholeNumbers(t);
  const countersOf = (o: Op) => findCounters(o, o.args.length, whole);
  const recompute = (v: Value, depth: number, scope: Scope = own): Value | undefined => {
    if (!scope.inside.has(v) || (scope === own && leaves.has(v))) return v;
    const known = again.get(v) ?? scope.alias.get(v);
    if (known) return known;
    let made: Value | undefined;
    const counter = scope === own ? counters.get(v) : undefined;
    const def = scope.defs.get(v);
    if (counter) {
      made = b.into({ ops: prologue, yields: [] }, () => {
        const offset = counter.step === 1 ? k : b.mul(k, b.const(counter.step));
        return b.add(counter.init, offset);
      });
    } else if (def?.prim === "load" && scope === own && !repeatable(t, loop, def)) {
      // A scratch array's element, made again from what the loop that filled it stored.
      const filled = forwardedStore(t, loop, def, countersOf, whole.constant);
      if (!filled) return undefined;
      const index = recompute(def.args[1], depth + 1);
      if (!index) return undefined;
      const scope = { inside: definedIn(filled.body), defs: regionDefs(filled.body), alias: new Map([[filled.counter, index]]) };
      made = recompute(filled.value, depth + 1, scope);
      if (!made) return undefined;
    } else {
      if (!def || (depth > RECOMPUTE_DEPTH && !checkpoint) || !repeatable(t, loop, def)) return undefined;
      const mark = prologue.length;
      const madeBefore = madeAgain.length;
      const args: Value[] = [];
      for (const a of def.args) {
        const x = recompute(a, depth + 1, scope);
        if (!x) {
          // Drop what this attempt made.
          prologue.length = mark;
          for (const m of madeAgain.splice(madeBefore)) again.delete(m);
          return undefined;
        }
        args.push(x);
      }
      made = b.value(v.type, v.hint);
      prologue.push({ ...def, args, results: [made], regions: [] });
    }
    again.set(v, made);
    madeAgain.push(v);
    return made;
  };
  // First what can be made from values outside the loop alone; then the rest of the values that are
  // not cheap go on the tape, and the cheap ones are made again from those where possible.
  const pending: Value[] = [];
  for (const v of needed) {
    if (recompute(v, 0)) continue;
    if (isAggregate(v.type)) {
      if (!finishedScratch(t, body, v)) throw new Error("adc internal error: an array reference the reverse loop cannot make again");
      // An array the iteration allocates (or copies, as a snapshot for a pullback) and has finished
      // writing before anything reads it whole: the tape keeps the array itself (a reference, no
      // copy); no later iteration touches it.
      leaves.add(v);
      taped.push(v);
      continue;
    }
    pending.push(v);
  }
  for (const v of pending) {
    const def = defs.get(v);
    if (!def || !repeatable(t, loop, def)) {
      leaves.add(v);
      taped.push(v);
    }
  }
  for (const v of pending) {
    if (leaves.has(v) || recompute(v, 0)) continue;
    leaves.add(v);
    taped.push(v);
  }

  const slots = new Map(taped.map((v) => [v, nextSlot++]));
  const pops: Op[] = [];
  for (const v of [...taped].reverse()) {
    const popped = b.value(v.type, v.hint);
    popped.adjointOf = v.adjointOf;
    pops.push({ prim: "pop", args: [], results: [popped], attrs: { type: v.type, slot: slots.get(v) }, regions: [], loc: undefined });
    again.set(v, popped);
  }
  for (const v of taped) body.ops.push({ prim: "push", args: [v], results: [], attrs: { slot: slots.get(v) }, regions: [], loc: undefined });
  if (taped.length > 0) t.usesTape = true;
  // Pops first (recomputed values may use them), then the recomputations, in dependency order.
  const fixed = new Map(again);
  for (const o of prologue) o.args.forEach((a, i) => (o.args[i] = fixed.get(a) ?? a));
  reverseBody.ops.unshift(...pops, ...prologue);
  substitute({ ops: reverseBody.ops.slice(pops.length + prologue.length), yields: reverseBody.yields }, fixed);
}

const wholeNumbersOf = new WeakMap<ReverseTransform, ReturnType<typeof integerValued>>();

/** One analysis per function (its facts about the primal's values do not change as loops are reversed). */
function wholeNumbers(t: ReverseTransform): ReturnType<typeof integerValued> {
  let known = wholeNumbersOf.get(t);
  if (!known) wholeNumbersOf.set(t, (known = integerValued(t.forward)));
  return known;
}

/**
 * Which values are provably whole numbers (below 2^53): integer constants, lengths, sums,
 * differences and products of whole numbers, floor/ceil/round/trunc, and loop counters that
 * start at a whole number and step by one. Parameters are not: nothing says `n` is whole.
 */
function integerValued(body: Region): { integer: (v: Value) => boolean; constant: (v: Value) => number | undefined } {
  const defs = new Map<Value, Op>();
  const constants = new Map<Value, number>();
  const loops = new Map<Value, { op: Op; slot: number }>();
  walkOps(body, (op) => {
    op.results.forEach((r) => defs.set(r, op));
    if (op.prim === "const" && typeof op.attrs.value === "number") constants.set(op.results[0], op.attrs.value);
    if (op.prim === "while") op.regions.forEach((r) => r.params!.forEach((p, slot) => loops.set(p, { op, slot })));
  });
  const memo = new Map<Value, boolean>();
  const integer = (v: Value): boolean => {
    const known = memo.get(v);
    if (known !== undefined) return known;
    // A cycle always passes through a loop's carried value, which is assumed whole while its
    // iterations are checked (induction); ops on the way are decided by their operands.
    let result = false;
    const def = defs.get(v);
    const loop = loops.get(v);
    if (def?.prim === "const") result = typeof def.attrs.value === "number" && Number.isSafeInteger(def.attrs.value);
    else if (def && ["add", "sub", "mul", "neg"].includes(def.prim)) result = def.args.every(integer);
    else if (def && ["length", "floor", "ceil", "round", "trunc"].includes(def.prim)) result = def.prim === "length" || def.args.every(integer);
    else if (loop) {
      // A carried value is whole if it starts whole and every iteration yields a whole number.
      memo.set(v, true);
      const { op, slot } = loop;
      result = integer(op.args[slot]) && integer(op.regions[1].yields[slot]);
      if (!result) memo.clear(); // conclusions drawn from the assumption do not hold
    }
    memo.set(v, result);
    return result;
  };
  return { integer, constant: (v) => constants.get(v) };
}

/**
 * Whether `v` is new memory made at the top level of `body` (see `freshMemory`) whose writes all
 * come before the first op that reads it whole (a call it is passed to, a copy): its contents at
 * the end of the iteration are what every such read saw.
 */
export function finishedScratch(t: ReverseTransform, body: Region, v: Value): boolean {
  const def = body.ops.find((o) => o.results.includes(v));
  if (!def || !freshMemory(t, def, v)) return false;
  let lastWrite = -1;
  let firstRead = body.ops.length;
  body.ops.forEach((op, i) => {
    if (touches(t, [op], v, (o) => o.regions.length === 0 && writes(o))) lastWrite = i;
    if (firstRead === body.ops.length && touches(t, [op], v, (o) => o.prim === "call" || o.prim === "slice" || o.prim === "copy")) firstRead = i;
  });
  return lastWrite < firstRead;
}

/**
 * Whether `def` makes `v` as new memory: an array of numbers it allocates, a copy (a snapshot of an
 * array or object for a pullback), zeros, a literal of numbers, or an `if` each of whose branches
 * makes such memory and does not write it.
 */
function freshMemory(t: ReverseTransform, def: Op, v: Value): boolean {
  if (def.prim === "alloc") return v.type.kind === "array" && v.type.element.kind === "f64";
  if (def.prim === "copy" || def.prim === "zerosLike") return true;
  // A literal of numbers (the placeholder a branch without the snapshot yields, `[]`): rows or
  // fields that are arrays or objects would be memory made elsewhere.
  if (def.prim === "array" || def.prim === "struct") return def.args.every((a, i) => !isAggregate(a.type) || def.attrs.spread?.[i] === true);
  if (def.prim !== "if") return false;
  const i = def.results.indexOf(v);
  return def.regions.every((r) => {
    const y = r.yields[i];
    const made = r.ops.find((o) => o.results.includes(y));
    return made !== undefined && freshMemory(t, made, y) && !touches(t, r.ops, y, (o) => o.regions.length === 0 && writes(o));
  });
}

/** Whether any of `ops` (or an op inside one) that passes `how` takes memory rooted at `v`. */
function touches(t: ReverseTransform, ops: Op[], v: Value, how: (o: Op) => boolean): boolean {
  let hit = false;
  walkOps({ ops, yields: [] }, (o) => {
    if (how(o) && o.args.some((a) => isAggregate(a.type) && t.activity.rootOf(a) === v)) hit = true;
  });
  return hit;
}

/** Where values come from while making them again: a loop body's values, and values that stand for some of them. */
interface Scope {
  readonly inside: Set<Value>;
  readonly defs: Map<Value, Op>;
  readonly alias: Map<Value, Value>;
}

/** The ops of a region's top level, by the values they define. */
function regionDefs(region: Region): Map<Value, Op> {
  const defs = new Map<Value, Op>();
  for (const o of region.ops) o.results.forEach((r) => defs.set(r, o));
  return defs;
}

/** Whether an op of `loop`'s body can run again in its reverse with the same result. */
function repeatable(t: ReverseTransform, loop: Op, op: Op): boolean {
  if (op.regions.length > 0 || op.results.length !== 1) return false;
  if (cheap.has(op.prim)) return true;
  // A checkpointed loop repeats every pure computation of its body; a call reads the arrays it is
  // passed, so it repeats only where nothing writes them from the loop on (else it is taped).
  if (loop.attrs.checkpoint && primitives.has(op.prim)) return true;
  if (loop.attrs.checkpoint && op.prim === "call") {
    return op.args.every((a) => !isAggregate(a.type) || t.frozenAt(loop, t.activity.rootOf(a)));
  }
  if (op.prim !== "load") return false;
  const result = op.results[0];
  // A reference into an aggregate does not depend on the memory's contents; an element read does,
  // so it repeats only from memory nothing writes from the loop on.
  if (result.type.kind === "array" || result.type.kind === "struct") return true;
  return t.frozenAt(loop, t.activity.rootOf(op.args[0])) || readOfFinishedScratch(t, op);
}

/**
 * Whether `load` reads a scratch array an enclosing loop's iteration allocated (number elements,
 * used only by element reads and writes, never passed on or yielded) after that iteration's last
 * write to it: the element then holds, to the end of the iteration, the value the load read, so
 * the reverse sweep reads it again from the array (which that loop tapes by reference) instead of
 * taping every element read (a helper's loop over a vector made per point, once inlined).
 */
function readOfFinishedScratch(t: ReverseTransform, load: Op): boolean {
  const root = t.activity.rootOf(load.args[0]);
  if (load.args[0] !== root) return false;
  const def = t.defOf(root);
  if (!def || def.prim !== "alloc" || def.attrs.growable || root.type.kind !== "array" || root.type.element.kind !== "f64") return false;
  const body = t.regionOf(def);
  const loop = body && t.ownerOf(body);
  if (!body || loop?.prim !== "while" || loop.regions[1] !== body) return false;
  // The top-level op of the body that holds the load.
  let holder: Op | undefined = load;
  while (holder && t.regionOf(holder) !== body) {
    const region = t.regionOf(holder);
    holder = region && t.ownerOf(region);
  }
  if (!holder) return false;
  if (!usedOnlyBy(body, root, elementAccess)) return false;
  // No write to it from the load's op of the body on.
  let written = false;
  walkOps({ ops: body.ops.slice(body.ops.indexOf(holder)), yields: [] }, (o) => {
    if (elementWrites.has(o.prim) && o.args[0] === root) written = true;
  });
  return !written;
}

const elementWrites = new Set(["store", "storeAdd", "fill"]);
const elementAccess = new Set(["load", "length", ...elementWrites]);
