// Reverse mode on structured SSA. The forward sweep is the primal body; the reverse sweep visits
// its ops backwards, asking the rule table for each op's contributions to its operands' adjoints.
// Scalar adjoints are SSA values too: the first contribution *is* the adjoint (lazy
// initialisation), later ones are added to it. Arrays and objects get shadow memory of the same
// shape (`x_bar`), which reverse loads and stores update in place (memory.ts).
//
// An `if` reverses into an `if` on the same condition (reverse-if.ts); a `while` into a counted
// loop that runs its body's reverse as many times as the forward loop ran, taking what it needs
// from the tape (reverse-loop.ts).
import { Builder } from "../ir/builder";
import type { Func, Op, Region, Value } from "../ir/types";
import { bool, f64, isAggregate } from "../ir/types";
import { ScopedMap } from "../ir/scoped-map";
import { cloneRegion, useCounts, walkOps } from "../ir/walk";
import { writes } from "../ir/effects";
import { analyzeActivity, writtenByCall, type Activity } from "./activity";
import { memoryRoots } from "../ir/roots";
import { ruleFor } from "./rules";
import { reverseIf } from "./reverse-if";
import { finishedScratch, reverseWhile } from "./reverse-loop";
import { memoryRules, shadowPrologue } from "./memory";
import { definiteAdjoints } from "./zero-adjoints";
import { guard } from "./guard";
import { sink } from "../opt/sink";

export interface ReverseRequest {
  /** Indices of the parameters whose adjoints are returned, in this order. */
  readonly wrt: readonly number[];
  /**
   * "one": the seed is the constant 1 (a gradient of a function returning a number). "param": one
   * seed per result, each an extra parameter (a pullback): a number, or for an array or object
   * result memory of its shape.
   */
  readonly seed: "one" | "param";
  /**
   * An array or object seed becomes the result's shadow, which the reverse sweep writes (clears):
   * a caller's shadow is used up, but a seed the user passes ("copy") is copied first.
   */
  readonly seedMemory?: "consume" | "copy";
  /**
   * The reverse sweep may run many times after one forward sweep (a vjp's pullback): what the
   * forward sweep kept must stay as it was, so a callee that writes a kept copy gets a fresh one.
   */
  readonly runsMany?: boolean;
  /**
   * A pullback's callers pass the shadows of its array and object arguments, and it adds into
   * them: those shadows are parameters, and only number adjoints are results.
   */
  readonly shadowParams?: boolean;
}

export interface ReverseSweep {
  /** The seeds ȳ, one per result: the constant 1, or new values the caller makes parameters. */
  readonly seeds: Value[];
  /** The forward sweep: the primal body, with residual results on its `if`s and tape pushes in its loops. */
  readonly forward: Region;
  /** The primal results, defined by `forward`. */
  readonly values: Value[];
  /** The reverse sweep; it may use values defined by `forward`. */
  readonly reverse: Region;
  /** The adjoints of the `wrt` parameters, defined by `reverse` (shadow memory for arrays and objects). */
  readonly adjoints: Value[];
  /** Whether the sweeps use the tape (then forward and reverse must run as a pair, in order). */
  readonly tape: boolean;
  /** With `shadowParams`: the shadow parameter of each array or object in `wrt`, in order. */
  readonly shadowParams: Value[];
}

export function reverseSweep(primal: Func, request: ReverseRequest): ReverseSweep {
  return new ReverseTransform(primal, request).run();
}

export type Adjoints = ScopedMap<Value, Value>;

/** Shadow memory by the array or object reference it shadows. */
export type Shadows = ScopedMap<Value, Value>;

export class ReverseTransform {
  readonly b: Builder;
  readonly forward: Region;
  readonly activity: Activity;
  /** Values whose adjoint every path taken gives (the others may be a structural zero: their contributions are guarded). */
  private readonly definite: Set<Value>;
  usesTape = false;
  private readonly effectful = new Map<Op, boolean>();

  constructor(
    private readonly primal: Func,
    private readonly request: ReverseRequest,
  ) {
    this.b = new Builder();
    this.forward = cloneRegion(primal.body);
    // Values only one branch uses are computed there, so the branch not taken leaves them alone.
    sink(this.forward);
    this.activity = analyzeActivity(this.forward, request.wrt.map((i) => primal.params[i].value));
    // One result's seed is trusted (a caller guards it); with several, any may be a zero a caller's
    // path did not give, so their contributions are guarded here.
    const seeded = this.forward.yields.length === 1 ? this.forward.yields : [];
    this.definite = definiteAdjoints(this.forward, seeded);
  }

