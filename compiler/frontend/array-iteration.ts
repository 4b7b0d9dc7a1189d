// Array methods that call a callback per element, each lowered to one `while` over the indices
// with the callback inlined in its body (callables.ts), so the derivative code is a plain loop:
//   map, forEach, reduce / reduceRight, some / every, find / findIndex / findLast / findLastIndex,
//   indexOf / lastIndexOf / includes, filter, Array.from(x, f), Array.from({ length: n }, f),
//   and the folds of Math.max(...x) / Math.min(...x).
// The loop carries its index, the method's state (an accumulator, a found flag, a count) and the
// outer variables the callback assigns. Searches stop at the first hit, as JavaScript's do.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";
import { bool, f64 } from "../ir/types";
import type { Callable } from "./callables";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";

/** One pass over the indices of an array (or 0…count−1), carrying `state`. */
interface Sweep {
  readonly count: Value;
  readonly backwards?: boolean;
  /** The first index (default: 0, or count − 1 backwards). */
  readonly from?: Value;
  readonly state: readonly Value[];
  readonly names?: readonly string[];
  /** Stop before the next iteration once this holds. */
  readonly until?: (state: Value[]) => Value;
  /** Outer variables the body assigns (carried, and written back to env after the loop). */
  readonly written: readonly ts.Symbol[];
  readonly body: (index: Value, state: Value[], env: Env) => Value[];
}

const searches = new Set(["some", "every", "find", "findIndex", "findLast", "findLastIndex"]);

export class ArrayIteration {
  /** Results of find and findLast, which are undefined when nothing is found: whether it was. */
  private readonly found = new Map<Value, Value>();

  constructor(private readonly l: Lowerer) {}

  /**
   * `v ?? d`, `v === undefined`, `v !== undefined` (and `==`/`!=` with undefined or null): for a
   * result of find, decided by whether it found; any other number is never undefined. Undefined
   * when `e` is not one of these.
   */
  undefinedTest(e: ts.BinaryExpression, env: Env): Value | undefined {
    const { b, expressions } = this.l;
    const kind = e.operatorToken.kind;
    /** Whether a value may be undefined: a find result tells; otherwise only a type without undefined says no. */
    const foundOf = (x: ts.Expression, v: Value): Value => {
      const found = this.found.get(v);
      if (found) return found;
      if (maybeUndefined(this.l.checker, x)) {
        throw new Refusal(Codes.UnsupportedType, "adc cannot tell whether this is undefined; test the result of find where it is made (`a.find(…) ?? d`, or a const holding it)", x);
      }
      return b.bool(true);
    };
    if (kind === ts.SyntaxKind.QuestionQuestionToken) {
      const v = expressions.number(e.left, env);
      const found = foundOf(e.left, v);
      return expressions.lazyIf(found, () => v, () => expressions.number(e.right, env), f64);
    }
    const equal = kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
    if (!equal && kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken && kind !== ts.SyntaxKind.ExclamationEqualsToken) return undefined;
    const nothing = (x: ts.Expression) => (ts.isIdentifier(x) && x.text === "undefined") || x.kind === ts.SyntaxKind.NullKeyword;
    const other = nothing(e.right) ? e.left : nothing(e.left) ? e.right : undefined;
    if (!other) return undefined;
    const found = foundOf(other, expressions.value(other, env));
    return equal ? b.op("not", [found], bool) : found;
  }

  /** `base.method(callback, …)` for the iteration methods; undefined for other methods. */
  call(e: ts.CallExpression, method: string, base: Value, env: Env): Value | undefined {
    if (base.type.kind !== "array") return undefined;
    const known = method === "map" || method === "reduce" || method === "reduceRight" || method === "filter" || searches.has(method) ||
      method === "indexOf" || method === "lastIndexOf" || method === "includes";
    if (!known) return undefined;
    if (base.type.element.kind === "int") throw new Refusal(Codes.ArrayMethod, `${method} on an Int32Array is not supported; loop over it`, e);
    switch (method) {
      case "map": return this.map(e, base, env);
      case "reduce": case "reduceRight": return this.reduce(e, base, env, method === "reduceRight");
      case "filter": return this.filter(e, base, env);
      case "indexOf": case "lastIndexOf": case "includes": return this.indexOf(e, method, base, env);
      default: return this.search(e, method, base, env);
    }
  }

