// Forward (tangent) mode on structured SSA. The primal body is copied op by op; after each op whose
// operands carry tangents, the rule table's forward rule emits the result's tangent right next to
// it. Vector mode carries k directions at once: every active value has k tangents (one per
// direction), each made by the same rule, so the primal coefficients they share (cos x, y / b, …)
// are computed once and reused by CSE. A tangent may be structurally zero (undefined): inactive
// values and the zero entries of identity seeds cost nothing.
//
// The output is ordinary IR (primitives, `if`s, calls), so it is valid input to either transform:
// forward over a reverse sweep gives Hessian-vector products.
import { Builder } from "../ir/builder";
import type { Attrs, Func, Op, Region, Value } from "../ir/types";
import { f64, isDifferentiable } from "../ir/types";
import { ruleFor } from "./rules";

/** Thrown for IR the forward transform cannot differentiate yet; the caller turns it into a diagnostic. */
export class ForwardUnsupported extends Error {}

export interface ForwardRequest {
  /** Indices of the parameters that carry tangents. */
  readonly wrt: readonly number[];
  /** How many directions are carried at once (vector mode); 1 for a plain jvp. */
  readonly directions: number;
  /**
   * "param": every (direction, wrt parameter) tangent is a new value the caller makes a parameter.
   * "identity": direction j seeds parameter wrt[j] with 1 and the others with zero (directions =
   * wrt.length): the tangents of the results are the Jacobian's columns.
   */
  readonly seed: "param" | "identity";
}

export interface ForwardSweep {
  /** The primal ops with the tangent ops interleaved. */
  readonly body: Region;
  /** "param" seeds: seeds[d][j] is direction d's tangent of parameter wrt[j]. */
  readonly seeds: Value[][];
  /** The primal results (the body's yields, in order). */
  readonly values: Value[];
  /** tangents[i][d]: the tangent of result i in direction d (constant 0 where it is structurally zero). */
  readonly tangents: Value[][];
}

/** A value's tangents, one per direction; undefined entries are structural zeros. */
type Tangents = (Value | undefined)[];

export function forwardSweep(primal: Pick<Func, "params" | "body" | "loc">, request: ForwardRequest): ForwardSweep {
  return new ForwardTransform(primal, request).run();
}

class ForwardTransform {
  private readonly b = new Builder();
  private readonly tangents = new Map<Value, Tangents>();
  private readonly k: number;

  constructor(
    private readonly primal: Pick<Func, "params" | "body" | "loc">,
    private readonly request: ForwardRequest,
  ) {
    this.k = request.directions;
    if (request.seed === "identity" && request.directions !== request.wrt.length) {
      throw new Error("adc internal error: identity seeds need one direction per parameter");
    }
  }

  run(): ForwardSweep {
    const { b, primal, request, k } = this;
    const seeds: Value[][] = [];
    const { region: body, result: zero } = b.inRegion(() => {
      b.loc = primal.loc;
      if (request.seed === "param") {
        for (let d = 0; d < k; d++) {
          seeds.push(request.wrt.map((i) => this.tangentValue(primal.params[i].value, f64)));
        }
        request.wrt.forEach((i, j) => this.tangents.set(primal.params[i].value, seeds.map((s) => s[j])));
      } else {
        const one = b.const(1);
        request.wrt.forEach((i, j) => this.tangents.set(primal.params[i].value, range(k).map((d) => (d === j ? one : undefined))));
      }
      this.region(primal.body);
      b.loc = primal.loc;
      b.region.yields = [...primal.body.yields];
      return b.const(0);
    });
    const values = [...primal.body.yields];
    const tangents = values.map((v) => range(k).map((d) => this.tangents.get(v)?.[d] ?? zero));
    return { body, seeds, values, tangents };
  }

  /** Copies `region`'s ops into the builder's current region, each followed by its tangent ops. */
  private region(region: Region): void {
    for (const op of region.ops) {
      this.b.loc = op.loc;
      if (op.prim === "if") this.forwardIf(op);
      else if (op.prim === "call") this.forwardCall(op);
      else this.forwardPrimitive(op);
    }
  }

  private copy(op: Op): void {
    this.b.region.ops.push({ ...op, args: [...op.args], results: [...op.results], regions: [] });
  }

