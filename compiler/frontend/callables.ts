// Local functions and callbacks, inlined where they are called. A `const f = (v) => …`, a nested
// `function f() {}`, an inline callback, a module-level arrow, and a user function that takes a
// callback (`sumBy(xs, f)`) never become a function value in the IR: each call lowers the body
// right there, with the parameters bound to the arguments and the free variables read from the
// environment at the call. That is JavaScript's semantics for a closure that cannot escape (it is
// bound to a `const`, or passed straight to a method or helper that calls it before returning): a
// captured variable has, at each call, its value at that moment. Variables the body assigns that
// live outside it (`s += v` in a forEach callback, a push onto an outer array) flow back out of
// the inlined body like a loop's carried values. The derivative code is then plain loops and
// branches, with no closure allocated on the hot path.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";
import { bool, f64, isAggregate } from "../ir/types";
import { mathFunctions } from "../ir/primitives";
import { exitOf, type Env, type Frame } from "./frames";
import type { Lowerer } from "./lowerer";
import { isGlobalBuiltin, resolveFunction, resolveSymbol, type FunctionLike } from "./resolve";
import { skipParens } from "./scan";
import { irType } from "./types";

export type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration;

/** Something that can be called and is lowered at each call. */
export type Callable =
  /** An arrow, a function expression or a nested function declaration: its body is inlined. */
  | { readonly kind: "local"; readonly node: FunctionLiteral; readonly name: string }
  /** A top-level function passed as a callback (`xs.map(square)`): a call op (or inlined if it takes callbacks itself). */
  | { readonly kind: "function"; readonly decl: FunctionLike; readonly name: string }
  /** `Math.exp` passed as a callback. */
  | { readonly kind: "math"; readonly member: string; readonly name: string };

/** What the caller needs from an inlined body: a number, a condition, nothing, or any value. */
export type ResultKind = "number" | "condition" | "void" | "value";

/** What `return` means in the inlined body being lowered (statements.ts and loops.ts ask). */
export interface Returning {
  /** The types a `return` yields (the slots a loop that can return carries). */
  readonly types: readonly Type[];
  returned(e: ts.Expression | undefined, env: Env, at: ts.Node): Value[];
}

function isFunctionLiteral(n: ts.Node): n is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n);
}

/** Array methods that change an array's length. */
export const growingMethods = new Set(["push", "pop", "shift", "unshift", "splice"]);

export class Callables {
  /** Local functions in scope and callback parameters of inlined helpers, by symbol. */
  private readonly bound = new Map<ts.Symbol, Callable>();
  /** The bodies being inlined, outermost first: a body inlined inside itself is recursion. */
  private readonly active: ts.Node[] = [];
  /** The innermost inlined body's `return` (undefined: the function being lowered). */
  returning: Returning | undefined;
  /** Files whose functions were inlined here. */
  private readonly files = new Set<ts.SourceFile>();
  /** Where the last `assigned` scan first saw each variable assigned (for diagnostics). */
  private sites = new Map<ts.Symbol, ts.Node>();

  constructor(private readonly l: Lowerer) {}

  /** Nested function declarations are hoisted: each is callable anywhere in its block. */
  hoist(list: readonly ts.Statement[]): void {
    for (const s of list) {
      if (ts.isFunctionDeclaration(s) && s.name) {
        if (!s.body) throw new Refusal(Codes.Closure, `local function '${s.name.text}' has no body`, s);
        if (s.asteriskToken) throw new Refusal(Codes.Generator, `generator function '${s.name.text}' cannot be differentiated`, s);
        this.bound.set(this.l.symbolOf(s.name), { kind: "local", node: s, name: s.name.text });
      }
    }
  }

