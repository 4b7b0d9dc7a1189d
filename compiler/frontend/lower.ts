// TS AST → IR for one function, with the supported-language check: anything this file does not
// lower explicitly is refused with a diagnostic at that construct.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import { Builder } from "../ir/builder";
import { binaryOperators, primitives } from "../ir/primitives";
import type { Func, Loc, Type, Value } from "../ir/types";
import { bool, f64, isAggregate } from "../ir/types";
import { builtinConstant, builtinMathMember, functionKey, resolveFunction, resolveSymbol, runtimeExport, tensorRuntimeName, type FunctionLike } from "./resolve";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import { moduleConstant } from "./constants";
import { refuseStatement, refuseExpression } from "./refusals";
import { BuiltinCalls } from "./builtins";
import { alwaysJumps, assignedIdentifiers, containsJump, isAssignment, isLoop, loopJumps, skipParens } from "./scan";
import { irType } from "./types";
import { ExitCode, FunctionFrame, LoopFrame, type Env, type Frame, type Slot } from "./frames";

/**
 * How a statement list ends: it falls through with the variables' values, or control leaves the
 * region (return, break, continue) and `exit` is what the region yields (see frames.ts).
 */
type Outcome = { env: Env } | { exit: Value[] };

export interface LoweredFunction {
  readonly key: string;
  readonly decl: FunctionLike;
  readonly func: Func;
  /** Functions this one calls, each lowered on its own (no inlining). */
  readonly callees: readonly FunctionLike[];
  /** Set for a function with a registered derivative: its body is not lowered (func has no ops). */
  readonly custom?: CustomDerivative;
}

export function lowerFunction(
  checker: ts.TypeChecker,
  decl: FunctionLike,
  customs: ReadonlyMap<ts.Declaration, CustomDerivative> = new Map(),
): LoweredFunction {
  return new FunctionLowering(checker, decl, customs).run();
}

