// Arrays made or changed by array constructors and methods: `new Float64Array(n)` (and copies),
// `new Array(n).fill(x)`, `[]` (an empty array to push onto), `a.slice(s, e)`, `a.fill(v, s?, e?)`,
// `a.concat(…)`, `a.at(i)`, and the known length of an array made here. Methods that call a
// callback per element are in array-iteration.ts, push and pop in growable.ts.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Op, Type, Value } from "../ir/types";
import { bool, f64 } from "../ir/types";
import { isWholeSize } from "../ir/sizes";
import { growingMethods } from "./callables";
import type { Env } from "./frames";
import { refuseGlobalWrite } from "./globals";
import type { Lowerer } from "./lowerer";

/** What to write instead of a method adc does not lower. */
const rewrites: Record<string, string> = {
  sort: "sorting is not differentiable as a method here; write the comparisons in a loop",
  reverse: "write a loop reading a[n − 1 − i]",
  join: "strings are not numbers",
  flat: "index the rows in nested loops",
  flatMap: "index the rows in nested loops",
  copyWithin: "copy in a loop",
  set: "copy in a loop",
  subarray: "use slice (a copy) or index with an offset",
  values: "iterate the array itself (for … of a)",
};

export class ArrayMethods {
  /** The op that made each local array (`alloc`), wherever it is: its length is known. */
  readonly allocations = new Map<Value, Op>();

  constructor(private readonly l: Lowerer) {}

  /** `new Float64Array(n)`, `new Float64Array(a)` (a copy). */
  newArray(e: ts.NewExpression, env: Env): Value {
    const { b, checker, expressions } = this.l;
    const args = e.arguments ?? [];
    if (isGlobalName(checker, e.expression, "Float64Array") && args.length === 1) {
      const arg = expressions.value(args[0], env);
      if (arg.type.kind === "f64") return this.alloc(arg, { kind: "array", element: f64, container: "Float64Array" }, "Float64Array");
      if (arg.type.kind === "array" && arg.type.element.kind === "f64") {
        return b.op("slice", [arg, b.const(0), this.length(arg, env)], { kind: "array", element: f64, container: "Float64Array" });
      }
    }
    if (isGlobalName(checker, e.expression, "Array")) {
      throw new Refusal(Codes.ArrayMethod, "`new Array(n)` has holes; write `new Array(n).fill(0)` or `new Float64Array(n)`", e);
    }
    throw new Refusal(Codes.ArrayMethod, "only `new Float64Array(n)` and `new Array(n).fill(x)` make arrays in a differentiated function", e);
  }

  /** `[]`: a new empty number[] (to push onto). */
  empty(e: ts.ArrayLiteralExpression): Value {
    const { checker } = this.l;
    const context = checker.getContextualType(e) ?? checker.getTypeAtLocation(e);
    const element = checker.isArrayType(context) ? checker.getTypeArguments(context as ts.TypeReference)[0] : undefined;
    if (!element || !(element.flags & ts.TypeFlags.NumberLike)) {
      throw new Refusal(Codes.UnsupportedType, "an empty array here must be a number[] (write `const a: number[] = []`)", e);
    }
    return this.alloc(this.l.b.const(0), { kind: "array", element: f64, container: "Array" }, "Array");
  }

  alloc(length: Value, type: Type, container: "Float64Array" | "Array"): Value {
    const op = this.l.b.emit("alloc", [length], [type], { container });
    this.allocations.set(op.results[0], op);
    return op.results[0];
  }

  /** A new number[] of `length` copies of `value`. */
  filled(length: Value, value: Value): Value {
    const array = this.alloc(length, { kind: "array", element: f64, container: "Array" }, "Array");
    if (this.constantOf(value) !== 0) this.l.b.emit("fill", [array, value], []);
    return array;
  }

  /**
   * `a.length`: a growing array's counter; an array made here has the length it was made with;
   * any other array's length never changes inside the function.
   */
  length(array: Value, env: Env): Value {
    const growing = this.l.growables.length(array, env);
    if (growing) return growing;
    const made = this.allocations.get(array);
    // `new Array(n)` throws unless n is whole; a typed array's size is its length only when whole (ir/sizes.ts).
    const size = made?.prim === "alloc" ? made.args[0] : undefined;
    if (size && (made!.attrs.container === "Array" || isWholeSize(this.l.b.defs.get(size)?.prim === "length", this.constantOf(size)))) return size;
    return this.l.b.op("length", [array]);
  }

