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
import type { Attrs, Func, Op, Region, Type, Value } from "../ir/types";
import { f64, isAggregate, isDifferentiable } from "../ir/types";
import { analyzeActivity, type Activity } from "./activity";
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
  /** Tangents of scalars; for arrays and objects, their tangent memory (one per direction). */
  private readonly tangents = new Map<Value, Tangents>();
  private readonly k: number;
  private readonly activity: Activity;
  /** Tape slots of arrays pushed with their tangent memory (a reverse loop's copies for pullbacks). */
  private readonly pushedMemory = new Set<number>();

  constructor(
    private readonly primal: Pick<Func, "params" | "body" | "loc">,
    private readonly request: ForwardRequest,
  ) {
    this.k = request.directions;
    this.activity = analyzeActivity(primal.body, request.wrt.map((i) => primal.params[i].value));
    if (request.seed === "identity" && request.wrt.some((i) => isAggregate(primal.params[i].value.type))) {
      throw new ForwardUnsupported("Jacobians and Hessians with respect to arrays or objects are not supported yet; use jvp with array tangents");
    }
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
          seeds.push(request.wrt.map((i) => this.tangentValue(primal.params[i].value, primal.params[i].value.type)));
        }
        request.wrt.forEach((i, j) => {
          if (isDifferentiable(primal.params[i].value.type)) this.tangents.set(primal.params[i].value, seeds.map((s) => s[j]));
        });
      } else {
        const one = b.const(1);
        request.wrt.forEach((i, j) => this.tangents.set(primal.params[i].value, range(k).map((d) => (d === j ? one : undefined))));
      }
      // Arrays and objects that vary without being differentiated (a number is stored into them)
      // start with zero tangent memory.
      for (const p of primal.params) {
        if (isAggregate(p.value.type) && this.activity.varied.has(p.value) && !this.tangents.has(p.value)) {
          this.set(p.value, range(k).map(() => this.named(b.op("zerosLike", [p.value], p.value.type), p.value)));
        }
      }
      this.region(primal.body);
      b.loc = primal.loc;
      b.region.yields = [...primal.body.yields];
      return b.const(0);
    });
    const values = [...primal.body.yields];
    // A result without a tangent has tangent zero: the number 0, or zeros of its array's shape.
    const zeros = new Map<Value, Value>();
    const zeroOf = (v: Value) => {
      if (!isAggregate(v.type)) return zero;
      if (!zeros.has(v)) zeros.set(v, b.into(body, () => b.op("zerosLike", [v], v.type)));
      return zeros.get(v)!;
    };
    const tangents = values.map((v) => range(k).map((d) => this.tangents.get(v)?.[d] ?? zeroOf(v)));
    return { body, seeds, values, tangents };
  }

  /** Copies `region`'s ops into the builder's current region, each followed by its tangent ops. */
  private region(region: Region): void {
    for (const op of region.ops) {
      this.b.loc = op.loc;
      if (op.prim === "if") this.forwardIf(op);
      else if (op.prim === "while") this.forwardWhile(op);
      else if (op.prim === "call") this.forwardCall(op);
      else if (memoryOps.has(op.prim)) this.forwardMemory(op);
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
    if (!rule && op.prim.startsWith("tensor.")) {
      throw new ForwardUnsupported("second derivatives of tensor code (hessian, hvp, grad of grad) are not supported yet");
    }
    if (!rule) throw new Error(`adc internal error: no derivative rule for '${op.prim}'`);
    const out: Tangents = range(this.k).map((d) => {
      const ds = dxs.map((t) => t?.[d]);
      if (ds.every((t) => t === undefined)) return undefined;
      let dy = rule.forward(this.b, op.args, y, ds);
      // A tensor's tangent is a tensor, also where only a number operand varied (x + s).
      if (dy && y.type.kind === "tensor" && dy.type.kind !== "tensor") dy = this.b.op("tensor.fullLike", [y, dy], y.type);
      return this.named(dy, y);
    });
    this.set(y, out);
  }

  /**
   * A call with varying arguments becomes a call of the callee's jvp, specialised to those
   * arguments and to the number of directions: it returns the value and one tangent per direction.
   */
  private forwardCall(op: Op): void {
    const wrt = op.args.flatMap((x, i) => (this.tangents.has(x) && isDifferentiable(x.type) ? [i] : []));
    if (wrt.length === 0) {
      this.copy(op);
      for (const r of op.results) if (isAggregate(r.type)) this.zeroTangentIfVaried(r);
      return;
    }
    if (op.attrs.variant !== undefined && op.attrs.variant !== "pullback") {
      throw new ForwardUnsupported(`differentiating the ${op.attrs.variant} of '${op.attrs.callee}' again (a third derivative) is not supported yet`);
    }
    const b = this.b;
    let zero: Value | undefined;
    // A tangent structurally zero in this direction is passed as zeros of the argument's shape.
    const zeroOf = (x: Value) => (x.type.kind === "f64" ? (zero ??= b.const(0)) : b.zeroLike(x));
    const tangentArgs = range(this.k).flatMap((d) =>
      wrt.map((i) => this.tangents.get(op.args[i])![d] ?? zeroOf(op.args[i])),
    );
    // A primal call returns its results (a number, a tuple's numbers, an array or object); a
    // pullback call (met in a reverse sweep: second derivatives) one adjoint per wrt parameter.
    // Each gets a tangent per direction. A callee that writes its arguments writes their tangents too.
    const tangents = range(this.k).map(() => op.results.map((r) => this.tangentValue(r, r.type)));
    const writes = op.attrs.writes ? { writes: op.attrs.writes } : {};
    const attrs: Attrs =
      op.attrs.variant === "pullback"
        ? { callee: op.attrs.callee, variant: "pullbackTangent", wrt: op.attrs.wrt, tangentWrt: wrt, directions: this.k }
        : { callee: op.attrs.callee, variant: "jvp", wrt, directions: this.k, ...writes };
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
      const yields = op.regions[j].yields;
      region.yields = [...yields, ...active.map(([i, d]) => result[i]?.[d] ?? b.into(region, () => b.zeroLike(yields[i])))];
    });
    const extra = active.map(([i]) => this.tangentValue(op.results[i], op.results[i].type));
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

  /**
   * A loop carries each varied value's tangents (k per value) next to it: the body's params and
   * yields and the loop's results gain them.
   */
  private forwardWhile(op: Op): void {
    const b = this.b;
    const [cond, body] = op.regions;
    const active = op.args.flatMap((_, j) => {
      const kind = body.params![j].type.kind;
      return this.activity.varied.has(body.params![j]) && (kind === "f64" || kind === "tensor") ? [j] : [];
    });
    const inits = active.flatMap((j) => range(this.k).map((d) => this.tangents.get(op.args[j])?.[d] ?? b.zeroLike(op.args[j])));
    const carried = (region: Region, build: () => Value[] | undefined) =>
      b.inRegion(() => {
        const extra = active.flatMap((j) => range(this.k).map(() => this.tangentValue(region.params![j], region.params![j].type)));
        b.region.params = [...region.params!, ...extra];
        active.forEach((j, n) => this.set(region.params![j], extra.slice(n * this.k, (n + 1) * this.k)));
        this.region(region);
        const yields = build();
        b.region.yields = [...region.yields, ...(yields ?? [])];
      }).region;
    const newCond = carried(cond, () => undefined);
    const newBody = carried(body, () =>
      active.flatMap((j) => range(this.k).map((d) => this.tangents.get(body.yields[j])?.[d] ?? b.zeroLike(body.yields[j]))),
    );
    const extra = active.flatMap((j) => range(this.k).map(() => this.tangentValue(op.results[j], op.results[j].type)));
    b.region.ops.push({ ...op, args: [...op.args, ...inits], results: [...op.results, ...extra], regions: [newCond, newBody] });
    active.forEach((j, n) => this.set(op.results[j], extra.slice(n * this.k, (n + 1) * this.k)));
  }

  /**
   * Memory: varied arrays and objects have tangent memory per direction, read and written where
   * the primal is (`a_dot[i] = v_dot` beside `a[i] = v`); references into them (rows, fields) and
   * copies follow the primal's. The tape carries tangents beside values, popped in mirror order.
   */
  private forwardMemory(op: Op): void {
    const b = this.b;
    const k = this.k;
    const [first] = op.args;
    const dirs = range(k);
    const memory = (v: Value) => this.tangents.get(v);
    switch (op.prim) {
      case "load": {
        this.copy(op);
        const m = memory(first);
        if (m) this.set(op.results[0], dirs.map((d) => this.named(b.op("load", [m[d]!, ...op.args.slice(1)], op.results[0].type, op.attrs), op.results[0])));
        return;
      }
      case "store":
      case "storeAdd":
      case "fill": {
        this.copy(op);
        const m = memory(first);
        if (!m) return;
        const value = op.args[op.args.length - 1];
        const t = this.tangents.get(value);
        if (op.prim === "storeAdd" && !t) return;
        let zero: Value | undefined;
        for (const d of dirs) {
          const dv = t?.[d] ?? (zero ??= b.const(0));
          b.emit(op.prim, [m[d]!, ...op.args.slice(1, -1), dv], [], op.attrs);
        }
        return;
      }
      case "alloc":
      case "zerosLike": {
        this.copy(op);
        const v = op.results[0];
        if (this.activity.varied.has(v) || this.tangents.has(first)) {
          this.set(v, dirs.map(() => this.named(b.op(op.prim, [...op.args], v.type, op.attrs), v)));
        }
        return;
      }
      case "slice": {
        this.copy(op);
        const m = memory(first);
        if (m) this.set(op.results[0], dirs.map((d) => this.named(b.op("slice", [m[d]!, ...op.args.slice(1)], op.results[0].type), op.results[0])));
        else this.zeroTangentIfVaried(op.results[0]);
        return;
      }
      case "drain": {
        this.copy(op);
        const m = memory(first);
        if (m) this.set(op.results[0], dirs.map((d) => this.named(b.op("drain", [m[d]!]), op.results[0])));
        return;
      }
      case "addSlice": {
        this.copy(op);
        const into = memory(op.args[0]);
        const from = memory(op.args[2]);
        if (into && from) for (const d of dirs) b.emit("addSlice", [into[d]!, op.args[1], from[d]!], []);
        return;
      }
      case "addTo": {
        this.copy(op);
        const into = memory(op.args[0]);
        const from = memory(op.args[1]);
        if (into && from) for (const d of dirs) b.emit("addTo", [into[d]!, from[d]!], []);
        return;
      }
      case "copy": {
        this.copy(op);
        const m = memory(first);
        if (m) this.set(op.results[0], dirs.map((d) => this.named(b.op("copy", [m[d]!], op.results[0].type), op.results[0])));
        else this.zeroTangentIfVaried(op.results[0]);
        return;
      }
      case "array":
      case "struct": {
        // A literal's tangent is the literal of its elements' tangents (zeros where they have none).
        this.copy(op);
        const v = op.results[0];
        if (!op.args.some((x) => this.tangents.has(x))) return this.zeroTangentIfVaried(v);
        let zero: Value | undefined;
        const tangentOf = (x: Value, d: number): Value => {
          const t = this.tangents.get(x)?.[d];
          if (t) return t;
          if (x.type.kind === "f64") return (zero ??= b.const(0));
          return b.zeroLike(x);
        };
        this.set(v, dirs.map((d) => this.named(b.op(op.prim, op.args.map((x) => tangentOf(x, d)), v.type, op.attrs), v)));
        return;
      }
      case "push": {
        this.copy(op);
        if (first.type.kind !== "f64" && !isAggregate(first.type)) return;
        // Numbers push their tangents (0 where they have none); a kept array its tangent memory.
        const t = this.tangents.get(first);
        if (isAggregate(first.type) && !(this.activity.varied.has(first) || t)) return;
        for (const d of dirs) b.emit("push", [t?.[d] ?? b.zeroLike(first)], []);
        if (isAggregate(first.type)) this.pushedMemory.add(op.attrs.slot!);
        return;
      }
      case "pop": {
        const v = op.results[0];
        if (v.type.kind === "tensor") throw new ForwardUnsupported("second derivatives of tensor code with loops are not supported yet");
        const memory = isAggregate(v.type) && this.pushedMemory.has(op.attrs.slot!);
        if (v.type.kind !== "f64" && !memory) return this.copy(op);
        // The tangents were pushed after the value: they come off first, last direction first.
        const popped = dirs.map(() => this.tangentValue(v, v.type));
        for (const t of [...popped].reverse()) b.region.ops.push({ prim: "pop", args: [], results: [t], attrs: { type: v.type }, regions: [], loc: op.loc });
        this.copy(op);
        this.set(v, popped);
        return;
      }
      default:
        this.copy(op); // length: a count, never differentiated
    }
  }

  /**
   * New memory made from values with no tangent (a copy of such memory, a literal of constants, a
   * callee's result) gets a zero tangent when varied numbers are stored into it later
   * (`const a = [0, 0]; a[i] = x[i]`), or their tangents would be lost.
   */
  private zeroTangentIfVaried(v: Value): void {
    if (!this.activity.varied.has(v) || !this.activity.stored.has(this.activity.rootOf(v))) return;
    this.set(v, range(this.k).map(() => this.named(this.b.op("zerosLike", [v], v.type), v)));
  }

  private set(v: Value, t: Tangents): void {
    if (t.some((x) => x !== undefined)) this.tangents.set(v, t);
  }

  private tangentValue(of: Value, type: Type = f64): Value {
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

const memoryOps = new Set(["load", "store", "storeAdd", "fill", "alloc", "zerosLike", "slice", "drain", "addSlice", "addTo", "copy", "array", "struct", "push", "pop", "length"]);

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
