// Creates values and appends ops to the current region. One builder per function being built.
import type { Attrs, Loc, Op, Region, Type, Value } from "./types";
import { bool, f64 } from "./types";

// Value ids are unique across every builder of the process, so passes that create values never
// collide with values of another function (residuals, lifted results). Only their order matters.
let nextId = 0;

export class Builder {
  region: Region = { ops: [], yields: [] };
  /** Location stamped on every op emitted until it changes. */
  loc: Loc | undefined;
  /** The op that made each value this builder emitted. */
  readonly defs = new Map<Value, Op>();

  value(type: Type, hint?: string): Value {
    return { id: nextId++, type, hint };
  }

  emit(prim: string, args: Value[], resultTypes: Type[], attrs: Attrs = {}, regions: Region[] = []): Op {
    const results = resultTypes.map((t) => this.value(t));
    const op: Op = { prim, args, results, attrs, regions, loc: this.loc };
    for (const r of results) this.defs.set(r, op);
    this.region.ops.push(op);
    return op;
  }

  /** Emits a single-result op and returns its result. */
  op(prim: string, args: Value[], type: Type = f64, attrs: Attrs = {}): Value {
    return this.emit(prim, args, [type], attrs).results[0];
  }

  const(value: number): Value {
    return this.op("const", [], f64, { value });
  }

  bool(value: boolean): Value {
    return this.op("const", [], bool, { value });
  }

  /** A zero derivative of `like`'s kind: the number 0, or zeros of its shape (tensors, arrays, objects). */
  zeroLike(like: Value): Value {
    return like.type.kind === "f64" ? this.const(0) : this.op("zerosLike", [like], like.type);
  }

  /** Builds ops into a fresh region and restores the current one afterwards. */
  inRegion<T>(build: () => T): { region: Region; result: T } {
    const saved = this.region;
    const region: Region = { ops: [], yields: [] };
    this.region = region;
    try {
      return { region, result: build() };
    } finally {
      this.region = saved;
    }
  }

  /** Appends ops to an existing region (e.g. a branch built earlier). */
  into<T>(region: Region, build: () => T): T {
    const saved = this.region;
    this.region = region;
    try {
      return build();
    } finally {
      this.region = saved;
    }
  }

  add(a: Value, b: Value): Value {
    return this.op("add", [a, b]);
  }
  sub(a: Value, b: Value): Value {
    return this.op("sub", [a, b]);
  }
  mul(a: Value, b: Value): Value {
    return this.op("mul", [a, b]);
  }
  div(a: Value, b: Value): Value {
    return this.op("div", [a, b]);
  }
  neg(a: Value): Value {
    return this.op("neg", [a]);
  }
  call(prim: string, ...args: Value[]): Value {
    return this.op(prim, args);
  }
}