  /** Whether an expression is an array (by its type), so its methods are array methods. */
  isArrayExpression(e: ts.Expression): boolean {
    return isArrayType(this.l.checker, this.l.checker.getTypeAtLocation(e));
  }

  /** Array methods as values; undefined when the base is not an array. */
  call(e: ts.CallExpression, callee: ts.PropertyAccessExpression, env: Env): Value | undefined {
    const { b, checker, expressions } = this.l;
    const method = callee.name.text;
    if (method === "fill" && ts.isNewExpression(callee.expression) && isGlobalName(checker, callee.expression.expression, "Array")) {
      const args = callee.expression.arguments ?? [];
      if (args.length !== 1 || e.arguments.length !== 1) throw new Refusal(Codes.ArrayMethod, "write `new Array(n).fill(x)`", e);
      return this.filled(expressions.number(args[0], env), expressions.number(e.arguments[0], env));
    }
    if (method === "from" && isGlobalName(checker, callee.expression, "Array")) return this.l.iteration.from(e, env);
    if (!isArrayType(checker, checker.getTypeAtLocation(callee.expression))) return undefined;
    const base = expressions.array(callee.expression, env);
    if (base.type.kind !== "array") return undefined;
    if (growingMethods.has(method)) return this.l.growables.call(e, method, base, env);
    const iterated = this.l.iteration.call(e, method, base, env);
    if (iterated) return iterated;
    const numbers = base.type.element.kind === "f64";
    switch (method) {
      case "slice":
        if (e.arguments.length <= 2 && numbers) {
          const length = this.length(base, env);
          const [start, end] = [0, 1].map((i) => (e.arguments[i] ? expressions.number(e.arguments[i], env) : i === 0 ? b.const(0) : length));
          return b.op("slice", [base, start, end], base.type);
        }
        break;
      case "fill":
        this.fill(e, base, env);
        return base;
      case "at":
        if (e.arguments.length === 1) return expressions.element(base, this.atIndex(expressions.number(e.arguments[0], env), this.length(base, env)), e);
        break;
      case "concat":
        if (numbers && base.type.container === "Array") return this.concat(e, base, env);
        throw new Refusal(Codes.ArrayMethod, "concat joins number[] arrays (not typed arrays, rows or objects) here", e);
      case "forEach":
        throw new Refusal(Codes.ArrayMethod, "forEach returns nothing; call it as a statement", e);
    }
    const rewrite = rewrites[method];
    throw new Refusal(Codes.ArrayMethod, `array method '${method}'${e.arguments.length > 0 && method in { slice: 1, at: 1 } ? " with these arguments" : ""} is not supported in a differentiated function${rewrite ? `; ${rewrite}` : ""}`, callee.name);
  }

  /** `a.fill(v)`, `a.fill(v, start, end)` (negative positions count from the end). */
  fill(e: ts.CallExpression, array: Value, env: Env): void {
    const { b, expressions } = this.l;
    if (e.arguments.length < 1 || e.arguments.length > 3) throw new Refusal(Codes.ArrayMethod, "write `a.fill(value)` or `a.fill(value, start, end)`", e);
    if (array.type.kind !== "array" || array.type.element.kind !== "f64") throw new Refusal(Codes.ArrayMethod, "only arrays of numbers can be filled", e);
    refuseGlobalWrite(array, b.defs, e);
    const value = expressions.number(e.arguments[0], env);
    if (e.arguments.length === 1) {
      b.emit("fill", [array, value], []);
      return;
    }
    const n = this.length(array, env);
    const start = this.relativeIndex(expressions.number(e.arguments[1], env), n, false);
    const end = e.arguments[2] ? this.relativeIndex(expressions.number(e.arguments[2], env), n, true) : n;
    this.copyLoop(start, end, (i) => b.emit("store", [array, i, value], []), "i");
  }

