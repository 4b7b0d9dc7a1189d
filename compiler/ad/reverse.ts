// Reverse mode on structured SSA. The forward sweep is the primal body; the reverse sweep visits
// its ops backwards, asking the rule table for each op's contributions to its operands' adjoints.
// Adjoints are SSA values too: the first contribution *is* the adjoint (lazy initialisation), later
// ones are added to it. An `if` reverses into an `if` on the same condition whose results are the
// outer adjoints its branches changed; values a reverse branch needs from inside the forward branch
// are yielded out of the forward `if` (they are its residuals).
import { Builder } from "../ir/builder";
import type { Func, Op, Region, Value } from "../ir/types";
import { f64, isDifferentiable } from "../ir/types";
import { ScopedMap } from "../ir/scoped-map";
import { cloneRegion, constantDefs, definedIn, freeValues, substitute } from "../ir/walk";
import { variedValues } from "./activity";
import { ruleFor } from "./rules";

export interface ReverseRequest {
  /** Indices of the parameters whose adjoints are returned, in this order. */
  readonly wrt: readonly number[];
  /** "one": the seed is the constant 1 (a gradient). "param": the seed is an extra parameter (a pullback). */
  readonly seed: "one" | "param";
}

export interface ReverseSweep {
  /** The seed ȳ: the constant 1, or a new value the caller makes a parameter. */
  readonly seed: Value;
  /** The forward sweep: the primal body, possibly with extra residual results on its `if`s. */
  readonly forward: Region;
  /** The primal result, defined by `forward`. */
  readonly value: Value;
  /** The reverse sweep; it may use values defined by `forward`. */
  readonly reverse: Region;
  /** The adjoints of the `wrt` parameters, defined by `reverse`. */
  readonly adjoints: Value[];
}

export function reverseSweep(primal: Func, request: ReverseRequest): ReverseSweep {
  return new ReverseTransform(primal, request).run();
}

type Adjoints = ScopedMap<Value, Value>;

class ReverseTransform {
  private readonly b: Builder;
  private readonly forward: Region;
  private readonly varied: Set<Value>;

  constructor(
    private readonly primal: Func,
    private readonly request: ReverseRequest,
  ) {
    this.b = new Builder();
    this.forward = cloneRegion(primal.body);
    this.varied = variedValues(this.forward, request.wrt.map((i) => primal.params[i].value));
  }

  run(): ReverseSweep {
    const { b, primal, forward } = this;
    const value = forward.yields[0];
    let seed: Value;
    const { region: reverse } = b.inRegion(() => {
      b.loc = primal.loc;
      seed = this.request.seed === "param" ? b.value(f64, "seed") : b.const(1);
      const adjoints: Adjoints = new ScopedMap();
      if (this.varied.has(value)) adjoints.set(value, seed);
      this.region(forward, adjoints);
      b.loc = primal.loc;
      b.region.yields = this.request.wrt.map((i) => adjoints.get(primal.params[i].value) ?? b.const(0));
    });
    return { seed: seed!, forward, value, reverse, adjoints: reverse.yields };
  }

  /** Emits the reverse of `region`'s ops into the builder's current region, updating `adjoints`. */
  private region(region: Region, adjoints: Adjoints): void {
    for (let i = region.ops.length - 1; i >= 0; i--) {
      const op = region.ops[i];
      const gs = op.results.map((r) => adjoints.get(r));
      if (gs.every((g) => g === undefined)) continue; // nothing flows back through this op
      this.b.loc = op.loc;
      if (op.prim === "if") this.reverseIf(op, gs, adjoints);
      else if (op.prim === "call") this.reverseCall(op, gs[0]!, adjoints);
      else this.reversePrimitive(op, gs[0]!, adjoints);
    }
  }

  private reversePrimitive(op: Op, g: Value, adjoints: Adjoints): void {
    const rule = ruleFor(op.prim);
    if (!rule) throw new Error(`adc internal error: no derivative rule for '${op.prim}'`);
    const contributions = rule.reverse(this.b, op.args, op.results[0], g);
    op.args.forEach((x, i) => this.accumulate(adjoints, x, contributions[i]));
  }

  /**
   * A call reverses into a call of the callee's pullback, specialised to the arguments that vary
   * here (`p(x, n - 1)` needs no adjoint for n): one result per such argument.
   */
  private reverseCall(op: Op, g: Value, adjoints: Adjoints): void {
    const wrt = op.args.flatMap((x, i) => (this.varied.has(x) && isDifferentiable(x.type) ? [i] : []));
    if (wrt.length === 0) return;
    const pullback = this.b.emit("call", [...op.args, g], wrt.map(() => f64), {
      callee: op.attrs.callee,
      variant: "pullback",
      wrt,
    });
    wrt.forEach((i, k) => this.accumulate(adjoints, op.args[i], pullback.results[k]));
  }

  private reverseIf(op: Op, gs: (Value | undefined)[], adjoints: Adjoints): void {
    const b = this.b;
    const branches = op.regions.map((primalBranch) => {
      const local: Adjoints = adjoints.child();
      const { region } = b.inRegion(() => {
        primalBranch.yields.forEach((y, i) => this.accumulate(local, y, gs[i]));
        this.region(primalBranch, local);
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
      region.yields = outer.map((v) => local.get(v) ?? adjoints.get(v) ?? b.into(region, () => b.const(0)));
    }
    const reversed = b.emit("if", [op.args[0]], outer.map(() => f64), {}, branches.map((x) => x.region));
    outer.forEach((v, i) => {
      reversed.results[i].adjointOf = v;
      adjoints.set(v, reversed.results[i]);
    });

    // Values a reverse branch reads from inside its forward branch leave the forward `if` as extra
    // results; constants are simply made again.
    branches.forEach(({ primalBranch, region, inside }, k) => {
      const needed = freeValues(region).filter((v) => inside.has(v));
      const constants = constantDefs(primalBranch);
      const lifted = new Map<Value, Value>();
      for (const v of needed) {
        const constant = constants.get(v);
        if (constant) {
          const again = b.value(v.type);
          region.ops.unshift({ ...constant, results: [again], regions: [] });
          lifted.set(v, again);
          continue;
        }
        const result = b.value(v.type, v.hint);
        result.adjointOf = v.adjointOf;
        op.results.push(result);
        op.regions.forEach((r, j) => {
          r.yields.push(j === k ? v : b.into(r, () => (v.type.kind === "bool" ? b.bool(false) : b.const(0))));
        });
        lifted.set(v, result);
      }
      substitute(region, lifted);
    });
  }

  /** Adds a contribution to `x`'s adjoint (the first one becomes the adjoint). */
  private accumulate(adjoints: Adjoints, x: Value, contribution: Value | undefined): void {
    if (!contribution || !this.varied.has(x) || !isDifferentiable(x.type)) return;
    const previous = adjoints.get(x);
    const next = previous ? this.b.add(previous, contribution) : contribution;
    if (next.hint === undefined && next.adjointOf === undefined) next.adjointOf = x;
    adjoints.set(x, next);
  }
}

