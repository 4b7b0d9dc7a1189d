// Calls → IR, in the order they are recognised: Math and tensor runtime functions (builtins.ts),
// stopGradient, functions with a registered derivative, local functions and callbacks (inlined,
// callables.ts), array methods, then the user's own functions: those taking a callback are
// inlined too, the others become `call` ops (each callee is lowered on its own and gets its own
// pullback and tangent function). Anything else is refused: adc cannot see its body.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Value } from "../ir/types";
import { f64 } from "../ir/types";
import { customDerivativeOf, type CustomDerivative } from "./custom-derivatives";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";
import { growingMethods } from "./callables";
import { builtinMathMember, functionKey, resolveFunction, runtimeExport, tensorRuntimeName, type FunctionLike } from "./resolve";
import { callResult } from "./results";
import { skipParens } from "./scan";

export class Calls {
  constructor(private readonly l: Lowerer) {}

  lower(e: ts.CallExpression, env: Env): Value {
    const v = this.any(e, env);
    if (!v) throw new Refusal(Codes.UnsupportedType, `'${e.expression.getText()}' returns nothing; call it as a statement`, e);
    return v;
  }

  /** A call as a statement: its value (if any) is unused. */
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
    // Anything else runs for what it does: a local function, a helper taking a callback, a callee
    // that writes the arrays it is passed (its result, if any, unused).
    this.any(e, env);
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

  /** A call of a function (or static method) whose body adc lowers: numbers, tensors, arrays and objects in; its result (results.ts) out. */
  private functionCall(e: ts.CallExpression, decl: FunctionLike, env: Env): Value | undefined {
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
   * numbers, tensors, arrays and objects in; its result (results.ts) out, none for a void function.
   */
  emitCall(decl: FunctionLike, args: Value[], at: ts.Node, name: string, argNodes: readonly ts.Node[] = []): Value | undefined {
    const { l } = this;
    if (ts.isMethodDeclaration(decl) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      throw new Refusal(Codes.UnknownCall, `calls to instance method '${name}' are not supported; make it static or a function`, at);
    }
    l.callees.add(decl);
    args.forEach((v, i) => {
      if (v.type.kind === "bool") throw new Refusal(Codes.UnsupportedType, "expected a number, a Tensor, an array or an object here", argNodes[i] ?? at);
    });
    return callResult(l, decl, args, { callee: functionKey(decl) }, at);
  }
}
