// Calls → IR, in the order they are recognised: Math and tensor runtime functions (builtins.ts),
// stopGradient, functions with a registered derivative, array methods, then the user's own
// functions, which become `call` ops (each callee is lowered on its own and gets its own pullback
// and tangent function). Anything else is refused: adc cannot see its body.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Value } from "../ir/types";
import { f64, isAggregate } from "../ir/types";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";
import { builtinMathMember, functionKey, resolveFunction, runtimeExport, tensorRuntimeName, type FunctionLike } from "./resolve";
import { isAssignment, skipParens } from "./scan";

export class Calls {
  constructor(private readonly l: Lowerer) {}

  lower(e: ts.CallExpression, env: Env): Value {
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
    if (ts.isPropertyAccessExpression(callee)) {
      const made = l.arrays.call(e, callee, env);
      if (made) return made;
    }
    const decl = resolveFunction(l.checker, callee);
    if (!decl) {
      throw new Refusal(Codes.UnknownCall, `cannot differentiate through '${callee.getText()}': adc cannot see its body and has no derivative rule for it`, e);
    }
    return this.functionCall(e, decl, env);
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
    const callee = e.expression;
    if (ts.isMethodDeclaration(decl) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      throw new Refusal(Codes.UnknownCall, `calls to instance method '${callee.getText()}' are not supported; make it static or a function`, e);
    }
    if (e.arguments.length !== decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${callee.getText()}' must be called with exactly its ${decl.parameters.length} parameters`, e);
    }
    const signature = l.checker.getSignatureFromDeclaration(decl);
    if (signature && !(l.checker.getReturnTypeOfSignature(signature).flags & ts.TypeFlags.NumberLike)) {
      throw new Refusal(Codes.UnsupportedType, `'${callee.getText()}' does not return a number; calls to functions returning tuples are not supported yet`, e);
    }
    l.callees.add(decl);
    const args = e.arguments.map((a) => {
      const v = l.expressions.value(a, env);
      if (isAggregate(v.type) && writesMemory(decl)) {
        // Its pullback runs its forward sweep again: writes would happen twice.
        throw new Refusal(Codes.UnsupportedType, `'${callee.getText()}' writes to an array; adc cannot pass arrays or objects to a function that writes arrays (write the loop in this function)`, a);
      }
      if (v.type.kind === "bool" || v.type.kind === "tensor") throw new Refusal(Codes.UnsupportedType, "expected a number, an array or an object here", a);
      return v;
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
