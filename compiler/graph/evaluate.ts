// A function's IR evaluated at a point, as the graph shows it: the trace (trace.ts). Every
// operation run is a node, so an op inside a loop gives one node per iteration; `if`s run the
// branch taken, `while`s until their test fails, calls as one node whose partials come from the
// callee's own trace, memory ops on cells (loads are steps from the node stored in the element).
import { primitives } from "../ir/primitives";
import type { Scalar } from "../ir/interpret";
import type { Func, Op, Region, Value } from "../ir/types";
import { isDifferentiable } from "../ir/types";
import { GraphRequestError } from "./errors";
import { localPartials } from "./partials";
import { bindParameter, type InputTree, type PointValue } from "./point";
import { adjoints } from "./sweeps";
import { constant, isRef, type Cell, type Item, type Memory, type Node, type Operand, type Ref, type Scope, type Trace } from "./trace";

/** The functions calls refer to, by callee key. */
export type Functions = ReadonlyMap<string, Func>;

/**
 * More operations than this in one evaluation (calls included) is taken for a loop that does not
 * end: far more than a drawing can hold (the cap on drawn nodes is checked after), and a few
 * seconds of evaluation, which the playground does at every keystroke.
 */
export const evaluationBudget = 200_000;

export function evaluate(func: Func, point: readonly PointValue[], functions: Functions, budget = evaluationBudget): Trace {
  return new Evaluator(func, functions, { left: budget, total: budget }).run(point);
}

class Evaluator {
  private readonly nodes: Node[] = [];
  private readonly items: Item[] = [];
  private readonly env = new Map<Value, Cell>();
  private path: readonly number[] = [];
  private scope: Scope | undefined;

  constructor(
    private readonly func: Func,
    private readonly functions: Functions,
    private readonly budget: { left: number; readonly total: number },
  ) {}

  run(point: readonly PointValue[], bound?: readonly Cell[]): Trace {
    const inputs: Node[] = [];
    const params = this.func.params.map((p, i) => {
      if (bound) {
        this.env.set(p.value, bound[i]);
        return bound[i] as InputTree;
      }
      const { cell, tree } = bindParameter(p, i, point[i], inputs);
      this.env.set(p.value, cell);
      return tree;
    });
    const yields = this.region(this.func.body);
    const output = yields[0];
    if (output === undefined || !isRef(output)) throw new GraphRequestError(`'${this.func.name}' returns no number adc graph can draw`);
    return { func: this.func, point, params, inputs, nodes: this.nodes, items: this.items, output };
  }

  private region(region: Region): Cell[] {
    for (const op of region.ops) this.op(op);
    return region.yields.map((v) => this.get(v));
  }

  private get(v: Value): Cell {
    const cell = this.env.get(v);
    if (cell === undefined) throw new Error(`adc internal error: value ${v.id} used before definition`);
    return cell;
  }

  private scalar(v: Value): Scalar {
    const cell = this.get(v);
    if (!isRef(cell)) throw new Error(`adc internal error: value ${v.id} is memory, not a number`);
    return cell.x;
  }

  private memory(v: Value): Memory {
    const cell = this.get(v);
    if (isRef(cell)) throw new Error(`adc internal error: value ${v.id} is a number, not memory`);
    return cell;
  }

  private node(value: Value, op: Op, x: Scalar, operands: Operand[], inputs: Node[] = [], partials: number[] = [], extra: Partial<Node> = {}): Node {
    if (--this.budget.left < 0) {
      throw new GraphRequestError(`evaluating '${this.func.name}' at this point takes more than ${this.budget.total} operations (a loop that does not end?)`);
    }
    const node: Node = { kind: "node", value, op, x, operands, inputs, partials, path: this.path, ...extra };
    this.nodes.push(node);
    (this.scope?.items ?? this.items).push(node);
    return node;
  }

  /** Runs `work` in a new scope inside the current one. */
  private within<T>(scope: Omit<Scope, "items" | "path">, iteration: number | undefined, work: (scope: Scope) => T): T {
    const outer = { scope: this.scope, path: this.path };
    const inner: Scope = { ...scope, path: this.path, items: [] };
    (this.scope?.items ?? this.items).push(inner);
    this.scope = inner;
    if (iteration !== undefined) this.path = [...this.path, iteration];
    try {
      return work(inner);
    } finally {
      this.scope = outer.scope;
      this.path = outer.path;
    }
  }

