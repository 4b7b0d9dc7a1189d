// Arrays made or changed by array constructors and methods: `new Float64Array(n)` (and copies),
// `new Array(n).fill(x)`, `Array.from({ length: n }, () => x)`, `a.slice(s, e)`, `a.fill(v)`, and
// the known length of an array made here. Array idioms (map, reduce, …) lower here too.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Op, Type, Value } from "../ir/types";
import { f64 } from "../ir/types";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";

export class ArrayMethods {
  /** The op that made each local array (`alloc`), wherever it is: its length is known. */
  readonly allocations = new Map<Value, Op>();

  constructor(private readonly l: Lowerer) {}

  /** `new Float64Array(n)`, `new Float64Array(a)` (a copy). */
  newArray(e: ts.NewExpression, env: Env): Value {
    const { b, checker, expressions } = this.l;
    const args = e.arguments ?? [];
    if (isGlobalName(checker, e.expression, "Float64Array") && args.length === 1) {
      const arg = expressions.value(args[0], env);
      if (arg.type.kind === "f64") return this.alloc(arg, { kind: "array", element: f64, container: "Float64Array" }, "Float64Array");
      if (arg.type.kind === "array" && arg.type.element.kind === "f64") {
        return b.op("slice", [arg, b.const(0), b.op("length", [arg])], { kind: "array", element: f64, container: "Float64Array" });
      }
    }
    if (isGlobalName(checker, e.expression, "Array")) {
      throw new Refusal(Codes.ArrayMethod, "`new Array(n)` has holes; write `new Array(n).fill(0)` or `new Float64Array(n)`", e);
    }
    throw new Refusal(Codes.ArrayMethod, "only `new Float64Array(n)` and `new Array(n).fill(x)` make arrays in a differentiated function", e);
  }

  private alloc(length: Value, type: Type, container: "Float64Array" | "Array"): Value {
    const op = this.l.b.emit("alloc", [length], [type], { container });
    this.allocations.set(op.results[0], op);
    return op.results[0];
  }

  /** `a.length`: an array made here has the length it was made with (arrays never change length). */
  length(array: Value): Value {
    const made = this.allocations.get(array);
    if (made?.prim === "alloc") return made.args[0];
    return this.l.b.op("length", [array]);
  }

  /** Array methods as values: `new Array(n).fill(x)`, `Array.from({ length: n }, () => x)`, `a.slice(s, e)`; undefined when the base is not an array. */
  call(e: ts.CallExpression, callee: ts.PropertyAccessExpression, env: Env): Value | undefined {
    const { b, checker, expressions } = this.l;
    const method = callee.name.text;
    const numbers: Type = { kind: "array", element: f64, container: "Array" };
    const filled = (length: Value, fill: Value) => {
      const array = this.alloc(length, numbers, "Array");
      if (!(this.constantOf(fill) === 0)) b.emit("fill", [array, fill], []);
      return array;
    };
    if (method === "fill" && ts.isNewExpression(callee.expression) && isGlobalName(checker, callee.expression.expression, "Array")) {
      const args = callee.expression.arguments ?? [];
      if (args.length !== 1 || e.arguments.length !== 1) throw new Refusal(Codes.ArrayMethod, "write `new Array(n).fill(x)`", e);
      return filled(expressions.number(args[0], env), expressions.number(e.arguments[0], env));
    }
    if (method === "from" && isGlobalName(checker, callee.expression, "Array")) {
      const [spec, make] = e.arguments;
      const length = spec && ts.isObjectLiteralExpression(spec) && spec.properties.length === 1 ? spec.properties[0] : undefined;
      if (!length || !ts.isPropertyAssignment(length) || length.name.getText() !== "length" || !make ||
          !ts.isArrowFunction(make) || make.parameters.length > 0 || ts.isBlock(make.body)) {
        throw new Refusal(Codes.ArrayMethod, "only `Array.from({ length: n }, () => x)` with a value that does not depend on the index is supported", e);
      }
      return filled(expressions.number(length.initializer, env), expressions.number(make.body, env));
    }
    const baseType = checker.getTypeAtLocation(callee.expression);
    if (!checker.isArrayType(baseType) && baseType.getSymbol()?.getName() !== "Float64Array") return undefined;
    const base = expressions.array(callee.expression, env);
    if (base.type.kind !== "array") return undefined;
    if (method === "slice" && e.arguments.length <= 2 && base.type.element.kind === "f64") {
      const length = b.op("length", [base]);
      const [start, end] = [0, 1].map((i) => (e.arguments[i] ? expressions.number(e.arguments[i], env) : i === 0 ? b.const(0) : length));
      return b.op("slice", [base, start, end], base.type);
    }
    throw new Refusal(Codes.ArrayMethod, `array method '${method}' is not supported in a differentiated function`, callee.name);
  }

  /** `a.fill(v)` as a statement: every element of the whole array. */
  fill(e: ts.CallExpression, callee: ts.PropertyAccessExpression, env: Env): void {
    const { b, expressions } = this.l;
    const array = expressions.array(callee.expression, env);
    if (e.arguments.length !== 1) throw new Refusal(Codes.ArrayMethod, "only `a.fill(value)` of the whole array is supported", e);
    b.emit("fill", [array, expressions.number(e.arguments[0], env)], []);
  }

  private constantOf(v: Value): number | boolean | undefined {
    const op = this.l.b.region.ops.find((o) => o.results[0] === v);
    return op?.prim === "const" ? op.attrs.value : undefined;
  }
}

/** Whether `e` names the global `name` (not a user declaration of the same name). */
function isGlobalName(checker: ts.TypeChecker, e: ts.Expression, name: string): boolean {
  if (!ts.isIdentifier(e) || e.text !== name) return false;
  const symbol = checker.getSymbolAtLocation(e);
  return !symbol || (symbol.declarations ?? []).every((d) => d.getSourceFile().isDeclarationFile);
}