  /**
   * `const f = (v) => …`, `const g = f`, `const e = Math.exp`: binds a callable; false when the
   * initializer is not a function.
   */
  declare(d: ts.VariableDeclaration, list: ts.VariableDeclarationList): boolean {
    if (!d.initializer || !ts.isIdentifier(d.name)) return false;
    if (this.l.checker.getTypeAtLocation(d.initializer).getCallSignatures().length === 0) return false;
    const c = this.callableOf(d.initializer);
    if (!c) return false;
    if (!(list.flags & ts.NodeFlags.Const)) {
      throw new Refusal(Codes.Closure, `local function '${d.name.text}' must be bound with const (a function variable that may change cannot be inlined)`, d);
    }
    this.bound.set(this.l.symbolOf(d.name), c.kind === "local" && c.name === "callback" ? { ...c, name: d.name.text } : c);
    return true;
  }

  /** The callable an expression denotes, if it is one adc can inline or call. */
  callableOf(expression: ts.Expression): Callable | undefined {
    const { checker } = this.l;
    let e = expression;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (isFunctionLiteral(e)) return { kind: "local", node: e, name: e.name?.text ?? "callback" };
    if (ts.isIdentifier(e)) {
      const symbol = checker.getSymbolAtLocation(e);
      const bound = symbol && this.bound.get(symbol);
      if (bound) return bound;
      const target = resolveSymbol(checker, e);
      const decl = target?.valueDeclaration;
      // A module-level `const f = (x) => …`: it can only capture module constants.
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isFunctionLiteral(skipParens(decl.initializer)) &&
          ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const && ts.isSourceFile(decl.parent.parent.parent)) {
        return { kind: "local", node: skipParens(decl.initializer) as ts.ArrowFunction, name: e.text };
      }
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Math" && isGlobalBuiltin(checker, e.expression) &&
        checker.getTypeAtLocation(e).getCallSignatures().length > 0) {
      return { kind: "math", member: e.name.text, name: e.getText() };
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const decl = resolveFunction(checker, e);
      if (decl && !this.isNested(decl)) return { kind: "function", decl, name: e.getText() };
    }
    return undefined;
  }

  /** The files whose functions were inlined (for the generated code's source comments). */
  inlinedFrom(): ts.SourceFile[] {
    return [...this.files];
  }

  /** A local callable bound to this symbol (for refusing it as a value). */
  isBound(symbol: ts.Symbol): boolean {
    return this.bound.has(symbol);
  }

  private isNested(decl: FunctionLike): boolean {
    return ts.isFunctionDeclaration(decl) && !ts.isSourceFile(decl.parent);
  }

  /**
   * `f(a, b)` where f is a local function (or an IIFE): its body inlined; undefined when the callee
   * is not a local callable.
   */
  call(e: ts.CallExpression, env: Env): { value: Value | undefined } | undefined {
    const callee = skipParens(e.expression);
    if (!ts.isIdentifier(callee) && !isFunctionLiteral(callee)) return undefined;
    const symbol = ts.isIdentifier(callee) ? this.l.checker.getSymbolAtLocation(callee) : undefined;
    const c = (symbol && this.bound.get(symbol)) ?? this.callableOf(callee);
    // A top-level function called by name is a call op (calls.ts); bound to a callback parameter, it is called here.
    if (!c || (c.kind !== "local" && !(symbol && this.bound.has(symbol)))) return undefined;
    for (const a of e.arguments) {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.UnsupportedSyntax, "spread arguments are only supported in Math.max and Math.min", a);
    }
    const args = e.arguments.map((a) => this.argument(a, env));
    const kind = c.kind === "local" ? this.resultKindOf(c.node, e) : c.kind === "function" ? this.resultKindOf(c.decl, e) : "number";
    return { value: this.invoke(c, args, env, e, kind) };
  }

  /** Whether a user function takes a callback (then it is inlined at each call). */
  takesCallback(decl: FunctionLike): boolean {
    return decl.parameters.some((p) => this.l.checker.getTypeAtLocation(p).getCallSignatures().length > 0);
  }

  /** An argument of an inlined call: a value, or a callable (bound to the parameter while the body is lowered). */
  private argument(a: ts.Expression, env: Env): Value | Callable {
    const type = this.l.checker.getTypeAtLocation(a);
    if (type.getCallSignatures().length > 0) {
      const c = this.callableOf(a);
      if (!c) throw new Refusal(Codes.Closure, "a callback must be an arrow function, a function expression, a local function or a function declaration", a);
      return c;
    }
    return this.l.expressions.value(a, env);
  }

  /** What a direct call of a local function gives: by its return type. */
  private resultKindOf(node: FunctionLiteral | FunctionLike, at: ts.Node): ResultKind {
    const { checker } = this.l;
    const signature = checker.getSignatureFromDeclaration(node);
    const type = signature ? checker.getReturnTypeOfSignature(signature) : undefined;
    if (!type || type.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return "void";
    if (type.flags & ts.TypeFlags.NumberLike) return "number";
    if (type.flags & ts.TypeFlags.BooleanLike) return "condition";
    irType(checker, type, at, "the result of this call");
    return "value";
  }

  /**
   * A user function that takes a callback (`sumBy(xs, (v) => v * w)`): inlined at the call, its
   * callback parameters bound to the callables passed.
   */
  helper(e: ts.CallExpression, decl: FunctionLike, env: Env): { value: Value | undefined } | undefined {
    if (!this.takesCallback(decl)) return undefined;
    const name = e.expression.getText();
    if (e.arguments.length !== decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `${quoted(name)} must be called with exactly its ${decl.parameters.length} parameters`, e);
    }
    const args = e.arguments.map((a) => this.argument(a, env));
    return { value: this.inline(decl, name, args, env, e, this.resultKindOf(decl, e)) };
  }

  /** Calls a callable with values (array methods call their callbacks so). */
  invoke(c: Callable, args: (Value | Callable | undefined)[], env: Env, at: ts.Node, kind: ResultKind): Value | undefined {
    const { l } = this;
    if (c.kind === "local") return this.inline(c.node, c.name, args, env, at, kind);
    const values = args.map((a) => (a !== undefined && "id" in a ? a : undefined));
    if (c.kind === "math") {
      const prim = mathFunctions.get(c.member);
      if (!prim || typeof prim.arity !== "number" || c.member === "min" || c.member === "max") {
        throw new Refusal(Codes.Closure, `${c.name} cannot be passed as a callback (it would receive the index and the array too); write (a, b) => ${c.name}(a, b)`, at);
      }
      const operands = values.slice(0, prim.arity);
      if (operands.length < prim.arity || operands.some((v) => v?.type.kind !== "f64")) {
        throw new Refusal(Codes.Closure, `${c.name} needs ${prim.arity} number arguments here`, at);
      }
      return this.expect(l.b.op(prim.name, operands as Value[]), kind, at);
    }
    const decl = c.decl;
    if (this.takesCallback(decl)) {
      throw new Refusal(Codes.Closure, `'${c.name}' takes a callback itself; pass an arrow function that calls it`, at);
    }
    const passed = values.slice(0, decl.parameters.length);
    const fits = passed.every((v, i) => v && v.type.kind === irType(l.checker, l.checker.getTypeAtLocation(decl.parameters[i]), decl.parameters[i], "a parameter").kind);
    if (passed.length < decl.parameters.length || !fits) {
      throw new Refusal(Codes.Closure, `'${c.name}' cannot take the arguments given here (${decl.parameters.length} parameters); pass an arrow function that calls it`, at);
    }
    return this.expect(l.calls.emitCall(decl, passed as Value[], at, c.name), kind, at);
  }

  private expect(v: Value | undefined, kind: ResultKind, at: ts.Node): Value | undefined {
    if (kind === "void") return undefined;
    if (v === undefined) throw new Refusal(Codes.UnsupportedType, "this callback must return a value", at);
    if (kind === "condition" && v.type.kind !== "bool") throw new Refusal(Codes.UnsupportedType, "this callback must return a boolean (number truthiness is not supported)", at);
    if (kind === "number" && v.type.kind !== "f64") throw new Refusal(Codes.UnsupportedType, "this callback must return a number", at);
    return v;
  }

  /**
   * Lowers a body at the call: parameters bound to the arguments (callables to their parameters),
   * the free variables read from `env`, and what it assigns outside itself written back to `env`.
   */
  private inline(node: FunctionLiteral | FunctionLike, name: string, args: (Value | Callable | undefined)[], env: Env, at: ts.Node, kind: ResultKind): Value | undefined {
    const { l } = this;
    const body = node.body;
    if (!body) throw new Refusal(Codes.Closure, `${quoted(name)} has no body to inline`, at);
    if (this.active.includes(node)) {
      throw new Refusal(Codes.Closure, `${quoted(name)} calls itself; recursion is only supported for top-level functions that take no callbacks (pass what it captures as parameters)`, at);
    }
    if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) throw new Refusal(Codes.Async, `async function ${quoted(name)} cannot be differentiated`, node);
    if ((ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) && node.asteriskToken) {
      throw new Refusal(Codes.Generator, `generator function ${quoted(name)} cannot be differentiated`, node);
    }
    const resultType = kind === "value" ? this.valueResultType(node, name, at) : undefined;
    this.files.add(node.getSourceFile());
    const written = this.writtenOutside([body, ...args.flatMap((a) => (a && "kind" in a && a.kind === "local" ? [a.node.body] : []))], env, at);

    const inner: Env = new Map(env);
    const rebound: [ts.Symbol, Callable | undefined][] = [];
    node.parameters.forEach((p, i) => {
      if (p.dotDotDotToken) throw new Refusal(Codes.Closure, "rest parameters are not supported in callbacks and local functions", p);
      const arg = args[i];
      if (arg !== undefined && "kind" in arg) {
        if (!ts.isIdentifier(p.name)) throw new Refusal(Codes.Closure, "a callback parameter must be a plain name", p);
        const symbol = l.symbolOf(p.name);
        rebound.push([symbol, this.bound.get(symbol)]);
        this.bound.set(symbol, arg);
        return;
      }
      const value = arg ?? (p.initializer ? l.expressions.value(p.initializer, inner) : undefined);
      if (value === undefined) {
        // No argument here (`(_, i) => …` in Array.from({ length: n }, …)): reading it is refused.
        if (ts.isIdentifier(p.name)) inner.set(l.symbolOf(p.name), undefined);
        else throw new Refusal(Codes.Closure, "this parameter receives no value here and cannot be destructured", p);
        return;
      }
      l.statements.destructure(p.name, value, inner);
    });

    const saved = this.returning;
    const savedLoc = l.b.loc;
    this.active.push(node);
    this.returning = this.returningFor(kind, resultType, name);
    try {
      let exit: Value[];
      if (!ts.isBlock(body)) {
        let result: Value[];
        if (kind === "void" && isStatementLike(body)) {
          l.statements.expressionStatement(body, inner);
          result = [];
        } else {
          result = this.returning.returned(body, inner, body);
        }
        exit = [...result, ...written.map((w) => this.writtenValue(w, inner, body))];
      } else {
        l.callables.hoist(body.statements);
        const frame = new InlineFrame(name, kind === "void", written, (w, e, where) => this.writtenValue(w, e, where));
        exit = exitOf(l.statements.lower(body.statements, inner, frame), frame, body);
      }
      const results = kind === "void" ? 0 : 1;
      written.forEach((w, i) => env.set(w, exit[results + i]));
      return results ? exit[0] : undefined;
    } finally {
      this.returning = saved;
      this.active.pop();
      for (const [symbol, previous] of rebound) {
        if (previous) this.bound.set(symbol, previous);
        else this.bound.delete(symbol);
      }
      l.b.loc = savedLoc;
    }
  }

  /** A body returning an array or object must return it once, at its end: references are never merged. */
  private valueResultType(node: FunctionLiteral | FunctionLike, name: string, at: ts.Node): Type {
    const { checker } = this.l;
    const signature = checker.getSignatureFromDeclaration(node)!;
    const type = irType(checker, checker.getReturnTypeOfSignature(signature), at, `the result of ${quoted(name)}`);
    if (isAggregate(type) && node.body && ts.isBlock(node.body)) {
      const returns: ts.ReturnStatement[] = [];
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return;
        if (ts.isReturnStatement(n)) returns.push(n);
        ts.forEachChild(n, visit);
      };
      node.body.statements.forEach(visit);
      const last = node.body.statements[node.body.statements.length - 1];
      if (returns.length !== 1 || returns[0] !== last) {
        throw new Refusal(Codes.Aliasing, `${quoted(name)} returns an array or object from more than one place; return it once, at the end`, returns[1] ?? returns[0] ?? node);
      }
    }
    return type;
  }

  private returningFor(kind: ResultKind, resultType: Type | undefined, name: string): Returning {
    const { expressions } = this.l;
    const types: Type[] = kind === "void" ? [] : kind === "condition" ? [bool] : kind === "number" ? [f64] : [resultType!];
    return {
      types,
      returned: (e, env, at) => {
        if (kind === "void") {
          if (e) expressions.value(e, env);
          return [];
        }
        if (!e) throw new Refusal(Codes.MissingReturn, `${quoted(name)} must return a value here`, at);
        if (kind === "number") {
          const v = expressions.value(e, env);
          if (v.type.kind !== "f64") {
            const why = v.type.kind === "array" ? " (arrays of arrays cannot be made yet)" : "";
            throw new Refusal(Codes.UnsupportedType, `${quoted(name)} must return a number here${why}`, e);
          }
          return [v];
        }
        if (kind === "condition") return [expressions.condition(e, env)];
        const v = expressions.value(e, env);
        if (v.type.kind !== resultType!.kind) throw new Refusal(Codes.UnsupportedType, `expected ${resultType!.kind === "f64" ? "a number" : "a value of the declared result type"} here`, e);
        return [v];
      },
    };
  }

  private writtenValue(symbol: ts.Symbol, env: Env, at: ts.Node): Value {
    const v = env.get(symbol);
    if (!v) throw new Refusal(Codes.UnsupportedSyntax, `'${symbol.name}' may be unassigned here`, at);
    this.l.expectScalar(v, symbol, at);
    return v;
  }

  /**
   * The variables of `env` that running `nodes` may assign (and the lengths of growing arrays, if
   * it grows one). Refused where the lowering would drop what they assign: in a loop condition or
   * a lazy operand (`?:`, `&&`, `||`), whose regions yield only their value.
   */
  writtenOutside(nodes: readonly (ts.Node | undefined)[], env: Env, at: ts.Node): ts.Symbol[] {
    const { symbols, grows } = this.assigned(nodes);
    const written = [...new Set(symbols)].filter((s) => env.has(s) && !this.l.growables.isLengthKey(s));
    if (grows) written.push(...this.l.growables.keysIn(env));
    if (written.length > 0) {
      const place = discardingContext(at);
      if (place) {
        const names = written.map((s) => `'${s.name}'`).join(", ");
        throw new Refusal(Codes.Closure, `this call assigns ${names}, which ${place} cannot pass on; call it in a statement of its own before`, at);
      }
    }
    return written;
  }

  /** Where the last `assigned` scan first saw the variable assigned. */
  siteOf(symbol: ts.Symbol): ts.Node | undefined {
    return this.sites.get(symbol);
  }

  /**
   * What running `nodes` may assign: variables (`x = …`, `x += …`, `x++`), and whether an array
   * grows (push/pop). Function bodies count where they run: callbacks passed to a call and
   * local functions called, followed through their bodies.
   */
  assigned(nodes: readonly (ts.Node | undefined)[]): { symbols: ts.Symbol[]; grows: boolean } {
    const { checker } = this.l;
    const symbols: ts.Symbol[] = [];
    let grows = false;
    const entered = new Set<ts.Node>();
    this.sites = new Map();
    const add = (target: ts.Expression) => {
      const t = skipParens(target);
      const s = ts.isIdentifier(t) ? checker.getSymbolAtLocation(t) : undefined;
      if (!s) return;
      symbols.push(s);
      if (!this.sites.has(s)) this.sites.set(s, t);
    };
    const enter = (fn: ts.Node | undefined) => {
      if (!fn || entered.has(fn)) return;
      entered.add(fn);
      const body = (fn as ts.FunctionLikeDeclaration).body;
      if (body) visit(body);
    };
    const callableBody = (e: ts.Expression) => {
      const c = this.callableOf(e);
      if (c?.kind === "local") enter(c.node);
      if (c?.kind === "function" && this.takesCallback(c.decl)) enter(c.decl);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return; // a body runs where it is called
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) add(n.left);
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
          (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) add(n.operand);
      if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(callee) && growingMethods.has(callee.name.text)) grows = true;
        if (isFunctionLiteral(callee) || ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) callableBody(callee);
        for (const a of n.arguments) callableBody(a);
      }
      ts.forEachChild(n, visit);
    };
    nodes.forEach((n) => n && (isFunctionLiteral(n) ? enter(n) : visit(n)));
    return { symbols, grows };
  }
}