  get varied(): Set<Value> {
    return this.activity.varied;
  }

  /**
   * Whether the memory of `root` is the same when the reverse sweep reaches `op` as when the
   * forward sweep ran it: nothing writes it in or after the top-level op that contains `op` (the
   * reverse sweep never writes primal memory). Loads from it can then be repeated there.
   */
  frozenAt(op: Op, root: Value): boolean {
    if (!this.writtenFrom) {
      const top = this.forward.ops;
      const reach = memoryRoots(this.forward);
      this.writtenFrom = new Map();
      let later = new Set<Value>();
      for (let i = top.length - 1; i >= 0; i--) {
        const here = new Set(later);
        walkOps({ ops: [top[i]], yields: [] }, (o) => {
          if (o.prim === "store" || o.prim === "fill") here.add(this.activity.rootOf(o.args[0]));
          for (const v of writtenByCall(o)) for (const r of reach(v)) here.add(r);
        });
        later = here;
        walkOps({ ops: [top[i]], yields: [] }, (o) => this.writtenFrom!.set(o, here));
      }
    }
    const written = this.writtenFrom.get(op);
    return written !== undefined && !written.has(root);
  }

  private writtenFrom: Map<Op, Set<Value>> | undefined;

  /** Facts about the forward sweep as the primal left it (defs, use counts, owning regions). */
  private facts: { defs: Map<Value, Op>; uses: Map<Value, number>; regions: Map<Op, Region>; owners: Map<Region, Op> } | undefined;

  private forwardFacts() {
    if (!this.facts) {
      const defs = new Map<Value, Op>();
      const regions = new Map<Op, Region>();
      const owners = new Map<Region, Op>();
      const visit = (r: Region) => r.ops.forEach((op) => {
        regions.set(op, r);
        op.results.forEach((v) => defs.set(v, op));
        op.regions.forEach((inner) => owners.set(inner, op));
        op.regions.forEach(visit);
      });
      visit(this.forward);
      this.facts = { defs, uses: useCounts(this.forward), regions, owners };
    }
    return this.facts;
  }

  defOf(v: Value): Op | undefined {
    return this.forwardFacts().defs.get(v);
  }

  usesOf(v: Value): number {
    return this.forwardFacts().uses.get(v) ?? 0;
  }

  regionOf(op: Op): Region | undefined {
    return this.forwardFacts().regions.get(op);
  }

  /** The op whose region `region` is (undefined for the body). */
  ownerOf(region: Region): Op | undefined {
    return this.forwardFacts().owners.get(region);
  }

  run(): ReverseSweep {
    const { b, primal, forward } = this;
    const values = [...forward.yields];
    const shadowParams: Value[] = [];
    let seeds: Value[] = [];
    const { region: reverse } = b.inRegion(() => {
      b.loc = primal.loc;
      if (this.request.seed === "one" && (values.length !== 1 || values[0].type.kind !== "f64")) {
        throw new Error("adc internal error: a gradient of a function that does not return a number");
      }
      seeds = this.request.seed === "param" ? values.map((v, i) => b.value(v.type, values.length === 1 ? "seed" : `seed${i + 1}`)) : [b.const(1)];
      const adjoints: Adjoints = new ScopedMap();
      const shadows: Shadows = new ScopedMap();
      // Shadows of array and object parameters: zero-filled, same shape (or given by the caller).
      primal.params.forEach((p, i) => {
        if (!isAggregate(p.value.type) || !this.varied.has(p.value)) return;
        const given = this.request.shadowParams && this.request.wrt.includes(i);
        const shadow = given ? b.value(p.value.type) : b.op("zerosLike", [p.value], p.value.type);
        shadow.adjointOf = p.value;
        if (given) shadowParams.push(shadow);
        shadows.set(p.value, shadow);
      });
      values.forEach((v, i) => {
        if (!isAggregate(v.type)) return this.accumulate(adjoints, v, seeds[i]);
        // An array or object result is new memory (results.ts): its shadow is the seed.
        const shadow = this.request.seedMemory === "copy" ? b.op("copy", [seeds[i]], v.type) : seeds[i];
        shadow.adjointOf = v;
        shadows.set(v, shadow);
      });
      this.region(forward, adjoints, shadows);
      b.loc = primal.loc;
      const results = this.request.shadowParams ? this.request.wrt.filter((i) => !isAggregate(primal.params[i].value.type)) : this.request.wrt;
      b.region.yields = results.map((i) => {
        const param = primal.params[i].value;
        return (isAggregate(param.type) ? shadows.get(param) : adjoints.get(param)) ?? b.zeroLike(param);
      });
    });
    return { seeds, forward, values, reverse, adjoints: reverse.yields, tape: this.usesTape, shadowParams };
  }

