// Calls of what adc knows without seeing a body: Math functions (the primitives table) and the
// tensor runtime (the tensor primitives table). Each becomes IR ops, or is refused here. (Array
// constructors and methods are in arrays.ts.)
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Builder } from "../ir/builder";
import { mathFunctions } from "../ir/primitives";
import { tensorOps, tensorResultType } from "../ir/tensor-ops";
import type { Value } from "../ir/types";
import type { Env } from "./frames";

/** What the calls need of the function's lowering. */
export interface ExpressionLowering {
  readonly b: Builder;
  readonly checker: ts.TypeChecker;
  value(e: ts.Expression, env: Env): Value;
  number(e: ts.Expression, env: Env): Value;
  array(e: ts.Expression, env: Env): Value;
  /** The elements of an array folded into `acc` by `step`, in a loop (`Math.max(...x)`). */
  fold(array: Value, at: ts.Node, env: Env, acc: Value, step: (acc: Value, v: Value) => Value): Value;
}

export class BuiltinCalls {
  constructor(private readonly l: ExpressionLowering) {}

  /**
   * A tensor runtime function (`matmul(x, w)`) or Tensor method (`x.item()`, `a.add(b)`). Array
   * literals are lists: of numbers (`reshape(x, [n, -1])`, a `dims` op), or of tensors as the first
   * argument of concat and stack, whose tensors become operands of their own (their adjoints differ).
   */
  tensorCall(e: ts.CallExpression, name: string, env: Env): Value {
    const prim = `tensor.${name}`;
    const op = tensorOps.get(prim);
    if (!op?.user) {
      throw new Refusal(Codes.UnknownCall, `the tensor operation '${name}' has no derivative rule yet`, e);
    }
    const method = ts.isPropertyAccessExpression(e.expression) && this.l.checker.getTypeAtLocation(e.expression.expression).getSymbol()?.getName() === "Tensor";
    const written = [...(method ? [(e.expression as ts.PropertyAccessExpression).expression] : []), ...e.arguments];
    if (op.syntax === "list") return this.tensorList(e, name, written, env);
    const args = written.map((a) => this.tensorArgument(a, env));
    const arity = op.arity as number;
    if (args.length > arity || args.length < (op.minArity ?? arity)) {
      const which = ["sum", "mean", "max", "min", "logsumexp", "variance"].includes(name) ? " (at most one axis, as a number, and keepdims)" : "";
      const [most, least] = [arity, op.minArity ?? arity].map((n) => n - (method ? 1 : 0));
      const count = least === most ? `${most}` : `${least} to ${most}`;
      throw new Refusal(Codes.UnsupportedSyntax, `'${name}' takes ${count} argument${most === 1 ? "" : "s"} here${which}`, e);
    }
    if (!args.some((a) => a.type.kind === "tensor")) throw new Refusal(Codes.UnsupportedType, `'${name}' needs a tensor operand`, e);
    return this.l.b.op(prim, args, tensorResultType(prim, args));
  }

  /** An operand of a tensor call: a value, or a list of numbers written as an array literal. */
  private tensorArgument(a: ts.Expression, env: Env): Value {
    if (!ts.isArrayLiteralExpression(a)) return this.l.value(a, env);
    const items = a.elements.map((x) => {
      if (ts.isSpreadElement(x)) throw new Refusal(Codes.UnsupportedSyntax, "spread elements are not supported in a list of dimensions", x);
      return this.l.number(x, env);
    });
    return this.l.b.op("tensor.dims", items, tensorResultType("tensor.dims", items));
  }

  /** concat([a, b, …], axis?) and stack(…): the tensors, then the axis (0 when left out). */
  private tensorList(e: ts.CallExpression, name: string, written: readonly ts.Expression[], env: Env): Value {
    const [list, axis, ...extra] = written;
    if (!list || !ts.isArrayLiteralExpression(list) || list.elements.length === 0 || extra.length > 0) {
      throw new Refusal(Codes.UnsupportedSyntax, `'${name}' takes an array literal of tensors (\`${name}([a, b], axis)\`) in a differentiated function`, e);
    }
    const tensors = list.elements.map((x) => {
      const v = ts.isSpreadElement(x) ? undefined : this.l.value(x, env);
      if (v?.type.kind !== "tensor") throw new Refusal(Codes.UnsupportedType, `the list given to '${name}' must hold tensors`, x);
      return v;
    });
    const args = [...tensors, axis ? this.l.number(axis, env) : this.l.b.const(0)];
    return this.l.b.op(`tensor.${name}`, args, tensorResultType(`tensor.${name}`, args));
  }

  mathCall(e: ts.CallExpression, member: string, env: Env): Value {
    const prim = mathFunctions.get(member);
    if (!prim) {
      throw new Refusal(Codes.UnsupportedMath, `Math.${member} has no derivative${member === "random" ? " (it is not a function of the inputs)" : ""}`, e);
    }
    if (member === "min" || member === "max") return this.extreme(e, member, env);
    const args = e.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.UnsupportedSyntax, `spread arguments are only supported in Math.max and Math.min, not Math.${member}`, a);
      return this.l.number(a, env);
    });
    if (prim.arity === "n") {
      if (args.length === 0) return this.l.b.const(0);
      return this.l.b.op(prim.name, args);
    }
    if (args.length !== prim.arity) {
      throw new Refusal(Codes.UnsupportedSyntax, `Math.${member} takes ${prim.arity} argument${prim.arity === 1 ? "" : "s"}`, e);
    }
    return this.l.b.op(prim.name, args);
  }

  /**
   * Math.min(a, b, c) = min(min(a, b), c), left to right (ties go to the earlier operand);
   * Math.min() = +∞, Math.max() = −∞; a spread array `...x` folds in a loop over its elements.
   */
  private extreme(e: ts.CallExpression, member: "min" | "max", env: Env): Value {
    const { b } = this.l;
    // JavaScript evaluates every argument (a spread array too) before the call.
    const args = e.arguments.map((a) => (ts.isSpreadElement(a) ? { spread: this.l.array(a.expression, env), at: a.expression } : this.l.number(a, env)));
    const none = () => b.const(member === "min" ? Infinity : -Infinity);
    let acc: Value | undefined;
    for (const a of args) {
      if ("spread" in a) acc = this.l.fold(a.spread, a.at, env, acc ?? none(), (x, v) => b.op(member, [x, v]));
      else acc = acc ? b.op(member, [acc, a]) : a;
    }
    return acc ?? none();
  }
}