  /** `a.concat(b, x, …)` of number[] arrays and numbers: a new number[]. */
  private concat(e: ts.CallExpression, base: Value, env: Env): Value {
    const { b, expressions } = this.l;
    const parts = [base, ...e.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.ArrayMethod, "spread arguments to concat are not supported", a);
      const v = expressions.value(a, env);
      if (v.type.kind === "f64") return v;
      if (v.type.kind !== "array" || v.type.element.kind !== "f64") throw new Refusal(Codes.ArrayMethod, "concat joins arrays of numbers and numbers", a);
      return v;
    })];
    const lengths = parts.map((p) => (p.type.kind === "f64" ? b.const(1) : this.length(p, env)));
    const total = lengths.reduce((x, y) => b.add(x, y));
    const out = this.alloc(total, base.type, "Array");
    let offset = b.const(0);
    parts.forEach((p, k) => {
      if (p.type.kind === "f64") {
        b.emit("store", [out, offset, p], []);
      } else {
        const at = offset;
        this.copyLoop(b.const(0), lengths[k], (j) => b.emit("store", [out, b.add(at, j), b.op("load", [p, j])], []), "j");
      }
      offset = b.add(offset, lengths[k]);
    });
    return out;
  }

  /** A loop `for (i = from; i < to; i++) body(i)` (nothing carried). */
  private copyLoop(from: Value, to: Value, body: (i: Value) => void, name: string): void {
    const { b } = this.l;
    const loc = b.loc;
    const cond = b.inRegion(() => {
      const i = b.value(f64, name);
      b.region.params = [i];
      b.region.yields = [b.op("lt", [i, to], bool)];
    });
    const step = b.inRegion(() => {
      const i = b.value(f64, name);
      b.region.params = [i];
      b.loc = loc;
      body(i);
      b.region.yields = [b.add(i, b.const(1))];
    });
    b.loc = loc;
    b.emit("while", [from], [f64], {}, [cond.region, step.region]);
  }

  /** `a.at(i)`: i, or n + i for a negative i (truncated to a whole number, as JavaScript does). */
  private atIndex(i: Value, n: Value): Value {
    const { b } = this.l;
    const c = this.constantOf(i);
    if (c !== undefined) return c >= 0 ? b.const(Math.trunc(c)) : this.offset(n, Math.trunc(c));
    const whole = b.op("trunc", [i]);
    return b.op("select", [b.op("lt", [whole, b.const(0)], bool), b.add(n, whole), whole]);
  }

  /**
   * A position given relative to an array of length n (fill, indexOf): negative counts from the
   * end, at least 0; at most n when `upper` (an end: a start past n only makes the loop empty).
   */
  relativeIndex(i: Value, n: Value, upper: boolean): Value {
    const { b } = this.l;
    const c = this.constantOf(i);
    const clamp = (v: Value) => (upper ? b.op("min", [v, n]) : v);
    if (c !== undefined && c >= 0) return clamp(b.const(Math.trunc(c)));
    if (c !== undefined) return b.op("max", [this.offset(n, Math.trunc(c)), b.const(0)]);
    const whole = b.op("trunc", [i]);
    const fromEnd = b.op("max", [b.add(n, whole), b.const(0)]);
    return b.op("select", [b.op("lt", [whole, b.const(0)], bool), fromEnd, clamp(whole)]);
  }

  /** The number a value is, if it is a constant made in the current region. */
  constantOf(v: Value): number | undefined {
    const op = this.l.b.region.ops.find((o) => o.results[0] === v);
    return op?.prim === "const" && typeof op.attrs.value === "number" ? op.attrs.value : undefined;
  }

  /** n + c for a whole constant c, written n − |c| when c is negative. */
  private offset(n: Value, c: number): Value {
    const { b } = this.l;
    return c < 0 ? b.sub(n, b.const(-c)) : b.add(n, b.const(c));
  }
}

/** Whether `e` names the global `name` (not a user declaration of the same name). */
function isGlobalName(checker: ts.TypeChecker, e: ts.Expression, name: string): boolean {
  if (!ts.isIdentifier(e) || e.text !== name) return false;
  const symbol = checker.getSymbolAtLocation(e);
  // The value (`declare var Array: ArrayConstructor`) decides: a project's `declare global {
  // interface Array<T> … }` (a polyfill's typing) adds a declaration of the type, not of the value.
  const declarations = symbol?.valueDeclaration ? [symbol.valueDeclaration] : (symbol?.declarations ?? []);
  return !symbol || declarations.every((d) => d.getSourceFile().isDeclarationFile);
}

/** number[] (readonly too), Float64Array, Int32Array. */
function isArrayType(checker: ts.TypeChecker, type: ts.Type): boolean {
  const name = type.getSymbol()?.getName();
  // A tuple of numbers is an array of its length (types.ts): its methods are the array's.
  return checker.isArrayType(type) || checker.isTupleType(type) || name === "Float64Array" || name === "Int32Array";
}