  /** Emits the reverse of `region`'s ops into the builder's current region, updating `adjoints` and `shadows`. */
  region(region: Region, adjoints: Adjoints, shadows: Shadows): void {
    shadowPrologue(this, region, shadows);
    for (let i = region.ops.length - 1; i >= 0; i--) {
      const op = region.ops[i];
      const gs = op.results.map((r) => adjoints.get(r));
      // Memory an op makes (a copy, a literal, a call's result) hands its shadow back to what made it.
      const makesShadowed = op.results.some((r) => isAggregate(r.type) && shadows.get(r) !== undefined);
      if (gs.every((g) => g === undefined) && !makesShadowed && !this.touchesVariedMemory(op)) continue; // nothing flows back through this op
      this.b.loc = op.loc;
      if (op.prim === "if") reverseIf(this, op, gs, adjoints, shadows);
      else if (op.prim === "while") reverseWhile(this, region, i, op, gs, adjoints, shadows);
      else if (op.prim === "call") this.reverseCall(op, gs, adjoints, shadows);
      else if (memoryRules[op.prim]) memoryRules[op.prim](this, op, gs[0], adjoints, shadows);
      else this.reversePrimitive(op, gs[0]!, adjoints);
    }
  }

  private reversePrimitive(op: Op, g: Value, adjoints: Adjoints): void {
    const rule = ruleFor(op.prim);
    if (!rule) throw new Error(`adc internal error: no derivative rule for '${op.prim}'`);
    const start = this.b.region.ops.length;
    let contributions = rule.reverse(this.b, op.args, op.results[0], g);
    if (this.mayBeZero(op.results[0])) {
      const emitted = this.b.region.ops.slice(start);
      contributions = contributions.map((c) => c && guard(this.b, g, c, emitted, (v) => this.defOf(v)));
    }
    op.args.forEach((x, i) => this.accumulate(adjoints, x, contributions[i]));
  }

  /** Whether `v`'s adjoint may be a zero no path taken gave it (zero-adjoints.ts). */
  mayBeZero(v: Value): boolean {
    return !this.definite.has(v);
  }

  /**
   * A call reverses into a call of the callee's pullback, specialised to the arguments that vary
   * here (`p(x, n - 1)` needs no adjoint for n): one result per such argument. The pullback runs
   * the callee's forward sweep again, on its arrays and objects as they were at the call: where
   * they may be written from the call on (by the callee itself, or later), the forward sweep keeps
   * a copy made just before the call for it (`snapshot`).
   */
  private reverseCall(op: Op, gs: (Value | undefined)[], adjoints: Adjoints, shadows: Shadows): void {
    const wrt = op.args.flatMap((x, i) => (this.varied.has(x) && (hasAdjoint(x) || shadows.get(x)) ? [i] : []));
    if (wrt.length === 0) return;
    const args = op.args.map((x, i) => {
      if (!isAggregate(x.type) || !this.mayChange(op, i)) return x;
      const kept = this.snapshot(op, x);
      // The pullback runs the callee again on what it is given, writing it: a copy of the copy.
      return this.request.runsMany && op.attrs.writes?.includes(i) ? this.b.op("copy", [kept], x.type) : kept;
    });
    // One seed per result: a number's or tensor's adjoint (zeros where it has none), an array's or object's shadow.
    const seeds = op.results.map((r, i) => (isAggregate(r.type) ? shadows.get(r) : gs[i]) ?? this.b.zeroLike(r));
    // Numbers and tensors come back as results; arrays and objects: the pullback adds into the
    // shadows passed after the arguments.
    const returned = wrt.filter((i) => hasAdjoint(op.args[i]));
    const passed = wrt.filter((i) => !hasAdjoint(op.args[i])).map((i) => shadows.get(op.args[i])!);
    const b = this.b;
    const call = () => b.emit("call", [...args, ...passed, ...seeds], returned.map((i) => op.args[i].type), {
      callee: op.attrs.callee,
      variant: "pullback",
      wrt,
    }).results;
    // A callee of one number or tensor result trusts its seed: a seed that may be a structural
    // zero is guarded here. (A callee of several results guards its seeds itself; an array's or
    // object's shadow is memory, whose adjoints count as definite, as a stored value's do.)
    const g = gs[0];
    const single = op.results.length === 1 && hasAdjoint(op.results[0]) && g !== undefined;
    let results: Value[];
    if (!single || !this.mayBeZero(op.results[0])) results = call();
    else if (passed.length > 0) {
      // A pullback that adds into shadows runs only for a nonzero seed (a tensor's: any element
      // nonzero, asked of guardAdjoint): its additions cannot be guarded afterwards.
      const nonzero = g.type.kind === "tensor" ? b.op("tensor.guardAdjoint", [g, b.const(1)], f64) : g;
      const taken = b.inRegion(() => (b.region.yields = call())).region;
      const skipped = b.inRegion(() => (b.region.yields = returned.map((i) => b.zeroLike(op.args[i])))).region;
      results = b.emit("if", [b.op("ne", [nonzero, b.const(0)], bool)], returned.map((i) => op.args[i].type), {}, [taken, skipped]).results;
    } else {
      const start = b.region.ops.length;
      const made = call();
      results = made.map((r) => guard(b, g, r, b.region.ops.slice(start), (v) => this.defOf(v)));
    }
    returned.forEach((i, k) => this.accumulate(adjoints, op.args[i], results[k]));
  }