/** The frame of an inlined body: `return` yields its value and the outer variables it assigned. */
class InlineFrame implements Frame {
  constructor(
    private readonly name: string,
    private readonly isVoid: boolean,
    private readonly written: readonly ts.Symbol[],
    private readonly value: (w: ts.Symbol, env: Env, at: ts.Node) => Value,
  ) {}

  returnWith(values: Value[], env: Env, at: ts.Node): Value[] {
    return [...values, ...this.written.map((w) => this.value(w, env, at))];
  }

  fallOff(env: Env, at: ts.Node): Value[] {
    if (!this.isVoid) throw new Refusal(Codes.MissingReturn, `${quoted(this.name)} can reach its end without returning a value`, at);
    return this.returnWith([], env, at);
  }

  jump(_kind: "break" | "continue", _label: string | undefined, _env: Env, at: ts.Node): Value[] {
    throw new Refusal(Codes.UnsupportedSyntax, "break or continue outside a loop", at);
  }
}

/** Expressions that do something as a statement (an arrow's body in a forEach). */
function isStatementLike(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (ts.isCallExpression(x)) return true;
  if (ts.isBinaryExpression(x)) {
    const k = x.operatorToken.kind;
    return (k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment) || k === ts.SyntaxKind.CommaToken;
  }
  return (ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
    (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken);
}

/** Where a call sits in a region that yields only a value (so what it assigns would be lost), if it does. */
function discardingContext(at: ts.Node): string | undefined {
  let child: ts.Node = at;
  for (let n = at.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isFunctionLike(n) || ts.isBlock(n)) return undefined;
    if (ts.isConditionalExpression(n) && child !== n.condition) return "an arm of ?:";
    if (ts.isBinaryExpression(n) && child === n.right &&
        (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
         n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return `the right side of ${n.operatorToken.getText()}`;
    if ((ts.isWhileStatement(n) || ts.isDoStatement(n)) && child === n.expression) return "a loop condition";
    if (ts.isForStatement(n) && child === n.condition) return "a loop condition";
    if (ts.isStatement(n)) return undefined;
  }
  return undefined;
}

/** A callable's name in a message: `'f'`, or a description as it is (`the callback of map`). */
function quoted(name: string): string {
  return name.startsWith("the ") ? name : `'${name}'`;
}
