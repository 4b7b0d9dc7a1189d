// Loops → IR. Every loop (for, for…of, while, do…while, labelled or not) becomes one `while` op
// whose carried values are the variables the loop assigns, plus an exit code (and the returned
// values) when control can leave the body early; after the op, the exit code is dispatched.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";
import { bool, f64 } from "../ir/types";
import { ExitCode, LoopFrame, exitOf, type Env, type Frame, type Outcome, type Slot } from "./frames";
import type { Lowerer } from "./lowerer";
import { resultTypes } from "./results";
import { loopJumps } from "./scan";
import { hasDirective } from "./directives";

export class Loops {
  constructor(private readonly l: Lowerer) {}

  /**
   * Every loop becomes one `while` op. It carries the variables the loop assigns, plus, when
   * control can leave the body early, an exit code (and the returned value). `for` updates run
   * only when an iteration ends normally (or by `continue`); after the loop, the exit code
   * decides whether the function returns, an outer loop is continued or broken, or the
   * statements after the loop run.
   */
  lower(s: ts.IterationStatement, label: string | undefined, rest: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    const { l } = this;
    const { b, expressions, statements } = l;
    const loc = l.locOf(s);
    env = new Map(env);
    if (ts.isForInStatement(s)) throw new Refusal(Codes.Loop, "for…in loops over keys, which are strings; use for…of or an index", s);
    let test: ts.Expression | undefined;
    let update: ts.Expression | undefined;
    let iterated: Value | undefined;
    let element: ts.ForInitializer | undefined;
    let binding: Binding = "values";
    if (ts.isForStatement(s)) {
      if (s.initializer) {
        if (ts.isVariableDeclarationList(s.initializer)) statements.variables(s.initializer, env);
        else statements.expressionStatement(s.initializer, env);
      }
      test = s.condition;
      update = s.incrementor;
    } else if (ts.isForOfStatement(s)) {
      if (s.awaitModifier) throw new Refusal(Codes.Async, "for await cannot be differentiated", s);
      const iteration = this.iteratedBy(s.expression);
      iterated = expressions.array(iteration.array, env);
      binding = iteration.binding;
      element = s.initializer;
    } else {
      test = (s as ts.WhileStatement | ts.DoStatement).expression;
    }

    const jumps = loopJumps(s.statement, label);
    const slots: Slot[] = [];
    const inits: Value[] = [];
    b.loc = loc;
    if (jumps.exits || jumps.returns) {
      slots.push({ role: "code", name: "exit", type: f64 });
      inits.push(b.const(ExitCode.Next));
    }
    // What the loop assigns, including through the local functions and callbacks it calls, and
    // the length of every growing array when it grows one.
    const seen = new Set<ts.Symbol>();
    for (const symbol of l.callables.writtenOutside([test, update, s.statement], env, s)) {
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const init = env.get(symbol);
      const at = l.callables.siteOf(symbol) ?? s;
      if (!init) throw new Refusal(Codes.UnsupportedSyntax, `'${symbol.name}' must have a value before the loop that assigns it`, at);
      l.expectScalar(init, symbol, at);
      slots.push({ role: "var", symbol, name: symbol.name, type: init.type });
      inits.push(init);
    }
    if (jumps.returns) {
      // The value(s) a return inside the loop hands out: an inlined callback's, or the function's
      // numbers (an array or object is not returned from inside a loop: results.ts).
      const returned = l.callables.returning?.types ?? resultTypes(l.result).filter((type) => type.kind === "f64");
      for (const type of returned) {
        slots.push({ role: "ret", name: "result", type });
        inits.push(type.kind === "bool" ? b.bool(false) : b.const(0));
      }
    }
    if (iterated) {
      slots.push({ role: "index", name: indexName(element, binding) ?? "index", type: f64 });
      inits.push(b.const(0));
    }
    const codeAt = slots.findIndex((x) => x.role === "code");
    const indexAt = slots.findIndex((x) => x.role === "index");

    /** A region whose params are the carried values, with the variables bound to them. */
    const carriedRegion = <T>(build: (params: Value[], inner: Env) => T) =>
      b.inRegion(() => {
        const params = slots.map((slot) => b.value(slot.type, slot.name));
        b.region.params = params;
        const inner: Env = new Map(env);
        slots.forEach((slot, i) => slot.symbol && inner.set(slot.symbol, params[i]));
        b.loc = loc;
        return build(params, inner);
      });

    const cond = carriedRegion((params, inner) => {
      let c = iterated
        ? b.op("lt", [params[indexAt], l.arrays.length(iterated, inner)], bool)
        : test ? expressions.condition(test, inner) : b.bool(true);
      if (codeAt >= 0) {
        const running = b.op("eq", [params[codeAt], b.const(ExitCode.Next)], bool);
        c = test && l.containsCall(test) ? expressions.lazyIf(running, () => c, () => b.bool(false), bool) : b.op("and", [running, c], bool);
      }
      b.region.yields = [c];
    });

    let loopFrame: LoopFrame;
    const body = carriedRegion((params, inner) => {
      loopFrame = new LoopFrame(b, slots, params, label);
      if (iterated && element) this.bindElement(element, binding, iterated, params[indexAt], inner);
      const exit = exitOf(statements.lower([s.statement], inner, loopFrame), loopFrame, s.statement);
      b.loc = loc;
      b.region.yields = this.afterIteration(exit, slots, update, inner, codeAt, indexAt);
    });

    b.loc = loc;
    const attrs = { post: ts.isDoStatement(s), checkpoint: this.checkpointed(s) };
    const op = b.emit("while", inits, slots.map((x) => x.type), attrs, [cond.region, body.region]);
    const after: Env = new Map(env);
    slots.forEach((slot, i) => slot.symbol && after.set(slot.symbol, l.named(op.results[i], slot.name)));
    if (codeAt < 0) return { env: after };

    // Dispatch on how the loop ended: return, a jump to an outer loop, or on to the next statement.
    const code = op.results[codeAt];
    const cases: [number, () => Value[]][] = [];
    const returned = () => op.results.filter((_, i) => slots[i].role === "ret");
    if (jumps.returns) cases.push([ExitCode.Return, () => frame.returnWith(returned(), after, s)]);
    for (const j of loopFrame!.outerJumps) cases.push([j.code, () => frame.jump(j.kind, j.label, after, s)]);
    if (cases.length === 0) return { env: after };
    // A loop with no condition (`for (;;)`, `while (true)`) and no break ends only by the jumps
    // above: nothing after it runs, and its last case needs no test.
    const endless = !iterated && !jumps.exits && (test === undefined || test.kind === ts.SyntaxKind.TrueKeyword);
    const dispatch = (k: number): Value[] => {
      if (endless && k === cases.length - 1) return cases[k][1]();
      if (k === cases.length) return exitOf(statements.lower(rest, new Map(after), frame), frame, s);
      const [value, exit] = cases[k];
      b.loc = loc;
      const is = b.op("eq", [code, b.const(value)], bool);
      const then = b.inRegion(exit);
      const otherwise = b.inRegion(() => dispatch(k + 1));
      then.region.yields = [...then.result];
      otherwise.region.yields = [...otherwise.result];
      b.loc = loc;
      return b.emit("if", [is], then.result.map((v) => v.type), {}, [then.region, otherwise.region]).results.slice();
    };
    return { exit: dispatch(0) };
  }