  /** `x.forEach(f)`: a statement. */
  forEach(e: ts.CallExpression, base: Value, env: Env): void {
    const f = this.callback(e, 0, "forEach");
    this.each(e, base, f, env, (v, i, inner) => {
      this.l.callables.invoke(f, [v, i, base], inner, e, "void");
      return [];
    });
  }

  /** `x.map(f)`: a new array of the callback's numbers (Float64Array for Float64Array). */
  private map(e: ts.CallExpression, base: Value, env: Env, container = containerOf(base), callbackAt = 0): Value {
    const { b } = this.l;
    const f = this.callback(e, callbackAt, callbackAt === 0 ? "map" : "Array.from");
    const n = this.l.arrays.length(base, env);
    const out = this.l.arrays.alloc(n, { kind: "array", element: f64, container }, container);
    this.each(e, base, f, env, (v, i, inner) => {
      const y = this.l.callables.invoke(f, [v, i, base], inner, e, "number")!;
      b.emit("store", [out, i, y], []);
      return [];
    }, n);
    return out;
  }

  /** `x.reduce(f, init?)`, `x.reduceRight(…)`: a number (without init, the first element starts). */
  private reduce(e: ts.CallExpression, base: Value, env: Env, backwards: boolean): Value {
    const { b, expressions } = this.l;
    const method = backwards ? "reduceRight" : "reduce";
    const f = this.callback(e, 0, method);
    if (e.arguments.length > 2) throw new Refusal(Codes.ArrayMethod, `${method} takes a callback and an initial value`, e);
    const n = this.l.arrays.length(base, env);
    let acc: Value;
    let from: Value | undefined;
    if (e.arguments.length === 2) {
      acc = expressions.value(e.arguments[1], env);
      if (acc.type.kind !== "f64") {
        throw new Refusal(Codes.ArrayMethod, `${method} with an array or object accumulator is not supported; accumulate numbers, or write the loop`, e.arguments[1]);
      }
    } else {
      // Without an initial value the first element (the last, backwards) starts; an empty array
      // throws in JavaScript, and reads undefined here.
      if (base.type.kind !== "array" || base.type.element.kind !== "f64") {
        throw new Refusal(Codes.ArrayMethod, `${method} over rows or objects needs an initial number`, e);
      }
      const first = backwards ? b.sub(n, b.const(1)) : b.const(0);
      acc = expressions.element(base, first, e);
      from = backwards ? b.sub(first, b.const(1)) : b.const(1);
    }
    const [result] = this.sweep(e, [f], env, {
      count: n,
      backwards,
      from,
      state: [acc],
      names: [parameterName(f, 0) ?? "acc"],
      body: (i, [a], inner) => {
        const v = expressions.element(base, i, e);
        return [this.l.callables.invoke(f, [a, v, i, base], inner, e, "number")!];
      },
    }).state;
    return result;
  }

