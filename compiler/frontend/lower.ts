// TS AST → IR for one function, with the supported-language check: anything this file does not
// lower explicitly is refused with a diagnostic at that construct.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import { Builder } from "../ir/builder";
import { binaryOperators, mathFunctions, primitives } from "../ir/primitives";
import type { Func, Loc, Value } from "../ir/types";
import { bool, f64 } from "../ir/types";
import { builtinConstant, builtinMathMember, functionKey, resolveFunction, resolveSymbol, runtimeExport, type FunctionLike } from "./resolve";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import { moduleConstant } from "./constants";
import { refuseStatement, refuseExpression } from "./refusals";

/** Variables in scope: symbol → current SSA value (undefined: declared, not yet assigned). */
type Env = Map<ts.Symbol, Value | undefined>;

/** A return: one value, or one per element for a function returning a tuple of numbers. */
type Outcome = { returned: Value[] } | { env: Env };

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

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly decl: FunctionLike,
    private readonly customs: ReadonlyMap<ts.Declaration, CustomDerivative>,
  ) {
    this.sourceFile = decl.getSourceFile();
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
        throw new Refusal(Codes.UnsupportedSyntax, "only plain parameters `x: number` are supported", p);
      }
      this.expectNumber(this.checker.getTypeAtLocation(p), p, `parameter '${p.name.text}'`);
      const value = this.b.value(f64, p.name.text);
      env.set(this.symbolOf(p.name), value);
      return { value, name: p.name.text };
    });

    this.b.loc = this.locOf(decl);
    const outcome = this.statements(decl.body.statements, env);
    if (!("returned" in outcome)) {
      throw new Refusal(Codes.MissingReturn, `'${key}' can reach its end without returning a number`, decl.name ?? decl);
    }
    this.b.region.yields.push(...outcome.returned);
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

  /** Lowers a statement list; an `if` that may return takes the rest of the list as its continuation. */
  private statements(list: readonly ts.Statement[], env: Env): Outcome {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      const rest = list.slice(i + 1);
      this.b.loc = this.locOf(s);
      if (ts.isBlock(s)) return this.statements([...s.statements, ...rest], env);
      if (ts.isReturnStatement(s)) {
        if (!s.expression) throw new Refusal(Codes.MissingReturn, "return without a value", s);
        return { returned: this.returned(s.expression, env) };
      }
      if (ts.isIfStatement(s)) {
        if (containsReturn(s)) return this.ifWithReturn(s, rest, env);
        env = this.ifMerge(s, env);
        continue;
      }
      if (ts.isVariableStatement(s)) {
        this.variables(s.declarationList, env);
        continue;
      }
      if (ts.isExpressionStatement(s)) {
        this.assignmentStatement(s.expression, env);
        continue;
      }
      if (ts.isEmptyStatement(s)) continue;
      refuseStatement(s);
    }
    return { env };
  }

  private variables(list: ts.VariableDeclarationList, env: Env): void {
    for (const d of list.declarations) {
      if (!ts.isIdentifier(d.name)) {
        throw new Refusal(Codes.UnsupportedSyntax, "destructuring is not supported yet", d.name);
      }
      const symbol = this.symbolOf(d.name);
      env.set(symbol, d.initializer ? this.named(this.value(d.initializer, env), d.name.text) : undefined);
    }
  }

  /** `x = e`, `x op= e`, `x++`, `--x` as statements: rebinding a variable to a new SSA value. */
  private assignmentStatement(e: ts.Expression, env: Env): void {
    if (ts.isParenthesizedExpression(e)) return this.assignmentStatement(e.expression, env);
    if (ts.isBinaryExpression(e) && isAssignment(e.operatorToken.kind)) {
      const target = this.assignable(e.left, env);
      const rhs = this.value(e.right, env);
      const op = e.operatorToken.kind;
      let next: Value;
      if (op === ts.SyntaxKind.EqualsToken) next = rhs;
      else {
        const prim = compoundPrims.get(op);
        if (!prim) throw new Refusal(Codes.UnsupportedSyntax, `operator '${e.operatorToken.getText()}' is not supported`, e.operatorToken);
        next = this.b.op(prim, [this.read(target, e.left, env), rhs]);
      }
      env.set(target, this.named(next, e.left.getText()));
      return;
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = this.assignable(e.operand, env);
      const prim = e.operator === ts.SyntaxKind.PlusPlusToken ? "add" : "sub";
      env.set(target, this.named(this.b.op(prim, [this.read(target, e.operand, env), this.b.const(1)]), e.operand.getText()));
      return;
    }
    throw new Refusal(Codes.UnsupportedSyntax, "only assignments are supported as statements (a bare expression has no effect on the result)", e);
  }

  private assignable(target: ts.Expression, env: Env): ts.Symbol {
    if (!ts.isIdentifier(target)) {
      throw new Refusal(Codes.UnsupportedSyntax, "only local variables can be assigned", target);
    }
    const symbol = this.symbolOf(target);
    if (!env.has(symbol)) throw new Refusal(Codes.FreeVariable, `'${target.text}' is not a local variable of this function; only locals can be assigned`, target);
    return symbol;
  }

  /** An `if` whose branches both fall through: lower each, then merge the variables they assign. */
  private ifMerge(s: ts.IfStatement, env: Env): Env {
    const cond = this.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      this.b.inRegion(() => {
        const outcome = this.statements(stmt ? [stmt] : [], new Map(env));
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
    then.region.yields = live.map((k) => then.result.get(k)!);
    otherwise.region.yields = live.map((k) => otherwise.result.get(k)!);
    const types = then.region.yields.map((v) => v.type);
    this.b.loc = this.locOf(s);
    const op = this.b.emit("if", [cond], types, {}, [then.region, otherwise.region]);
    live.forEach((k, i) => merged.set(k, this.named(op.results[i], k.name)));
    return merged;
  }

  /** An `if` with a return inside: the statements after it continue in each branch that falls through. */
  private ifWithReturn(s: ts.IfStatement, rest: readonly ts.Statement[], env: Env): Outcome {
    const cond = this.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      this.b.inRegion(() => {
        const list = stmt ? [stmt] : [];
        const outcome = this.statements(alwaysReturns(stmt) ? list : [...list, ...rest], new Map(env));
        if (!("returned" in outcome)) {
          throw new Refusal(Codes.MissingReturn, "this path can reach the end of the function without returning a number", stmt ?? s);
        }
        return outcome.returned;
      });
    const then = branch(s.thenStatement);
    const otherwise = branch(s.elseStatement);
    then.region.yields = then.result;
    otherwise.region.yields = otherwise.result;
    this.b.loc = this.locOf(s);
    const op = this.b.emit("if", [cond], then.result.map(() => f64), {}, [then.region, otherwise.region]);
    return { returned: op.results };
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

  // ---- expressions ----

  /** An expression that must be a number. */
  private number(e: ts.Expression, env: Env): Value {
    const v = this.value(e, env);
    if (v.type.kind !== "f64") throw new Refusal(Codes.UnsupportedType, "expected a number here", e);
    return v;
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
      this.value(e.expression, env); // refuses the base first when it is the problem (`this`, a free variable)
      throw new Refusal(Codes.UnsupportedSyntax, `property access '${e.getText()}' is not supported`, e);
    }
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
    if (member !== undefined) return this.mathCall(e, member, env);
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
    const args = e.arguments.map((a) => this.number(a, env));
    return this.b.op("call", args, f64, { callee: functionKey(decl) });
  }

  private mathCall(e: ts.CallExpression, member: string, env: Env): Value {
    const prim = mathFunctions.get(member);
    if (!prim) {
      throw new Refusal(Codes.UnsupportedMath, `Math.${member} has no derivative${member === "random" ? " (it is not a function of the inputs)" : ""}`, e);
    }
    const args = e.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.UnsupportedSyntax, "spread arguments are not supported", a);
      return this.number(a, env);
    });
    if (prim.arity === "n") {
      if (args.length === 0) return this.b.const(0);
      return this.b.op(prim.name, args);
    }
    if (member === "min" || member === "max") {
      // Math.min(a, b, c) = min(min(a, b), c); Math.min() = +∞, Math.max() = −∞.
      if (args.length === 0) return this.b.const(member === "min" ? Infinity : -Infinity);
      return args.reduce((acc, x) => this.b.op(prim.name, [acc, x]));
    }
    if (args.length !== prim.arity) {
      throw new Refusal(Codes.UnsupportedSyntax, `Math.${member} takes ${prim.arity} argument${prim.arity === 1 ? "" : "s"}`, e);
    }
    return this.b.op(prim.name, args);
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

const compoundPrims = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.PlusEqualsToken, "add"],
  [ts.SyntaxKind.MinusEqualsToken, "sub"],
  [ts.SyntaxKind.AsteriskEqualsToken, "mul"],
  [ts.SyntaxKind.SlashEqualsToken, "div"],
  [ts.SyntaxKind.PercentEqualsToken, "mod"],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, "pow"],
]);

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function containsReturn(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (c) => (containsReturn(c) ? true : undefined)) ?? false;
}

/** True when every path through the statement returns. */
function alwaysReturns(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  if (ts.isReturnStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.some(alwaysReturns);
  if (ts.isIfStatement(s)) return alwaysReturns(s.thenStatement) && alwaysReturns(s.elseStatement);
  return false;
}