  /**
   * `// adc: checkpoint` on the line before a loop (or its label): its reverse sweep makes the
   * body's values again from the carried values of each iteration instead of taping them.
   */
  private checkpointed(loop: ts.Statement): boolean {
    return hasDirective(ts.isLabeledStatement(loop.parent) ? loop.parent : loop, "checkpoint");
  }

  /** The values a loop body yields: its exit tuple, with the `for` update (and the for…of index step) applied when the iteration went on. */
  private afterIteration(exit: Value[], slots: readonly Slot[], update: ts.Expression | undefined, env: Env, codeAt: number, indexAt: number): Value[] {
    const { l } = this;
    const { b } = l;
    if (!update && indexAt < 0) return exit;
    const step = (): Value[] => {
      const inner: Env = new Map(env);
      slots.forEach((slot, i) => slot.symbol && inner.set(slot.symbol, exit[i]));
      if (update) l.statements.expressionStatement(update, inner);
      return slots.map((slot, i) =>
        slot.symbol ? inner.get(slot.symbol)! : i === indexAt ? b.op("add", [exit[i], b.const(1)]) : exit[i],
      );
    };
    if (codeAt < 0) return step();
    const going = b.op("eq", [exit[codeAt], b.const(ExitCode.Next)], bool);
    const then = b.inRegion(step);
    const otherwise = b.inRegion(() => exit);
    then.region.yields = [...then.result];
    otherwise.region.yields = [...otherwise.result];
    const op = b.emit("if", [going], slots.map((x) => x.type), {}, [then.region, otherwise.region]);
    op.results.forEach((r, i) => slots[i].role === "var" && l.named(r, slots[i].name));
    return [...op.results];
  }