  /**
   * Whether the memory of a call's argument i may differ, when the reverse sweep reaches the call,
   * from what the call read. Scratch memory a loop iteration makes and has finished writing before
   * the call does not: the loop tapes it by reference (reverse-loop.ts).
   */
  private mayChange(op: Op, i: number): boolean {
    if (op.attrs.writes?.includes(i)) return true;
    const reach = (this.reach ??= memoryRoots(this.forward));
    const region = this.regionOf(op)!;
    const body = this.forwardFacts().owners.get(region)?.prim === "while" ? region : undefined;
    return [...reach(op.args[i])].some((root) => !this.frozenAt(op, root) && !(body && finishedScratch(this, body, root)));
  }

  private reach: ((v: Value) => Set<Value>) | undefined;

  /** A copy of `x` made in the forward sweep just before `call`: the memory as the call found it. */
  private snapshot(call: Op, x: Value): Value {
    const region = this.regionOf(call)!;
    const copy = this.b.value(x.type, x.hint ? `${x.hint}_at_call` : undefined);
    region.ops.splice(region.ops.indexOf(call), 0, { prim: "copy", args: [x], results: [copy], attrs: {}, regions: [], loc: call.loc });
    return copy;
  }

  /** Whether the op (or an op inside it) writes memory that has a shadow: its reverse must run. */
  touchesVariedMemory(op: Op): boolean {
    let known = this.effectful.get(op);
    if (known === undefined) {
      known = false;
      if (writes(op)) {
        const check = (o: Op) => {
          if ((o.prim === "store" || o.prim === "fill") && this.varied.has(o.args[0])) known = true;
          if (writtenByCall(o).some((v) => this.varied.has(v))) known = true;
        };
        check(op);
        op.regions.forEach((r) => walkOps(r, check));
      }
      this.effectful.set(op, known);
    }
    return known;
  }

  /** Adds a contribution to `x`'s adjoint (the first one becomes the adjoint). Numbers and tensors. */
  accumulate(adjoints: Adjoints, x: Value, contribution: Value | undefined): void {
    if (!contribution || !this.varied.has(x) || !hasAdjoint(x)) return;
    const previous = adjoints.get(x);
    const next = !previous
      ? contribution
      : x.type.kind === "tensor"
        ? this.b.op("tensor.add", [previous, contribution], x.type)
        : this.b.add(previous, contribution);
    if (next.hint === undefined && next.adjointOf === undefined) next.adjointOf = x;
    adjoints.set(x, next);
  }
}

/** Values whose adjoint is a value (numbers, tensors), not shadow memory. */
export function hasAdjoint(v: Value): boolean {
  return v.type.kind === "f64" || v.type.kind === "tensor";
}
