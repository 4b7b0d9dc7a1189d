// Statements → IR: statement lists (where control may leave early, the statements after become a
// continuation lowered inside the branch or loop), declarations and destructuring, assignments to
// locals and array elements, and `if` (merging what the branches assign, or with a jump).
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Value } from "../ir/types";
import { exitOf, type Env, type Frame, type Outcome } from "./frames";
import { refuseGlobalWrite } from "./globals";
import type { Lowerer } from "./lowerer";
import { refuseStatement } from "./refusals";
import { returned } from "./results";
import { alwaysJumps, containsJump, isAssignment, isLoop, skipParens } from "./scan";

export class Statements {
  constructor(private readonly l: Lowerer) {}

  /**
   * Lowers a statement list. Where control may leave early (an `if` containing a jump, a loop
   * that can return), the statements after it become its continuation, lowered inside it.
   */
  lower(list: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    const { l } = this;
    l.callables.hoist(list);
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      const rest = list.slice(i + 1);
      l.b.loc = l.locOf(s);
      if (ts.isBlock(s)) return this.lower([...s.statements, ...rest], env, frame);
      if (ts.isReturnStatement(s)) {
        const inlined = l.callables.returning;
        if (inlined) return { exit: frame.returnWith(inlined.returned(s.expression, env, s), env, s) };
        return { exit: frame.returnWith(returned(l, s.expression, env, frame, s), env, s) };
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
        const outcome = l.loops.lower(loop, label, rest, env, frame);
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
      if (ts.isEmptyStatement(s) || ts.isFunctionDeclaration(s)) continue; // functions are hoisted, inlined where called
      refuseStatement(s);
    }
    return { env };
  }

  /** `let x = e, y;` and destructuring declarations. */
  variables(list: ts.VariableDeclarationList, env: Env): void {
    const { l } = this;
    for (const d of list.declarations) {
      if (ts.isIdentifier(d.name)) {
        if (l.callables.declare(d, list)) continue;
        const symbol = l.symbolOf(d.name);
        const value = d.initializer ? l.named(l.expressions.value(d.initializer, env), d.name.text) : undefined;
        env.set(symbol, value);
        if (value) l.growables.declared(d, symbol, value, env);
        continue;
      }
      if (!d.initializer) throw new Refusal(Codes.UnsupportedSyntax, "a destructuring declaration needs a value", d);
      const source = l.expressions.value(d.initializer, env);
      this.destructure(d.name, source, env);
    }
  }

  /** `const { a, b } = o` (fields) and `const [x, y] = arr` (elements), nested. */
  destructure(pattern: ts.BindingName, source: Value, env: Env): void {
    const { l } = this;
    if (ts.isIdentifier(pattern)) {
      env.set(l.symbolOf(pattern), l.named(source, pattern.text));
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
        part = l.expressions.field(source, property.text, element);
      } else {
        part = l.expressions.element(source, l.b.const(index), element);
      }
      this.destructure(element.name, part, env);
    });
  }

  /** A statement that is an expression: an assignment, or a call that does something (`a.fill(v)`, `a.push(x)`, `f(x)`). */
  expressionStatement(e: ts.Expression, env: Env): void {
    if (ts.isParenthesizedExpression(e)) return this.expressionStatement(e.expression, env);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      this.expressionStatement(e.left, env);
      return this.expressionStatement(e.right, env);
    }
    if (ts.isCallExpression(e)) return this.l.calls.statement(e, env);
    this.assignment(e, env);
  }

  /** `x = e`, `x op= e`, `x++`, `a[i] = e`, `a[i] op= e`, `a[i]++`. */
  private assignment(e: ts.Expression, env: Env): void {
    const { l } = this;
    const { b, expressions } = l;
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
        const rhs = expressions.value(e.right, env);
        return before ? b.op(prim!, [before, expressions.numberValue(rhs, e.right)]) : rhs;
      };
    } else if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      target = skipParens(e.operand);
      const prim = e.operator === ts.SyntaxKind.PlusPlusToken ? "add" : "sub";
      next = (old) => b.op(prim, [old(), b.const(1)]);
    } else {
      throw new Refusal(Codes.UnsupportedSyntax, "only assignments are supported as statements (a bare expression has no effect on the result)", e);
    }

    if (ts.isElementAccessExpression(target)) {
      const array = expressions.array(target.expression, env);
      const index = expressions.number(target.argumentExpression, env);
      if (array.type.kind !== "array" || array.type.element.kind !== "f64") {
        throw new Refusal(Codes.UnsupportedType, "only number elements can be assigned", target);
      }
      refuseGlobalWrite(array, b.defs, target);
      const value = expressions.numberValue(next(() => b.op("load", [array, index])), target);
      b.emit("store", [array, index, value], []);
      return;
    }
    if (ts.isPropertyAccessExpression(target)) {
      throw new Refusal(Codes.UnsupportedSyntax, "fields of objects cannot be assigned in a differentiated function", target);
    }
    if (!ts.isIdentifier(target)) throw new Refusal(Codes.UnsupportedSyntax, "only local variables and array elements can be assigned", target);
    const symbol = l.symbolOf(target);
    if (!env.has(symbol)) throw new Refusal(Codes.FreeVariable, `'${target.text}' is not a local variable of this function; only locals can be assigned`, target);
    const value = next(() => l.read(symbol, target, env));
    env.set(symbol, l.named(value, target.text));
  }

  /** An `if` whose branches both fall through: lower each, then merge the variables they assign. */
  private ifMerge(s: ts.IfStatement, env: Env, frame: Frame): Env {
    const { l } = this;
    const cond = l.expressions.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      l.b.inRegion(() => {
        const outcome = this.lower(stmt ? [stmt] : [], new Map(env), frame);
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
    for (const k of live) l.expectScalar(then.result.get(k)!, k, s);
    then.region.yields = live.map((k) => then.result.get(k)!);
    otherwise.region.yields = live.map((k) => otherwise.result.get(k)!);
    const types = then.region.yields.map((v) => v.type);
    l.b.loc = l.locOf(s);
    const op = l.b.emit("if", [cond], types, {}, [then.region, otherwise.region]);
    live.forEach((k, i) => merged.set(k, l.named(op.results[i], k.name)));
    return merged;
  }

  /** An `if` that may return, break or continue: the statements after it continue in each branch that falls through. */
  private ifWithJump(s: ts.IfStatement, rest: readonly ts.Statement[], env: Env, frame: Frame): Outcome {
    const { l } = this;
    const cond = l.expressions.condition(s.expression, env);
    const branch = (stmt: ts.Statement | undefined) =>
      l.b.inRegion(() => {
        const list = stmt ? [stmt] : [];
        return exitOf(this.lower(alwaysJumps(stmt) ? list : [...list, ...rest], new Map(env), frame), frame, stmt ?? s);
      });
    const then = branch(s.thenStatement);
    const otherwise = branch(s.elseStatement);
    then.region.yields = [...then.result];
    otherwise.region.yields = [...otherwise.result];
    l.b.loc = l.locOf(s);
    const op = l.b.emit("if", [cond], then.result.map((v) => v.type), {}, [then.region, otherwise.region]);
    return { exit: [...op.results] };
  }
}

/** `x op= e` as the primitive it applies. */
const compoundPrims = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.PlusEqualsToken, "add"],
  [ts.SyntaxKind.MinusEqualsToken, "sub"],
  [ts.SyntaxKind.AsteriskEqualsToken, "mul"],
  [ts.SyntaxKind.SlashEqualsToken, "div"],
  [ts.SyntaxKind.PercentEqualsToken, "mod"],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, "pow"],
]);