class FunctionLowering {
  private readonly b = new Builder();
  private readonly callees = new Set<FunctionLike>();
  private readonly sourceFile: ts.SourceFile;
  /** For a function returning a tuple of numbers (`[number, number]`): its length. */
  private tupleResult: number | undefined;
  /** Math, array and tensor calls (builtins.ts). */
  private readonly builtins: BuiltinCalls;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly decl: FunctionLike,
    private readonly customs: ReadonlyMap<ts.Declaration, CustomDerivative>,
  ) {
    this.sourceFile = decl.getSourceFile();
    this.builtins = new BuiltinCalls({
      b: this.b,
      checker,
      value: (e, env) => this.value(e, env),
      number: (e, env) => this.number(e, env),
      array: (e, env) => this.array(e, env),
    });
  }

  run(): LoweredFunction {
    const { decl } = this;
    const key = functionKey(decl);
    if (decl.asteriskToken) throw new Refusal(Codes.Generator, `generator function '${key}' cannot be differentiated`, decl);
    const asyncModifier = decl.modifiers?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (asyncModifier) throw new Refusal(Codes.Async, `async function '${key}' cannot be differentiated`, asyncModifier);
    if (!decl.body) throw new Refusal(Codes.NotAFunction, `'${key}' has no body to differentiate`, decl);
    this.checkReachable(decl, key);
    const resultType = this.checker.getReturnTypeOfSignature(this.checker.getSignatureFromDeclaration(decl)!);
    this.tupleResult = this.numberTupleLength(resultType);
    if (this.tupleResult === undefined) this.expectNumber(resultType, decl.type ?? decl.name ?? decl, "the result");

    const env: Env = new Map();
    const params = decl.parameters.map((p) => {
      if (!ts.isIdentifier(p.name) || p.dotDotDotToken || p.initializer || p.questionToken) {
        throw new Refusal(Codes.UnsupportedSyntax, "only plain parameters like `x: number` are supported", p);
      }
      const tsType = this.checker.getTypeAtLocation(p);
      const type = irType(this.checker, tsType, p, `parameter '${p.name.text}'`);
      if (type.kind === "bool") throw new Refusal(Codes.UnsupportedType, `parameter '${p.name.text}' is a boolean; only numbers, arrays and objects of numbers are supported`, p);
      const value = this.b.value(type, p.name.text);
      env.set(this.symbolOf(p.name), value);
      const typeText = p.type ? p.type.getText() : this.checker.typeToString(tsType);
      return { value, name: p.name.text, typeText };
    });

    this.b.loc = this.locOf(decl);
    const frame = new FunctionFrame(key, decl.name ?? decl);
    const outcome = this.statements(decl.body.statements, env, frame);
    const exit = "exit" in outcome ? outcome.exit : frame.fallOff(env, decl.name ?? decl);
    this.b.region.yields.push(...exit);
    const func: Func = { name: key, params, body: this.b.region, loc: this.locOf(decl) };
    return { key, decl, func, callees: [...this.callees] };
  }

  /** Generated code lives at the module's top level: it must be able to call the function by name. */
  private checkReachable(decl: FunctionLike, key: string): void {
    const owner = ts.isMethodDeclaration(decl) ? decl.parent : decl;
    const at = decl.name ?? decl;
    if (!ts.isSourceFile(owner.parent)) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${key}' is inside a namespace or block; differentiated functions must be declared at the top level of a module`, at);
    }
    if (ts.isMethodDeclaration(decl) && (!ts.isClassDeclaration(owner) || !owner.name)) {
      throw new Refusal(Codes.NotAFunction, "methods of anonymous classes cannot be differentiated; name the class", at);
    }
    const hidden = decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
    if (hidden || (decl.name && ts.isPrivateIdentifier(decl.name))) {
      throw new Refusal(Codes.NotExported, `'${key}' is private to its class, so generated code cannot call it`, at);
    }
  }

  // ---- statements ----

  /**
   * Lowers a statement list. Where control may leave early (an `if` containing a jump, a loop
   * that can return), the statements after it become its continuation, lowered inside it.
   */
  private statements(list: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      const rest = list.slice(i + 1);
      this.b.loc = this.locOf(s);
      if (ts.isBlock(s)) return this.statements([...s.statements, ...rest], env, frame);
      if (ts.isReturnStatement(s)) {
        if (!s.expression) throw new Refusal(Codes.MissingReturn, "return without a value", s);
        return { exit: frame.returnWith(this.returned(s.expression, env), env, s) };
      }
      if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
        const kind = ts.isBreakStatement(s) ? "break" : "continue";
        return { exit: frame.jump(kind, s.label?.text, env, s) };
      }
      if (ts.isIfStatement(s)) {
        if (containsJump(s)) return this.ifWithJump(s, rest, env, frame);
        env = this.ifMerge(s, env, frame);
        continue;
      }
      if (ts.isLabeledStatement(s) || isLoop(s)) {
        const label = ts.isLabeledStatement(s) ? s.label.text : undefined;
        const loop = ts.isLabeledStatement(s) ? s.statement : s;
        if (!isLoop(loop)) throw new Refusal(Codes.UnsupportedSyntax, "labels are only supported on loops", s);
        const outcome = this.loop(loop, label, rest, env, frame);
        if ("exit" in outcome) return outcome;
        env = outcome.env;
        continue;
      }
      if (ts.isVariableStatement(s)) {
        this.variables(s.declarationList, env);
        continue;
      }
      if (ts.isExpressionStatement(s)) {
        this.expressionStatement(s.expression, env);
        continue;
      }
      if (ts.isEmptyStatement(s)) continue;
      refuseStatement(s);
    }
    return { env };
  }

  private variables(list: ts.VariableDeclarationList, env: Env): void {
    for (const d of list.declarations) {
      if (ts.isIdentifier(d.name)) {
        const symbol = this.symbolOf(d.name);
        env.set(symbol, d.initializer ? this.named(this.value(d.initializer, env), d.name.text) : undefined);
        continue;
      }
      if (!d.initializer) throw new Refusal(Codes.UnsupportedSyntax, "a destructuring declaration needs a value", d);
      const source = this.value(d.initializer, env);
      this.destructure(d.name, source, env);
    }
  }

  /** `const { a, b } = o` (fields) and `const [x, y] = arr` (elements), nested. */
  private destructure(pattern: ts.BindingName, source: Value, env: Env): void {
    if (ts.isIdentifier(pattern)) {
      env.set(this.symbolOf(pattern), this.named(source, pattern.text));
      return;
    }
    pattern.elements.forEach((element, index) => {
      if (ts.isOmittedExpression(element)) return;
      if (element.dotDotDotToken || element.initializer) {
        throw new Refusal(Codes.UnsupportedSyntax, "rest elements and defaults in destructuring are not supported", element);
      }
      let part: Value;
      if (ts.isObjectBindingPattern(pattern)) {
        const property = element.propertyName ?? element.name;
        if (!ts.isIdentifier(property)) throw new Refusal(Codes.UnsupportedSyntax, "only plain field names can be destructured", element);
        part = this.field(source, property.text, element);
      } else {
        part = this.element(source, this.b.const(index), element);
      }
      this.destructure(element.name, part, env);
    });
  }

  /** A statement that is an expression: an assignment, `a.fill(v)`. */
  private expressionStatement(e: ts.Expression, env: Env): void {
    if (ts.isParenthesizedExpression(e)) return this.expressionStatement(e.expression, env);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      this.expressionStatement(e.left, env);
      return this.expressionStatement(e.right, env);
    }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "fill") {
      const array = this.array(e.expression.expression, env);
      if (e.arguments.length !== 1) throw new Refusal(Codes.ArrayMethod, "only `a.fill(value)` of the whole array is supported", e);
      this.b.emit("fill", [array, this.number(e.arguments[0], env)], []);
      return;
    }
    this.assignmentStatement(e, env);
  }

  /** `x = e`, `x op= e`, `x++`, `a[i] = e`, `a[i] op= e`, `a[i]++`. */
  private assignmentStatement(e: ts.Expression, env: Env): void {
    let target: ts.Expression;
    let next: (old: () => Value) => Value;
    if (ts.isBinaryExpression(e) && isAssignment(e.operatorToken.kind)) {
      target = skipParens(e.left);
      const op = e.operatorToken.kind;
      const prim = compoundPrims.get(op);
      if (op !== ts.SyntaxKind.EqualsToken && !prim) {
        throw new Refusal(Codes.UnsupportedSyntax, `operator '${e.operatorToken.getText()}' is not supported`, e.operatorToken);
      }
      next = (old) => {
        // JS evaluates the target's old value before the right-hand side.
        const before = op === ts.SyntaxKind.EqualsToken ? undefined : old();
        const rhs = this.value(e.right, env);
        return before ? this.b.op(prim!, [before, this.numberValue(rhs, e.right)]) : rhs;
      };
    } else if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      target = skipParens(e.operand);
      const prim = e.operator === ts.SyntaxKind.PlusPlusToken ? "add" : "sub";
      next = (old) => this.b.op(prim, [old(), this.b.const(1)]);
    } else {
      throw new Refusal(Codes.UnsupportedSyntax, "only assignments are supported as statements (a bare expression has no effect on the result)", e);
    }

    if (ts.isElementAccessExpression(target)) {
      const array = this.array(target.expression, env);
      const index = this.number(target.argumentExpression, env);
      if (array.type.kind !== "array" || array.type.element.kind !== "f64") {
        throw new Refusal(Codes.UnsupportedType, "only number elements can be assigned", target);
      }
      const value = this.numberValue(next(() => this.b.op("load", [array, index])), target);
      this.b.emit("store", [array, index, value], []);
      return;
    }
    if (ts.isPropertyAccessExpression(target)) {
      throw new Refusal(Codes.UnsupportedSyntax, "fields of objects cannot be assigned in a differentiated function", target);
    }
    if (!ts.isIdentifier(target)) throw new Refusal(Codes.UnsupportedSyntax, "only local variables and array elements can be assigned", target);
    const symbol = this.symbolOf(target);
    if (!env.has(symbol)) throw new Refusal(Codes.FreeVariable, `'${target.text}' is not a local variable of this function; only locals can be assigned`, target);
    const value = next(() => this.read(symbol, target, env));
    env.set(symbol, this.named(value, target.text));
  }

  /** An `if` whose branches both fall through: lower each, then merge the variables they assign. */
  private ifMerge(s: ts.IfStatement, env: Env, frame: Frame): Env {
    const cond = this.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      this.b.inRegion(() => {
        const outcome = this.statements(stmt ? [stmt] : [], new Map(env), frame);
        return (outcome as { env: Env }).env;
      });
    const then = branch(s.thenStatement);
    const otherwise = branch(s.elseStatement);
    const changed = [...env.keys()].filter(
      (k) => then.result.get(k) !== env.get(k) || otherwise.result.get(k) !== env.get(k),
    );
    const merged = new Map(env);
    const live = changed.filter((k) => then.result.get(k) !== undefined && otherwise.result.get(k) !== undefined);
    for (const k of changed) merged.set(k, undefined);
    for (const k of live) this.expectScalar(then.result.get(k)!, k, s);
    then.region.yields = live.map((k) => then.result.get(k)!);
    otherwise.region.yields = live.map((k) => otherwise.result.get(k)!);
    const types = then.region.yields.map((v) => v.type);
    this.b.loc = this.locOf(s);
    const op = this.b.emit("if", [cond], types, {}, [then.region, otherwise.region]);
    live.forEach((k, i) => merged.set(k, this.named(op.results[i], k.name)));
    return merged;
  }

  /** An `if` that may return, break or continue: the statements after it continue in each branch that falls through. */
  private ifWithJump(s: ts.IfStatement, rest: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    const cond = this.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      this.b.inRegion(() => {
        const list = stmt ? [stmt] : [];
        return this.exitOf(this.statements(alwaysJumps(stmt) ? list : [...list, ...rest], new Map(env), frame), frame, stmt ?? s);
      });
    const then = branch(s.thenStatement);
    const otherwise = branch(s.elseStatement);
    then.region.yields = [...then.result];
    otherwise.region.yields = [...otherwise.result];
    this.b.loc = this.locOf(s);
    const op = this.b.emit("if", [cond], then.result.map((v) => v.type), {}, [then.region, otherwise.region]);
    return { exit: [...op.results] };
  }

  private exitOf(outcome: Outcome, frame: Frame, at: ts.Node): Value[] {
    return "exit" in outcome ? outcome.exit : frame.fallOff(outcome.env, at);
  }

  /** What a return statement returns: a number, or each element of a tuple literal `[a, b]`. */
  private returned(e: ts.Expression, env: Env): Value[] {
    if (this.tupleResult === undefined) return [this.number(e, env)];
    let inner = e;
    while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) inner = inner.expression;
    if (!ts.isArrayLiteralExpression(inner) || inner.elements.length !== this.tupleResult || inner.elements.some(ts.isSpreadElement)) {
      throw new Refusal(Codes.UnsupportedType, `a function returning a tuple must return a literal [${Array(this.tupleResult).fill("…").join(", ")}]`, e);
    }
    return inner.elements.map((x) => this.number(x, env));
  }

  /** The length of a tuple type of numbers (`[number, number]`), else undefined. */
  private numberTupleLength(type: ts.Type): number | undefined {
    if (!this.checker.isTupleType(type)) return undefined;
    const elements = this.checker.getTypeArguments(type as ts.TypeReference);
    const target = (type as ts.TypeReference).target as ts.TupleType;
    if (target.hasRestElement || target.minLength !== elements.length || elements.length === 0) return undefined;
    return elements.every((t) => t.flags & ts.TypeFlags.NumberLike) ? elements.length : undefined;
  }

  // ---- loops ----

  /**
   * Every loop becomes one `while` op. It carries the variables the loop assigns, plus, when
   * control can leave the body early, an exit code (and the returned value). `for` updates run
   * only when an iteration ends normally (or by `continue`); after the loop, the exit code
   * decides whether the function returns, an outer loop is continued or broken, or the
   * statements after the loop run.
   */
  private loop(s: ts.IterationStatement, label: string | undefined, rest: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    const b = this.b;
    const loc = this.locOf(s);
    env = new Map(env);
    if (ts.isForInStatement(s)) throw new Refusal(Codes.Loop, "for…in loops over keys, which are strings; use for…of or an index", s);
    let test: ts.Expression | undefined;
    let update: ts.Expression | undefined;
    let iterated: Value | undefined;
    let element: ts.ForInitializer | undefined;
    if (ts.isForStatement(s)) {
      if (s.initializer) {
        if (ts.isVariableDeclarationList(s.initializer)) this.variables(s.initializer, env);
        else this.expressionStatement(s.initializer, env);
      }
      test = s.condition;
      update = s.incrementor;
    } else if (ts.isForOfStatement(s)) {
      if (s.awaitModifier) throw new Refusal(Codes.Async, "for await cannot be differentiated", s);
      iterated = this.array(s.expression, env);
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
    const seen = new Set<ts.Symbol>();
    for (const id of assignedIdentifiers([test, update, s.statement])) {
      const symbol = this.checker.getSymbolAtLocation(id);
      if (!symbol || seen.has(symbol) || !env.has(symbol)) continue;
      seen.add(symbol);
      const init = env.get(symbol);
      if (!init) throw new Refusal(Codes.UnsupportedSyntax, `'${id.text}' must have a value before the loop that assigns it`, id);
      this.expectScalar(init, symbol, id);
      slots.push({ role: "var", symbol, name: id.text, type: init.type });
      inits.push(init);
    }
    if (jumps.returns) {
      for (let r = 0; r < (this.tupleResult ?? 1); r++) {
        slots.push({ role: "ret", name: "result", type: f64 });
        inits.push(b.const(0));
      }
    }
    if (iterated) {
      slots.push({ role: "index", name: "index", type: f64 });
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
        ? b.op("lt", [params[indexAt], b.op("length", [iterated])], bool)
        : test ? this.condition(test, inner) : b.bool(true);
      if (codeAt >= 0) {
        const running = b.op("eq", [params[codeAt], b.const(ExitCode.Next)], bool);
        c = test && this.containsCall(test) ? this.lazyIf(running, () => c, () => b.bool(false), bool) : b.op("and", [running, c], bool);
      }
      b.region.yields = [c];
    });

    let loopFrame: LoopFrame;
    const body = carriedRegion((params, inner) => {
      loopFrame = new LoopFrame(b, slots, params, label);
      if (iterated && element) this.bindElement(element, b.op("load", [iterated, params[indexAt]], elementType(iterated)), inner);
      const exit = this.exitOf(this.statements([s.statement], inner, loopFrame), loopFrame, s.statement);
      b.loc = loc;
      b.region.yields = this.afterIteration(exit, slots, update, inner, codeAt, indexAt);
    });

    b.loc = loc;
    const attrs = { post: ts.isDoStatement(s), checkpoint: this.checkpointed(s) };
    const op = b.emit("while", inits, slots.map((x) => x.type), attrs, [cond.region, body.region]);
    const after: Env = new Map(env);
    slots.forEach((slot, i) => slot.symbol && after.set(slot.symbol, this.named(op.results[i], slot.name)));
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
      if (k === cases.length) return this.exitOf(this.statements(rest, new Map(after), frame), frame, s);
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
    const at = ts.isLabeledStatement(loop.parent) ? loop.parent : loop;
    const text = this.sourceFile.text;
    const comments = ts.getLeadingCommentRanges(text, at.getFullStart()) ?? [];
    return comments.some((c) => /^\/\/\s*adc:\s*checkpoint\b/.test(text.slice(c.pos, c.end)));
  }

  /** The values a loop body yields: its exit tuple, with the `for` update (and the for…of index step) applied when the iteration went on. */
  private afterIteration(exit: Value[], slots: readonly Slot[], update: ts.Expression | undefined, env: Env, codeAt: number, indexAt: number): Value[] {
    const b = this.b;
    if (!update && indexAt < 0) return exit;
    const step = (): Value[] => {
      const inner: Env = new Map(env);
      slots.forEach((slot, i) => slot.symbol && inner.set(slot.symbol, exit[i]));
      if (update) this.expressionStatement(update, inner);
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
    op.results.forEach((r, i) => slots[i].role === "var" && this.named(r, slots[i].name));
    return [...op.results];
  }

  /** The variable of a for…of loop, bound to the current element. */
  private bindElement(element: ts.ForInitializer, value: Value, env: Env): void {
    if (!ts.isVariableDeclarationList(element) || element.declarations.length !== 1) {
      throw new Refusal(Codes.UnsupportedSyntax, "for…of needs a `const` declaration of its variable", element);
    }
    this.destructure(element.declarations[0].name, value, env);
  }

  // ---- expressions ----

  /** An expression that must be a number. */
  private number(e: ts.Expression, env: Env): Value {
    return this.numberValue(this.value(e, env), e);
  }

  private numberValue(v: Value, at: ts.Node): Value {
    if (v.type.kind !== "f64") throw new Refusal(Codes.UnsupportedType, "expected a number here", at);
    return v;
  }

  /** An expression that must be an array. */
  private array(e: ts.Expression, env: Env): Value {
    const v = this.value(e, env);
    if (v.type.kind !== "array") throw new Refusal(Codes.UnsupportedType, "expected an array here", e);
    return v;
  }

  /** `a[i]`: an element (a number, or a row: a reference into the same memory). */
  private element(array: Value, index: Value, at: ts.Node): Value {
    if (array.type.kind !== "array") throw new Refusal(Codes.UnsupportedType, "only arrays can be indexed", at);
    return this.b.op("load", [array, index], array.type.element);
  }

  /** `o.f`: a field of an object (a number, or a reference to an array or object inside it). */
  private field(object: Value, name: string, at: ts.Node): Value {
    if (object.type.kind !== "struct") throw new Refusal(Codes.UnsupportedType, `'${name}' is not a field of an object adc knows`, at);
    const field = object.type.fields.find((f) => f.name === name);
    if (!field) throw new Refusal(Codes.UnsupportedSyntax, `unknown field '${name}'`, at);
    return this.b.op("load", [object], field.type, { field: name });
  }

  /** Variables holding arrays or objects are aliases of one memory: they must not be merged by branches or loops. */
  private expectScalar(v: Value, symbol: ts.Symbol, at: ts.Node): void {
    if (isAggregate(v.type)) {
      throw new Refusal(Codes.Aliasing, `'${symbol.name}' holds an array or object and is reassigned in a branch or loop; adc cannot prove which memory it refers to`, at);
    }
  }

  /** An expression used as a condition: booleans as they are, numbers compared with 0 (JS truthiness). */
  private condition(e: ts.Expression, env: Env): Value {
    const v = this.value(e, env);
    if (v.type.kind === "bool") return v;
    throw new Refusal(Codes.UnsupportedType, "conditions must be comparisons or booleans (number truthiness is not supported)", e);
  }

  private value(e: ts.Expression, env: Env): Value {
    const b = this.b;
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) {
      return this.value(e.expression, env);
    }
    if (ts.isNumericLiteral(e)) return b.const(Number(e.text));
    if (e.kind === ts.SyntaxKind.TrueKeyword) return b.bool(true);
    if (e.kind === ts.SyntaxKind.FalseKeyword) return b.bool(false);
    if (ts.isIdentifier(e)) return this.identifier(e, env);
    if (ts.isPropertyAccessExpression(e)) {
      const constant = builtinConstant(this.checker, e);
      if (constant !== undefined) return b.const(constant);
      const base = this.value(e.expression, env); // refuses the base first when it is the problem (`this`, a free variable)
      if (base.type.kind === "array" && e.name.text === "length") {
        // An array made here has the length it was made with (arrays never change length).
        const made = this.builtins.allocations.get(base);
        if (made?.prim === "alloc") return made.args[0];
        return b.op("length", [base]);
      }
      if (base.type.kind === "struct") return this.field(base, e.name.text, e.name);
      throw new Refusal(Codes.UnsupportedSyntax, `property access '${e.getText()}' is not supported`, e);
    }
    if (ts.isElementAccessExpression(e)) {
      return this.element(this.array(e.expression, env), this.number(e.argumentExpression, env), e);
    }
    if (ts.isNewExpression(e)) return this.builtins.newArray(e, env);
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.MinusToken) {
        if (ts.isNumericLiteral(e.operand)) return b.const(-Number(e.operand.text));
        const x = this.number(e.operand, env);
        return b.op("neg", [x]);
      }
      if (e.operator === ts.SyntaxKind.PlusToken) return this.number(e.operand, env);
      if (e.operator === ts.SyntaxKind.ExclamationToken) return b.op("not", [this.condition(e.operand, env)], bool);
      const message = e.operator === ts.SyntaxKind.TildeToken
        ? "bitwise operators are not supported"
        : "increment and decrement are only supported as statements";
      throw new Refusal(Codes.UnsupportedSyntax, message, e);
    }
    if (ts.isBinaryExpression(e)) return this.binary(e, env);
    if (ts.isConditionalExpression(e)) {
      // Lazy, as in JS: the arm not taken is not evaluated, so neither its value nor its derivative
      // can leak in (no 0 · NaN from Math.sqrt of a negative in the other arm), and a recursive
      // call does not run on the base case.
      const cond = this.condition(e.condition, env);
      return this.lazyIf(cond, () => this.number(e.whenTrue, env), () => this.number(e.whenFalse, env), f64);
    }
    if (ts.isCallExpression(e)) return this.call(e, env);
    return refuseExpression(e);
  }

  private lazyIf(cond: Value, then: () => Value, otherwise: () => Value, type = f64): Value {
    const loc = this.b.loc;
    const t = this.b.inRegion(then);
    const o = this.b.inRegion(otherwise);
    this.b.loc = loc;
    t.region.yields = [t.result];
    o.region.yields = [o.result];
    return this.b.emit("if", [cond], [type], {}, [t.region, o.region]).results[0];
  }

  private binary(e: ts.BinaryExpression, env: Env): Value {
    const kind = e.operatorToken.kind;
    if (isAssignment(kind)) {
      throw new Refusal(Codes.UnsupportedSyntax, "assignment inside an expression is not supported; assign in its own statement", e);
    }
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
      const prim = kind === ts.SyntaxKind.AmpersandAmpersandToken ? "and" : "or";
      const left = this.condition(e.left, env);
      if (!this.containsCall(e.right)) return this.b.op(prim, [left, this.condition(e.right, env)], bool);
      const right = () => this.condition(e.right, env);
      const constant = () => this.b.bool(prim === "or");
      return prim === "and" ? this.lazyIf(left, right, constant, bool) : this.lazyIf(left, constant, right, bool);
    }
    const text = e.operatorToken.getText();
    const prim = binaryOperators.get(text === "==" ? "===" : text === "!=" ? "!==" : text);
    if (!prim || prim === "and" || prim === "or") {
      throw new Refusal(Codes.UnsupportedSyntax, `operator '${text}' is not supported`, e.operatorToken);
    }
    const primitive = primitives.get(prim)!;
    return this.b.op(prim, [this.number(e.left, env), this.number(e.right, env)], primitive.result);
  }

  private identifier(e: ts.Identifier, env: Env): Value {
    if (e.text === "undefined") throw new Refusal(Codes.UnsupportedType, "undefined is not a number", e);
    if (e.text === "NaN" || e.text === "Infinity") {
      const symbol = this.checker.getSymbolAtLocation(e);
      if (!symbol || symbol.declarations?.some((d) => d.getSourceFile().isDeclarationFile)) {
        return this.b.const(e.text === "NaN" ? NaN : Infinity);
      }
    }
    const symbol = this.symbolOf(e);
    if (env.has(symbol)) {
      return this.read(symbol, e, env);
    }
    const constant = moduleConstant(this.checker, resolveSymbol(this.checker, e) ?? symbol);
    if (constant !== undefined) return this.b.const(constant);
    const kind = resolveFunction(this.checker, e) ? "a function used as a value" : "a free variable";
    throw new Refusal(
      Codes.FreeVariable,
      `'${e.text}' is ${kind}; differentiated code may only read its parameters, its locals and numeric module constants`,
      e,
    );
  }

  private read(symbol: ts.Symbol, node: ts.Node, env: Env): Value {
    const v = env.get(symbol);
    if (!v) throw new Refusal(Codes.UnsupportedSyntax, `'${symbol.name}' may be read before it is assigned`, node);
    return v;
  }

  private call(e: ts.CallExpression, env: Env): Value {
    const callee = e.expression;
    const member = builtinMathMember(this.checker, e);
    if (member !== undefined) return this.builtins.mathCall(e, member, env);
    const tensorName = tensorRuntimeName(this.checker, callee);
    if (tensorName !== undefined) return this.builtins.tensorCall(e, tensorName, env);
    if (runtimeExport(this.checker, callee) === "stopGradient") {
      if (e.arguments.length !== 1) throw new Refusal(Codes.UnsupportedSyntax, "stopGradient takes one argument", e);
      return this.b.op("stopGradient", [this.number(e.arguments[0], env)]);
    }
    const custom = customDerivativeOf(this.checker, this.customs, callee);
    if (custom) {
      if (e.arguments.length !== custom.decl.parameters.length) {
        throw new Refusal(Codes.UnsupportedSyntax, `'${callee.getText()}' must be called with exactly its ${custom.decl.parameters.length} parameters`, e);
      }
      this.callees.add(custom.decl);
      const args = e.arguments.map((a) => this.number(a, env));
      return this.b.op("call", args, f64, { callee: functionKey(custom.decl) });
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const made = this.builtins.arrayCall(e, callee, env);
      if (made) return made;
    }
    const decl = resolveFunction(this.checker, callee);
    if (!decl) {
      throw new Refusal(Codes.UnknownCall, `cannot differentiate through '${callee.getText()}': adc cannot see its body and has no derivative rule for it`, e);
    }
    if (ts.isMethodDeclaration(decl) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      throw new Refusal(Codes.UnknownCall, `calls to instance method '${callee.getText()}' are not supported; make it static or a function`, e);
    }
    if (e.arguments.length !== decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${callee.getText()}' must be called with exactly its ${decl.parameters.length} parameters`, e);
    }
    const signature = this.checker.getSignatureFromDeclaration(decl);
    if (signature && !(this.checker.getReturnTypeOfSignature(signature).flags & ts.TypeFlags.NumberLike)) {
      throw new Refusal(Codes.UnsupportedType, `'${callee.getText()}' does not return a number; calls to functions returning tuples are not supported yet`, e);
    }
    this.callees.add(decl);
    const args = e.arguments.map((a) => {
      const v = this.value(a, env);
      if (isAggregate(v.type) && writesMemory(decl)) {
        // Its pullback runs its forward sweep again: writes would happen twice.
        throw new Refusal(Codes.UnsupportedType, `'${callee.getText()}' writes to an array; adc cannot pass arrays or objects to a function that writes arrays (write the loop in this function)`, a);
      }
      if (v.type.kind === "bool" || v.type.kind === "tensor") throw new Refusal(Codes.UnsupportedType, "expected a number, an array or an object here", a);
      return v;
    });
    return this.b.op("call", args, f64, { callee: functionKey(decl) });
  }

  // ---- helpers ----

  /** Gives a value the source name it is bound to, unless it already has one (e.g. `y = x`). */
  private named(v: Value, name: string): Value {
    if (v.hint === undefined && /^[A-Za-z_$][\w$]*$/.test(name)) v.hint = name;
    return v;
  }

  /** Whether an expression calls a user function (which must then be evaluated lazily). */
  private containsCall(node: ts.Node): boolean {
    if (ts.isCallExpression(node) && builtinMathMember(this.checker, node) === undefined) return true;
    return ts.forEachChild(node, (c) => (this.containsCall(c) ? true : undefined)) ?? false;
  }

  private symbolOf(node: ts.Identifier): ts.Symbol {
    const symbol = this.checker.getSymbolAtLocation(node) ??
      (ts.isShorthandPropertyAssignment(node.parent) ? this.checker.getShorthandAssignmentValueSymbol(node.parent) : undefined);
    if (!symbol) throw new Refusal(Codes.FreeVariable, `cannot resolve '${node.text}'`, node);
    return symbol;
  }

  private expectNumber(type: ts.Type, node: ts.Node, what: string): void {
    if (!(type.flags & ts.TypeFlags.NumberLike)) {
      throw new Refusal(Codes.UnsupportedType, `${what} has type '${this.checker.typeToString(type)}'; only number is supported so far`, node);
    }
  }

  private locOf(node: ts.Node): Loc {
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(node.getStart(this.sourceFile));
    return { file: this.sourceFile.fileName, line: line + 1, column: character + 1 };
  }
}


function elementType(array: Value): Type {
  if (array.type.kind !== "array") throw new Error("adc internal error: not an array");
  return array.type.element;
}


const compoundPrims = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.PlusEqualsToken, "add"],
  [ts.SyntaxKind.MinusEqualsToken, "sub"],
  [ts.SyntaxKind.AsteriskEqualsToken, "mul"],
  [ts.SyntaxKind.SlashEqualsToken, "div"],
  [ts.SyntaxKind.PercentEqualsToken, "mod"],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, "pow"],
]);


/** Whether a function writes any array element (`a[i] = …`, `a[i] += …`, `a[i]++`, `a.fill(…)`). */
function writesMemory(decl: ts.Node): boolean {
  const visit = (n: ts.Node): boolean => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && ts.isElementAccessExpression(skipParens(n.left))) return true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isElementAccessExpression(skipParens(n.operand))) return true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "fill") return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return visit(decl);
}