  private forwardPrimitive(op: Op): void {
    this.copy(op);
    const y = op.results[0];
    const dxs = op.args.map((x) => this.tangents.get(x));
    if (op.prim === "const" || !isDifferentiable(y.type) || dxs.every((t) => t === undefined)) return;
    const rule = ruleFor(op.prim);
    if (!rule) throw new Error(`adc internal error: no derivative rule for '${op.prim}'`);
    const out: Tangents = range(this.k).map((d) => {
      const ds = dxs.map((t) => t?.[d]);
      if (ds.every((t) => t === undefined)) return undefined;
      return this.named(rule.forward(this.b, op.args, y, ds), y);
    });
    this.set(y, out);
  }

  /**
   * A call with varying arguments becomes a call of the callee's jvp, specialised to those
   * arguments and to the number of directions: it returns the value and one tangent per direction.
   */
  private forwardCall(op: Op): void {
    const wrt = op.args.flatMap((x, i) => (this.tangents.has(x) && isDifferentiable(x.type) ? [i] : []));
    if (wrt.length === 0) return this.copy(op);
    if (op.attrs.variant !== undefined && op.attrs.variant !== "pullback") {
      throw new ForwardUnsupported(`differentiating the ${op.attrs.variant} of '${op.attrs.callee}' again (a third derivative) is not supported yet`);
    }
    const b = this.b;
    let zero: Value | undefined;
    const tangentArgs = range(this.k).flatMap((d) =>
      wrt.map((i) => this.tangents.get(op.args[i])![d] ?? (zero ??= b.const(0))),
    );
    // A primal call returns one value; a pullback call (met in a reverse sweep: second
    // derivatives) one adjoint per wrt parameter. Each gets a tangent per direction.
    const tangents = range(this.k).map(() => op.results.map((r) => this.tangentValue(r, f64)));
    const attrs: Attrs =
      op.attrs.variant === "pullback"
        ? { callee: op.attrs.callee, variant: "pullbackTangent", wrt: op.attrs.wrt, tangentWrt: wrt, directions: this.k }
        : { callee: op.attrs.callee, variant: "jvp", wrt, directions: this.k };
    b.region.ops.push({
      prim: "call",
      args: [...op.args, ...tangentArgs],
      results: [...op.results, ...tangents.flat()],
      attrs,
      regions: [],
      loc: op.loc,
    });
    op.results.forEach((r, i) => this.set(r, tangents.map((t) => t[i])));
  }

  /**
   * An `if` keeps its primal results and gains one result per (result, direction) whose tangent
   * is nonzero in either branch; a branch where it is structurally zero yields the constant 0.
   */
  private forwardIf(op: Op): void {
    const b = this.b;
    const branches = op.regions.map((primalBranch) =>
      b.inRegion(() => {
        this.region(primalBranch);
        return primalBranch.yields.map((v) => this.tangents.get(v));
      }),
    );
    const active: [number, number][] = [];
    op.results.forEach((r, i) => {
      if (!isDifferentiable(r.type)) return;
      for (let d = 0; d < this.k; d++) if (branches.some((br) => br.result[i]?.[d] !== undefined)) active.push([i, d]);
    });
    branches.forEach(({ region, result }, j) => {
      let zero: Value | undefined;
      region.yields = [
        ...op.regions[j].yields,
        ...active.map(([i, d]) => result[i]?.[d] ?? (zero ??= b.into(region, () => b.const(0)))),
      ];
    });
    const extra = active.map(([i]) => this.tangentValue(op.results[i], f64));
    b.region.ops.push({
      ...op,
      args: [...op.args],
      results: [...op.results, ...extra],
      regions: branches.map((br) => br.region),
    });
    const out = new Map<number, Tangents>();
    active.forEach(([i, d], n) => {
      const t = out.get(i) ?? new Array<Value | undefined>(this.k).fill(undefined);
      t[d] = extra[n];
      out.set(i, t);
    });
    for (const [i, t] of out) this.set(op.results[i], t);
  }

  private set(v: Value, t: Tangents): void {
    if (t.some((x) => x !== undefined)) this.tangents.set(v, t);
  }

  private tangentValue(of: Value, type = f64): Value {
    const v = this.b.value(type);
    v.tangentOf = of;
    return v;
  }

  /** A rule's new result is named after the primal it is the tangent of (`y_dot`). */
  private named(t: Value | undefined, of: Value): Value | undefined {
    if (t && t.hint === undefined && t.adjointOf === undefined && t.tangentOf === undefined) t.tangentOf = of;
    return t;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