  /** What a for…of iterates: an array, or its `keys()`, `values()` or `entries()`. */
  private iteratedBy(e: ts.Expression): { array: ts.Expression; binding: Binding } {
    let inner = e;
    while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.arguments.length === 0 &&
        this.l.arrays.isArrayExpression(inner.expression.expression)) {
      const method = inner.expression.name.text;
      if (method === "keys" || method === "values" || method === "entries") return { array: inner.expression.expression, binding: method };
    }
    return { array: e, binding: "values" };
  }

  /** The variable of a for…of loop, bound to the current element, index, or [index, element]. */
  private bindElement(element: ts.ForInitializer, binding: Binding, array: Value, index: Value, env: Env): void {
    const { b, statements } = this.l;
    if (!ts.isVariableDeclarationList(element) || element.declarations.length !== 1) {
      throw new Refusal(Codes.UnsupportedSyntax, "for…of needs a `const` declaration of its variable", element);
    }
    const name = element.declarations[0].name;
    const value = () => b.op("load", [array, index], elementType(array));
    if (binding === "values") return statements.destructure(name, value(), env);
    if (binding === "keys") return statements.destructure(name, index, env);
    if (!ts.isArrayBindingPattern(name) || name.elements.length > 2 || name.elements.some((x) => !ts.isOmittedExpression(x) && (x.dotDotDotToken || x.initializer))) {
      throw new Refusal(Codes.UnsupportedSyntax, "destructure the entries: for (const [i, v] of a.entries())", name);
    }
    const [key, item] = name.elements;
    if (key && !ts.isOmittedExpression(key)) statements.destructure(key.name, index, env);
    if (item && !ts.isOmittedExpression(item)) statements.destructure(item.name, value(), env);
  }
}

/** The name the loop gives its index, for `keys()` and `entries()` (`for (const [i, v] of …)`). */
function indexName(element: ts.ForInitializer | undefined, binding: Binding): string | undefined {
  const name = element && ts.isVariableDeclarationList(element) ? element.declarations[0]?.name : undefined;
  if (!name) return undefined;
  if (binding === "keys" && ts.isIdentifier(name)) return name.text;
  const first = binding === "entries" && ts.isArrayBindingPattern(name) ? name.elements[0] : undefined;
  return first && !ts.isOmittedExpression(first) && ts.isIdentifier(first.name) ? first.name.text : undefined;
}

/** How a for…of binds its variable: to the element, the index, or both. */
type Binding = "values" | "keys" | "entries";

function elementType(array: Value): Type {
  if (array.type.kind !== "array") throw new Error("adc internal error: not an array");
  return array.type.element;
}