  /** `some`, `every`, `find…`: a loop that stops at the first element the callback decides. */
  private search(e: ts.CallExpression, method: string, base: Value, env: Env): Value {
    const { b, expressions } = this.l;
    const f = this.callback(e, 0, method);
    const backwards = method === "findLast" || method === "findLastIndex";
    const every = method === "every";
    const n = this.l.arrays.length(base, env);
    // `hit`: the callback said true (for every: false) at the last index visited.
    const { index, state: [hit] } = this.sweep(e, [f], env, {
      count: n,
      backwards,
      state: [b.bool(false)],
      names: ["found"],
      until: ([h]) => h,
      body: (i, _, inner) => {
        const v = expressions.element(base, i, e);
        const p = this.l.callables.invoke(f, [v, i, base], inner, e, "condition")!;
        return [every ? b.op("not", [p], bool) : p];
      },
    });
    if (method === "some") return hit;
    if (method === "every") return b.op("not", [hit], bool);
    // The index stepped past the hit; not found: −1 (and find reads a[−1], undefined, as JS gives).
    const at = this.l.named(b.op("select", [hit, backwards ? b.add(index, b.const(1)) : b.sub(index, b.const(1)), b.const(-1)]), "at");
    if (method === "findIndex" || method === "findLastIndex") return at;
    const element = expressions.element(base, at, e);
    this.found.set(element, hit);
    return element;
  }

  /** `indexOf(v, from?)`, `lastIndexOf(v)`, `includes(v, from?)`: comparisons, no callback. */
  private indexOf(e: ts.CallExpression, method: string, base: Value, env: Env): Value {
    const { b, expressions } = this.l;
    if (base.type.kind !== "array" || base.type.element.kind !== "f64") {
      throw new Refusal(Codes.ArrayMethod, `${method} compares numbers; over rows or objects use findIndex with a test`, e);
    }
    if (e.arguments.length < 1 || e.arguments.length > (method === "lastIndexOf" ? 1 : 2)) {
      throw new Refusal(Codes.ArrayMethod, `${method} takes the value${method === "lastIndexOf" ? "" : " and optionally a start index"}`, e);
    }
    const target = expressions.number(e.arguments[0], env);
    const constant = this.l.arrays.constantOf(target);
    const n = this.l.arrays.length(base, env);
    const from = e.arguments[1] ? this.l.arrays.relativeIndex(expressions.number(e.arguments[1], env), n, false) : undefined;
    const backwards = method === "lastIndexOf";
    const { index, state: [hit] } = this.sweep(e, [], env, {
      count: n,
      backwards,
      from,
      state: [b.bool(false)],
      names: ["found"],
      until: ([h]) => h,
      body: (i) => {
        const v = expressions.element(base, i, e);
        // includes uses SameValueZero: NaN is found.
        if (method === "includes" && constant !== undefined) return [Number.isNaN(constant) ? b.op("ne", [v, v], bool) : b.op("eq", [v, target], bool)];
        const same = b.op("eq", [v, target], bool);
        if (method !== "includes") return [same];
        return [b.op("or", [same, b.op("and", [b.op("ne", [v, v], bool), b.op("ne", [target, target], bool)], bool)], bool)];
      },
    });
    if (method === "includes") return hit;
    return b.op("select", [hit, backwards ? b.add(index, b.const(1)) : b.sub(index, b.const(1)), b.const(-1)]);
  }

  /** `x.filter(p)`: the kept elements, in order, in a new array as long as their count. */
  private filter(e: ts.CallExpression, base: Value, env: Env): Value {
    const { b, expressions } = this.l;
    if (base.type.kind !== "array" || base.type.element.kind !== "f64") {
      throw new Refusal(Codes.ArrayMethod, "filter of rows or objects is not supported (arrays of them cannot be made yet); loop with an if", e);
    }
    const f = this.callback(e, 0, "filter");
    const n = this.l.arrays.length(base, env);
    const container = containerOf(base);
    // Room for every element; the result is the first `kept` of them.
    const room = this.l.named(this.l.arrays.alloc(n, base.type, container), "room");
    const [kept] = this.sweep(e, [f], env, {
      count: n,
      state: [b.const(0)],
      names: ["count"],
      body: (i, [k], inner) => {
        const v = expressions.element(base, i, e);
        const keep = this.l.callables.invoke(f, [v, i, base], inner, e, "condition")!;
        const then = b.inRegion(() => {
          b.emit("store", [room, k, v], []);
          return b.add(k, b.const(1));
        });
        then.region.yields = [then.result];
        const otherwise = b.inRegion(() => k);
        otherwise.region.yields = [k];
        return [this.l.named(b.emit("if", [keep], [f64], {}, [then.region, otherwise.region]).results[0], "count")];
      },
    }).state;
    return b.op("slice", [room, b.const(0), kept], base.type);
  }

