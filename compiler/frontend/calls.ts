// Calls → IR, in the order they are recognised: Math and tensor runtime functions (builtins.ts),
// stopGradient, functions with a registered derivative, array methods, then the user's own
// functions, which become `call` ops (each callee is lowered on its own and gets its own pullback
// and tangent function). Anything else is refused: adc cannot see its body.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Value } from "../ir/types";
import { f64 } from "../ir/types";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";
import { builtinMathMember, functionKey, resolveFunction, runtimeExport, tensorRuntimeName, type FunctionLike } from "./resolve";
import { callResult } from "./results";

export class Calls {
  constructor(private readonly l: Lowerer) {}

  lower(e: ts.CallExpression, env: Env): Value {
    const v = this.call(e, env);
    if (!v) throw new Refusal(Codes.UnsupportedType, `'${e.expression.getText()}' returns nothing; call it as a statement`, e);
    return v;
  }

  /** A call made as a statement (`fill(out, x);`): its value, if any, is not used. */
  statement(e: ts.CallExpression, env: Env): void {
    this.call(e, env);
  }

  private call(e: ts.CallExpression, env: Env): Value | undefined {
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

  /** A call of a function (or static method) whose body adc lowers: numbers, arrays and objects in; its result (results.ts) out. */
  private functionCall(e: ts.CallExpression, decl: FunctionLike, env: Env): Value | undefined {
    const { l } = this;
    const callee = e.expression;
    if (ts.isMethodDeclaration(decl) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      throw new Refusal(Codes.UnknownCall, `calls to instance method '${callee.getText()}' are not supported; make it static or a function`, e);
    }
    if (e.arguments.length !== decl.parameters.length) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${callee.getText()}' must be called with exactly its ${decl.parameters.length} parameters`, e);
    }
    l.callees.add(decl);
    const args = e.arguments.map((a) => {
      const v = l.expressions.value(a, env);
      if (v.type.kind === "bool" || v.type.kind === "tensor") throw new Refusal(Codes.UnsupportedType, "expected a number, an array or an object here", a);
      return v;
    });
    return callResult(l, decl, args, { callee: functionKey(decl) }, e);
  }
}
