// Calls of what adc knows without seeing a body: Math functions (the primitives table), array
// constructors and methods (new Float64Array, new Array(n).fill, Array.from, slice), and the
// tensor runtime (the tensor primitives table). Each becomes IR ops, or is refused here.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Builder } from "../ir/builder";
import { mathFunctions } from "../ir/primitives";
import { tensorOps, tensorResultType } from "../ir/tensor-ops";
import type { Op, Type, Value } from "../ir/types";
import { f64 } from "../ir/types";
import type { Env } from "./frames";

/** What the calls need of the function's lowering. */
export interface ExpressionLowering {
  readonly b: Builder;
  readonly checker: ts.TypeChecker;
  value(e: ts.Expression, env: Env): Value;
  number(e: ts.Expression, env: Env): Value;
  array(e: ts.Expression, env: Env): Value;
}

export class BuiltinCalls {
  /** The op that made each local array (`alloc`), wherever it is: its length is known. */
  readonly allocations = new Map<Value, Op>();

  constructor(private readonly l: ExpressionLowering) {}

  /** `new Float64Array(n)`, `new Float64Array(a)` (a copy). */
  newArray(e: ts.NewExpression, env: Env): Value {
    const b = this.l.b;
    const args = e.arguments ?? [];
    if (isGlobalName(this.l.checker, e.expression, "Float64Array") && args.length === 1) {
      const arg = this.l.value(args[0], env);
      if (arg.type.kind === "f64") return this.alloc(arg, { kind: "array", element: f64, container: "Float64Array" }, "Float64Array");
      if (arg.type.kind === "array" && arg.type.element.kind === "f64") {
        return b.op("slice", [arg, b.const(0), b.op("length", [arg])], { kind: "array", element: f64, container: "Float64Array" });
      }
    }
    if (isGlobalName(this.l.checker, e.expression, "Array")) {
      throw new Refusal(Codes.ArrayMethod, "`new Array(n)` has holes; write `new Array(n).fill(0)` or `new Float64Array(n)`", e);
    }
    throw new Refusal(Codes.ArrayMethod, "only `new Float64Array(n)` and `new Array(n).fill(x)` make arrays in a differentiated function", e);
  }

  private alloc(length: Value, type: Type, container: "Float64Array" | "Array"): Value {
    const op = this.l.b.emit("alloc", [length], [type], { container });
    this.allocations.set(op.results[0], op);
    return op.results[0];
  }

  /** Array methods: `new Array(n).fill(x)`, `Array.from({ length: n }, () => x)`, `a.slice(s, e)`. */
  arrayCall(e: ts.CallExpression, callee: ts.PropertyAccessExpression, env: Env): Value | undefined {
    const b = this.l.b;
    const method = callee.name.text;
    const numbers: Type = { kind: "array", element: f64, container: "Array" };
    const filled = (length: Value, fill: Value) => {
      const array = this.alloc(length, numbers, "Array");
      if (!(this.constantOf(fill) === 0)) b.emit("fill", [array, fill], []);
      return array;
    };
    if (method === "fill" && ts.isNewExpression(callee.expression) && isGlobalName(this.l.checker, callee.expression.expression, "Array")) {
      const args = callee.expression.arguments ?? [];
      if (args.length !== 1 || e.arguments.length !== 1) throw new Refusal(Codes.ArrayMethod, "write `new Array(n).fill(x)`", e);
      return filled(this.l.number(args[0], env), this.l.number(e.arguments[0], env));
    }
    if (method === "from" && isGlobalName(this.l.checker, callee.expression, "Array")) {
      const [spec, make] = e.arguments;
      const length = spec && ts.isObjectLiteralExpression(spec) && spec.properties.length === 1 ? spec.properties[0] : undefined;
      if (!length || !ts.isPropertyAssignment(length) || length.name.getText() !== "length" || !make ||
          !ts.isArrowFunction(make) || make.parameters.length > 0 || ts.isBlock(make.body)) {
        throw new Refusal(Codes.ArrayMethod, "only `Array.from({ length: n }, () => x)` with a value that does not depend on the index is supported", e);
      }
      return filled(this.l.number(length.initializer, env), this.l.number(make.body, env));
    }
    const baseType = this.l.checker.getTypeAtLocation(callee.expression);
    if (!this.l.checker.isArrayType(baseType) && baseType.getSymbol()?.getName() !== "Float64Array") return undefined;
    const base = this.l.array(callee.expression, env);
    if (base.type.kind !== "array") return undefined;
    if (method === "slice" && e.arguments.length <= 2 && base.type.element.kind === "f64") {
      const length = b.op("length", [base]);
      const [start, end] = [0, 1].map((i) => (e.arguments[i] ? this.l.number(e.arguments[i], env) : i === 0 ? b.const(0) : length));
      return b.op("slice", [base, start, end], base.type);
    }
    throw new Refusal(Codes.ArrayMethod, `array method '${method}' is not supported in a differentiated function`, callee.name);
  }

  private constantOf(v: Value): number | boolean | undefined {
    const op = this.l.b.region.ops.find((o) => o.results[0] === v);
    return op?.prim === "const" ? op.attrs.value : undefined;
  }

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
    const args = e.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new Refusal(Codes.UnsupportedSyntax, "spread arguments are not supported", a);
      return this.l.number(a, env);
    });
    if (prim.arity === "n") {
      if (args.length === 0) return this.l.b.const(0);
      return this.l.b.op(prim.name, args);
    }
    if (member === "min" || member === "max") {
      // Math.min(a, b, c) = min(min(a, b), c); Math.min() = +∞, Math.max() = −∞.
      if (args.length === 0) return this.l.b.const(member === "min" ? Infinity : -Infinity);
      return args.reduce((acc, x) => this.l.b.op(prim.name, [acc, x]));
    }
    if (args.length !== prim.arity) {
      throw new Refusal(Codes.UnsupportedSyntax, `Math.${member} takes ${prim.arity} argument${prim.arity === 1 ? "" : "s"}`, e);
    }
    return this.l.b.op(prim.name, args);
  }
}

/** Whether `e` names the global `name` (not a user declaration of the same name). */
function isGlobalName(checker: ts.TypeChecker, e: ts.Expression, name: string): boolean {
  if (!ts.isIdentifier(e) || e.text !== name) return false;
  const symbol = checker.getSymbolAtLocation(e);
  return !symbol || (symbol.declarations ?? []).every((d) => d.getSourceFile().isDeclarationFile);
}