  private op(op: Op): void {
    const [result] = op.results;
    switch (op.prim) {
      case "const":
        this.env.set(result, constant(op.attrs.value!));
        return;
      case "if":
        return this.ifOp(op);
      case "while":
        return this.whileOp(op);
      case "call":
        return this.call(op);
      case "load":
        return this.load(op);
      case "store": {
        const [a, i, v] = op.args;
        this.memory(a).cells.set(op.attrs.field ?? (this.scalar(i) as number), this.get(v));
        return;
      }
      case "fill": {
        const memory = this.memory(op.args[0]);
        const v = this.get(op.args[1]);
        for (const key of memory.cells.keys()) memory.cells.set(key, v);
        return;
      }
      case "alloc": {
        const n = this.scalar(op.args[0]) as number;
        const zero = constant(0);
        this.env.set(result, { kind: "memory", origin: { value: result }, isArray: true, cells: new Map(Array.from({ length: n }, (_, i) => [i, zero])) });
        return;
      }
      case "slice": {
        const source = this.memory(op.args[0]);
        const length = source.cells.size;
        const bound = (v: Value | undefined, otherwise: number) => {
          if (v === undefined) return otherwise;
          const k = this.scalar(v) as number;
          return k < 0 ? Math.max(length + k, 0) : Math.min(k, length);
        };
        const start = bound(op.args[1], 0);
        const end = bound(op.args[2], length);
        const cells = new Map<number | string, Cell>();
        for (let k = start; k < end; k++) cells.set(k - start, source.cells.get(k)!);
        this.env.set(result, { kind: "memory", origin: { value: result }, isArray: true, cells });
        return;
      }
      case "length": {
        const memory = this.memory(op.args[0]);
        this.env.set(result, this.node(result, op, memory.cells.size, [memory]));
        return;
      }
      case "global":
        // Its value exists only where the module runs; the picture without --at still shows it.
        throw new GraphRequestError(`adc graph cannot evaluate the module constant '${op.attrs.global!.name}'${op.loc ? ` (line ${op.loc.line})` : ""}: draw it without --at, or pass it as a parameter`);
    }
    const primitive = primitives.get(op.prim);
    if (!primitive || op.results.length !== 1) {
      throw new GraphRequestError(`adc graph cannot evaluate '${op.prim}'${op.loc ? ` (line ${op.loc.line})` : ""} yet`);
    }
    const operands = op.args.map((v) => this.get(v) as Ref);
    const xs = operands.map((r) => r.x);
    const y = primitive.evaluate(...xs);
    if (!isDifferentiable(result.type)) {
      this.env.set(result, this.node(result, op, y, operands));
      return;
    }
    const partials = localPartials(op, xs, y);
    const inputs: Node[] = [];
    const kept: number[] = [];
    operands.forEach((r, k) => {
      if (r.kind === "node") {
        inputs.push(r);
        kept.push(partials[k]);
      }
    });
    this.env.set(result, this.node(result, op, y, operands, inputs, kept));
  }

  /** Only the branch taken runs; each result is a node standing for the yield of that branch. */
  private ifOp(op: Op): void {
    const condition = this.get(op.args[0]) as Ref;
    const k = condition.x ? 0 : 1;
    const yields = this.within({ kind: "branch", op, index: k, condition }, undefined, () => this.region(op.regions[k]));
    op.results.forEach((r, i) => {
      const y = yields[i];
      if (!isRef(y)) {
        this.env.set(r, y);
        return;
      }
      const differentiable = y.kind === "node" && isDifferentiable(r.type);
      this.env.set(r, this.node(r, op, y.x, [condition, y], differentiable ? [y] : [], differentiable ? [1] : [], { branch: k }));
    });
  }

  private whileOp(op: Op): void {
    const [cond, body] = op.regions;
    let carried = op.args.map((v) => this.get(v));
    const bind = (region: Region) => region.params?.forEach((p, i) => this.env.set(p, carried[i]));
    for (let k = 1; ; k++) {
      const goOn = this.within({ kind: "iteration", op, index: k }, k, (scope) => {
        if (op.attrs.post) {
          bind(body);
          carried = this.region(body);
        }
        bind(cond);
        const [test] = this.region(cond) as Ref[];
        if (!test.x) {
          if (!op.attrs.post) scope.kind = "exit";
          return false;
        }
        if (!op.attrs.post) {
          bind(body);
          carried = this.region(body);
        }
        return true;
      });
      if (!goOn) break;
    }
    op.results.forEach((r, i) => this.env.set(r, carried[i]));
  }

  private load(op: Op): void {
    const [result] = op.results;
    const memory = this.memory(op.args[0]);
    const key = op.attrs.field ?? (this.scalar(op.args[1]) as number);
    // Out of range reads give undefined in JavaScript, and NaN in arithmetic.
    const cell = memory.cells.get(key) ?? constant(NaN);
    if (!isRef(cell)) {
      this.env.set(result, cell); // a row or a nested object: a reference into the same memory
      return;
    }
    const operands: Operand[] = op.attrs.field === undefined ? [memory, this.get(op.args[1]), cell] : [memory, cell];
    const differentiable = cell.kind === "node" && isDifferentiable(result.type);
    this.env.set(result, this.node(result, op, cell.x, operands, differentiable ? [cell] : [], differentiable ? [1] : [], { element: key }));
  }

  /**
   * A call is one node: the callee runs as a trace of its own (on the caller's memory for array
   * arguments), and the node's partials are that trace's adjoints of the callee's inputs and of the
   * caller's nodes it read through memory.
   */
  private call(op: Op): void {
    const [result] = op.results;
    const callee = this.functions.get(op.attrs.callee!);
    if (!callee || op.attrs.variant) throw new Error(`adc internal error: no function '${op.attrs.callee}'`);
    if (callee.body.yields.length === 0) {
      throw new GraphRequestError(`'${this.func.name}' calls '${callee.name}', whose derivative defineDerivative gives: adc graph cannot evaluate it`);
    }
    const operands = op.args.map((v) => this.get(v));
    const inner = new Evaluator(callee, this.functions, this.budget);
    const bound = operands.map((cell, i): Cell => {
      if (!isRef(cell)) return cell;
      const param = callee.params[i].value;
      return cell.kind === "node" ? { kind: "node", value: param, x: cell.x, operands: [], inputs: [], partials: [], path: [] } : cell;
    });
    const trace = inner.run([], bound);
    const gradient = adjoints(trace);
    const own = new Set<Node>(trace.nodes);
    const inputs: Node[] = [];
    const partials: number[] = [];
    operands.forEach((cell, i) => {
      const local = bound[i];
      if (cell.kind === "node" && local.kind === "node" && isDifferentiable(callee.params[i].value.type)) {
        inputs.push(cell);
        partials.push(gradient.get(local) ?? 0);
      }
    });
    for (const [node, g] of gradient) {
      if (!own.has(node) && !bound.includes(node)) {
        inputs.push(node);
        partials.push(g);
      }
    }
    this.env.set(result, this.node(result, op, trace.output.x, operands, inputs, partials));
  }
}
