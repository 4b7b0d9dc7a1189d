// Calls → IR, in the order they are recognised: Math and tensor runtime functions (builtins.ts),
// stopGradient, functions with a registered derivative, local functions and callbacks (inlined,
// callables.ts), array methods, then the user's own functions: those taking a callback are
// inlined too, the others become `call` ops (each callee is lowered on its own and gets its own
// pullback and tangent function). Anything else is refused: adc cannot see its body.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Value } from "../ir/types";
import { f64, isAggregate } from "../ir/types";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";
import { growingMethods, isFunctionLiteral } from "./callables";
import { builtinMathMember, functionKey, resolveFunction, runtimeExport, tensorRuntimeName, type FunctionLike } from "./resolve";
import { isAssignment, skipParens } from "./scan";

export class Calls {
  constructor(private readonly l: Lowerer) {}

  lower(e: ts.CallExpression, env: Env): Value {
    const v = this.any(e, env);
    if (!v) throw new Refusal(Codes.UnsupportedType, `'${e.expression.getText()}' returns nothing; call it as a statement`, e);
    return v;
  }

  /** A call as a statement: its value (if any) is unused; only calls that do something are accepted. */
  statement(e: ts.CallExpression, env: Env): void {
    const { l } = this;
    const callee = skipParens(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const isArray = l.arrays.isArrayExpression(callee.expression);
      if (isArray && method === "fill") return l.arrays.fill(e, l.expressions.array(callee.expression, env), env);
      if (isArray && method === "forEach") return l.iteration.forEach(e, l.expressions.array(callee.expression, env), env);
      if (isArray && growingMethods.has(method)) {
        l.arrays.call(e, callee, env);
        return;
      }
    }
    const local = ts.isIdentifier(callee) || isFunctionLiteral(callee) ? l.callables.callableOf(callee) : undefined;
    const decl = local?.kind === "local" ? undefined : resolveFunction(l.checker, callee);
    if (local?.kind === "local" || (decl && l.callables.takesCallback(decl))) {
      this.any(e, env);
      return;
    }
    throw new Refusal(Codes.UnsupportedSyntax, "this call has no effect on the result as a statement; only calls that do something (push, forEach, fill, a local function) are supported as statements", e);
  }

  private any(e: ts.CallExpression, env: Env): Value | undefined {
    const { l } = this;
    const callee = e.expression;
    const member = builtinMathMember(l.checker, e);
    if (member !== undefined) return l.builtins.mathCall(e, member, env);
    const tensorName = tensorRuntimeName(l.checker, callee);
    if (tensorName !== undefined) return l.builtins.tensorCall(e, tensorName, env);
    if (runtimeExport(l.checker, callee) === "stopGradient") {
      if (e.arguments.length !== 1) throw new Refusal(Codes.UnsupportedSyntax, "stopGradient takes one argument", e);
      return l.b.op("stopGradient", [l.expressions.number(e.arguments[0], env)]);
    }
    const custom = customDerivativeOf(l.checker, l.customs, callee);
    if (custom) return this.customCall(e, custom, env);
    const local = l.callables.call(e, env);
    if (local !== undefined) return local.value;
    if (ts.isPropertyAccessExpression(callee)) {
      const made = l.arrays.call(e, callee, env);
      if (made) return made;
    }
    const decl = resolveFunction(l.checker, callee);
    if (!decl) {
      throw new Refusal(Codes.UnknownCall, `cannot differentiate through '${callee.getText()}': adc cannot see its body and has no derivative rule for it`, e);
    }
    const inlined = l.callables.helper(e, decl, env);
    return inlined ? inlined.value : this.functionCall(e, decl, env);
  }

  /** A call of a function with a registered derivative: numbers in, a number out. */
  private customCall(e: ts.CallExpression, custom: CustomDerivative, env: Env): Value {
    const { l } = this;
    if (e.arguments.length !== custom.decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${e.expression.getText()}' must be called with exactly its ${custom.decl.parameters.length} parameters`, e);
    }
    l.callees.add(custom.decl);
    const args = e.arguments.map((a) => l.expressions.number(a, env));
    return l.b.op("call", args, f64, { callee: functionKey(custom.decl) });
  }

  /** A call of a function (or static method) whose body adc lowers: numbers, arrays and objects in, a number out. */
  private functionCall(e: ts.CallExpression, decl: FunctionLike, env: Env): Value {
    const { l } = this;
    if (e.arguments.length !== decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${e.expression.getText()}' must be called with exactly its ${decl.parameters.length} parameters`, e);
    }
    const args = e.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.UnsupportedSyntax, "spread arguments are only supported in Math.max and Math.min", a);
      return l.growables.exact(l.expressions.value(a, env), env);
    });
    return this.emitCall(decl, args, e, e.expression.getText(), e.arguments);
  }

  /**
   * The `call` op of a function whose body adc lowers (also for a function passed as a callback):
   * numbers, arrays and objects in, a number out.
   */
  emitCall(decl: FunctionLike, args: Value[], at: ts.Node, name: string, argNodes: readonly ts.Node[] = []): Value {
    const { l } = this;
    if (ts.isMethodDeclaration(decl) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      throw new Refusal(Codes.UnknownCall, `calls to instance method '${name}' are not supported; make it static or a function`, at);
    }
    const signature = l.checker.getSignatureFromDeclaration(decl);
    if (signature && !(l.checker.getReturnTypeOfSignature(signature).flags & ts.TypeFlags.NumberLike)) {
      throw new Refusal(Codes.UnsupportedType, `'${name}' does not return a number; calls to functions returning tuples are not supported yet`, at);
    }
    l.callees.add(decl);
    args.forEach((v, i) => {
      const where = argNodes[i] ?? at;
      if (isAggregate(v.type) && writesMemory(decl)) {
        // Its pullback runs its forward sweep again: writes would happen twice.
        throw new Refusal(Codes.UnsupportedType, `'${name}' writes to an array; adc cannot pass arrays or objects to a function that writes arrays (write the loop in this function)`, where);
      }
      if (v.type.kind === "bool" || v.type.kind === "tensor") throw new Refusal(Codes.UnsupportedType, "expected a number, an array or an object here", where);
    });
    return l.b.op("call", args, f64, { callee: functionKey(decl) });
  }
}

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
