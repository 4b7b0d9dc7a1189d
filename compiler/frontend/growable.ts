// Local arrays that grow: `const hs: number[] = []` with `hs.push(h)` in a loop (collecting
// hidden states), and `hs.pop()`. The IR's arrays are memory of a fixed identity; their length
// here is an SSA counter the frontend keeps beside the array, like a variable: `push` stores at
// the counter and steps it, `pop` steps it back and reads there, `hs.length` is the counter.
// Loops and branches carry and merge it as they do any variable (reverse mode replays it like a
// loop counter or tapes it), so no op ever reads a length that changes. The memory itself is a
// plain `number[]` (a store at its end appends) that never shrinks: after a pop it may hold more
// elements than the counter says, so wherever the whole array leaves the function's own code
// (passed to a call, returned, spread) it is copied to its exact length. The `alloc` is marked
// `growable`: its shadow is allocated as long as the array is when its region ends.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Attrs, Value } from "../ir/types";
import { f64 } from "../ir/types";
import { growingMethods } from "./callables";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";

interface Growing {
  readonly buffer: Value;
  /** The env key of its length (a symbol of adc's own, not the program's). */
  readonly key: ts.Symbol;
  /** Whether it is ever popped: then its memory may be longer than the array. */
  readonly pops: boolean;
  readonly name: string;
}

export class GrowableArrays {
  private readonly byBuffer = new Map<Value, Growing>();
  private readonly keys = new Set<ts.Symbol>();
  /** Per scope, the growing methods called on each variable (one scan per scope). */
  private readonly scans = new Map<ts.Node, Map<ts.Symbol, string[]>>();

  constructor(private readonly l: Lowerer) {}

  /**
   * A local array variable was declared: if the function grows it (`name.push(…)` anywhere in
   * its scope), it must be an array made here, and its length becomes a counter in `env`.
   */
  declared(d: ts.VariableDeclaration, symbol: ts.Symbol, value: Value, env: Env): void {
    if (value.type.kind !== "array" || !ts.isIdentifier(d.name)) return;
    const scope = scopeOf(d);
    let scan = this.scans.get(scope);
    if (!scan) this.scans.set(scope, (scan = growingCalls(this.l.checker, scope)));
    const calls = scan.get(symbol) ?? [];
    if (calls.length === 0) return;
    const name = d.name.text;
    const made = this.l.arrays.allocations.get(value);
    if (!made || made.prim !== "alloc" || made.attrs.container !== "Array" || value.type.element.kind !== "f64") {
      throw new Refusal(Codes.ArrayMethod, `'${name}' grows (${calls[0]}), so it must be a new number[] made here: declare it as \`const ${name}: number[] = []\``, d);
    }
    (made as { attrs: Attrs }).attrs = { ...made.attrs, growable: true };
    const key = { name: `${name}Length`, flags: ts.SymbolFlags.None, escapedName: `${name}Length` } as unknown as ts.Symbol;
    this.keys.add(key);
    this.byBuffer.set(value, { buffer: value, key, pops: calls.includes("pop"), name });
    env.set(key, made.args[0]);
  }

  isLengthKey(s: ts.Symbol): boolean {
    return this.keys.has(s);
  }

  /** The length counters in `env`: what a loop or body that grows some array carries. */
  keysIn(env: Env): ts.Symbol[] {
    return [...env.keys()].filter((k) => this.keys.has(k));
  }

  /** The current length of a growing array, else undefined. */
  length(array: Value, env: Env): Value | undefined {
    const g = this.byBuffer.get(array);
    if (!g) return undefined;
    const n = env.get(g.key);
    if (!n) throw new Error("adc internal error: a growing array without its length");
    return n;
  }

  /** `a.push(x, …)`, `a.pop()`: the new length, or the popped element. */
  call(e: ts.CallExpression, method: string, array: Value, env: Env): Value {
    const { b, expressions } = this.l;
    const g = this.byBuffer.get(array);
    if (method !== "push" && method !== "pop") {
      throw new Refusal(Codes.ArrayMethod, `'${method}' is not supported: arrays grow and shrink at their end only (push, pop)`, e);
    }
    if (!g) {
      throw new Refusal(Codes.ArrayMethod, `${method} changes the length of an array adc cannot follow; only a number[] declared in this function (\`const a: number[] = []\`) can grow, by push and pop on that variable`, e);
    }
    let length = env.get(g.key)!;
    if (method === "pop") {
      if (e.arguments.length > 0) throw new Refusal(Codes.ArrayMethod, "pop takes no arguments", e);
      const last = b.sub(length, b.const(1));
      // An empty array stays empty; its pop reads a[-1], undefined, as JavaScript's does.
      const popped = b.op("load", [array, last], f64);
      env.set(g.key, this.l.named(b.op("max", [last, b.const(0)]), g.key.name));
      return popped;
    }
    for (const a of e.arguments) {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.ArrayMethod, "push(...values) is not supported; push in a loop", a);
      b.emit("store", [array, length, expressions.number(a, env)], []);
      length = this.l.named(b.add(length, b.const(1)), g.key.name);
    }
    env.set(g.key, length);
    return length;
  }

  /**
   * The array as a whole value where it leaves the function's own code: its memory, or a copy
   * of its exact length when pops may have left more elements in memory.
   */
  exact(array: Value, env: Env): Value {
    const g = this.byBuffer.get(array);
    if (!g?.pops) return array;
    return this.l.b.op("slice", [array, this.l.b.const(0), env.get(g.key)!], array.type);
  }

  /**
   * An identifier naming a growing array that pops: where it is indexed, measured, iterated or
   * passed on, its memory; an alias of it is refused (it would not see later pushes); anywhere
   * else a copy of its exact length.
   */
  view(e: ts.Identifier, array: Value, env: Env): Value {
    const g = this.byBuffer.get(array);
    if (!g?.pops) return array;
    const p = e.parent;
    if ((ts.isElementAccessExpression(p) || ts.isPropertyAccessExpression(p)) && p.expression === e) return array;
    if (ts.isForOfStatement(p) || ts.isCallExpression(p) || (ts.isSpreadElement(p) && ts.isCallExpression(p.parent))) return array;
    if (ts.isVariableDeclaration(p)) {
      throw new Refusal(Codes.Aliasing, `'${g.name}' grows and shrinks (push, pop); a second name for it is not supported, use '${g.name}'`, e);
    }
    return this.exact(array, env);
  }

  /** Whether a value is a growing array's memory. */
  has(array: Value): boolean {
    return this.byBuffer.has(array);
  }
}

/** The function-like node (or file) whose body is the scope of a declaration. */
function scopeOf(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && !ts.isFunctionLike(p) && !ts.isSourceFile(p)) p = p.parent;
  return p ?? n;
}

/** The growing methods called on each variable in `scope` (`hs.push(…)`, in callbacks too). */
function growingCalls(checker: ts.TypeChecker, scope: ts.Node): Map<ts.Symbol, string[]> {
  const found = new Map<ts.Symbol, string[]>();
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && growingMethods.has(n.expression.name.text)) {
      const receiver = n.expression.expression;
      const symbol = ts.isIdentifier(receiver) ? checker.getSymbolAtLocation(receiver) : undefined;
      if (symbol) found.set(symbol, [...(found.get(symbol) ?? []), n.expression.name.text]);
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}