  /**
   * `Array.from(x)`, `Array.from(x, f)` (a number[] either way) and `Array.from({ length: n }, f)`
   * (f gets undefined and the index).
   */
  from(e: ts.CallExpression, env: Env): Value {
    const { b, expressions } = this.l;
    const [source, make] = e.arguments;
    if (!source || e.arguments.length > 2) throw new Refusal(Codes.ArrayMethod, "Array.from takes an array or { length: n }, and a function", e);
    const spec = skipOuter(source);
    if (ts.isObjectLiteralExpression(spec)) {
      const length = spec.properties.length === 1 ? spec.properties[0] : undefined;
      if (!length || !ts.isPropertyAssignment(length) || length.name.getText() !== "length" || !make) {
        throw new Refusal(Codes.ArrayMethod, "write `Array.from({ length: n }, (_, i) => …)`", e);
      }
      const n = expressions.number(length.initializer, env);
      const f = this.callback(e, 1, "Array.from");
      // `() => v` with nothing to run per element is the one value, filled.
      const body = f.kind === "local" ? f.node.body : undefined;
      if (f.kind === "local" && f.node.parameters.length === 0 && body && !ts.isBlock(body) && !this.l.containsCall(body) &&
          this.l.callables.assigned([body]).symbols.length === 0) {
        const value = expressions.number(body, env);
        return this.l.arrays.filled(n, value);
      }
      const out = this.l.arrays.alloc(n, { kind: "array", element: f64, container: "Array" }, "Array");
      this.sweep(e, [f], env, {
        count: n,
        state: [],
        body: (i, _, inner) => {
          b.emit("store", [out, i, this.l.callables.invoke(f, [undefined, i], inner, e, "number")!], []);
          return [];
        },
      });
      return out;
    }
    const base = expressions.array(source, env);
    if (base.type.kind !== "array" || base.type.element.kind !== "f64") {
      throw new Refusal(Codes.ArrayMethod, "Array.from copies arrays of numbers here", source);
    }
    if (make) return this.map(e, base, env, "Array", 1);
    const n = this.l.arrays.length(base, env);
    const out = this.l.arrays.alloc(n, { kind: "array", element: f64, container: "Array" }, "Array");
    this.sweep(e, [], env, {
      count: n,
      state: [],
      body: (i) => {
        b.emit("store", [out, i, expressions.element(base, i, e)], []);
        return [];
      },
    });
    return out;
  }

  /** `Math.max(...x)` / `Math.min(...x)`: the elements folded into `acc` by `step`. */
  fold(base: Value, source: ts.Node, env: Env, acc: Value, step: (acc: Value, v: Value) => Value): Value {
    const { expressions } = this.l;
    if (base.type.kind !== "array" || base.type.element.kind !== "f64") throw new Refusal(Codes.UnsupportedType, "only arrays of numbers can be spread here", source);
    const [result] = this.sweep(source, [], env, {
      count: this.l.arrays.length(base, env),
      state: [acc],
      names: ["extreme"],
      body: (i, [a]) => [step(a, expressions.element(base, i, source))],
    }).state;
    return result;
  }

  /** The callable passed as argument `index`. */
  private callback(e: ts.CallExpression, index: number, method: string): Callable {
    const arg = e.arguments[index];
    if (!arg) throw new Refusal(Codes.ArrayMethod, `${method} needs a callback`, e);
    if (method !== "Array.from" && e.arguments.length > index + 1 && method !== "reduce" && method !== "reduceRight") {
      throw new Refusal(Codes.ArrayMethod, `${method} with a thisArg is not supported`, e.arguments[index + 1]);
    }
    const c = this.l.callables.callableOf(arg);
    if (!c) throw new Refusal(Codes.Closure, `the callback of ${method} must be an arrow function, a function expression, a local function or a function declaration`, arg);
    return c.kind === "local" && c.name === "callback" ? { ...c, name: `the callback of ${method}` } : c;
  }

  /** A forward sweep over the elements of `base` calling `f`. */
  private each(e: ts.CallExpression, base: Value, f: Callable, env: Env, body: (v: Value, i: Value, inner: Env) => Value[], count?: Value): void {
    this.sweep(e, [f], env, {
      count: count ?? this.l.arrays.length(base, env),
      state: [],
      body: (i, _, inner) => body(this.l.expressions.element(base, i, e), i, inner),
    });
  }

  /** Builds the `while` of a sweep; the callbacks' outer writes are carried and written back. */
  private sweep(at: ts.Node, callbacks: readonly Callable[], env: Env, s: Omit<Sweep, "written">): { index: Value; state: Value[] } {
    const { l } = this;
    const { b } = l;
    const written = l.callables.writtenOutside(callbacks.flatMap((c) => (c.kind === "local" ? [c.node.body] : [])), env, at);
    const loc = b.loc;
    const start = s.from ?? (s.backwards ? b.sub(s.count, b.const(1)) : b.const(0));
    const inits = [start, ...s.state, ...written.map((w) => env.get(w)!)];
    const names = ["i", ...(s.names ?? []), ...written.map((w) => w.name)];
    const k = s.state.length;
    const carried = <T>(build: (params: Value[], inner: Env) => T) =>
      b.inRegion(() => {
        const params = inits.map((v, j) => b.value(v.type, names[j]));
        b.region.params = params;
        const inner: Env = new Map(env);
        written.forEach((w, j) => inner.set(w, params[1 + k + j]));
        b.loc = loc;
        return build(params, inner);
      });
    const cond = carried((params) => {
      const [i, ...rest] = params;
      let c = s.backwards ? b.op("ge", [i, b.const(0)], bool) : b.op("lt", [i, s.count], bool);
      if (s.until) c = b.op("and", [c, b.op("not", [s.until(rest.slice(0, k))], bool)], bool);
      b.region.yields = [c];
    });
    const body = carried((params, inner) => {
      const [i, ...rest] = params;
      const next = s.body(i, rest.slice(0, k), inner);
      b.loc = loc;
      b.region.yields = [
        b.op(s.backwards ? "sub" : "add", [i, b.const(1)]),
        ...next,
        ...written.map((w) => {
          const v = inner.get(w)!;
          l.expectScalar(v, w, at);
          return v;
        }),
      ];
    });
    b.loc = loc;
    const types: Type[] = inits.map((v) => v.type);
    const op = b.emit("while", inits, types, {}, [cond.region, body.region]);
    written.forEach((w, j) => env.set(w, l.named(op.results[1 + k + j], w.name)));
    op.results.forEach((r, j) => j > 0 && j <= k && l.named(r, names[j]));
    return { index: op.results[0], state: op.results.slice(1, 1 + k) };
  }
}

/** Whether an expression's type admits undefined or null. */
function maybeUndefined(checker: ts.TypeChecker, e: ts.Expression): boolean {
  const type = checker.getTypeAtLocation(e);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Any | ts.TypeFlags.Unknown));
}

function containerOf(array: Value): "Float64Array" | "Array" {
  return array.type.kind === "array" && array.type.container === "Float64Array" ? "Float64Array" : "Array";
}

/** The name of a local callback's parameter, for the loop variable that stands for it. */
function parameterName(c: Callable, index: number): string | undefined {
  const p = c.kind === "local" ? c.node.parameters[index] : undefined;
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}
