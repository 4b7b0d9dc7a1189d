// What a function returns, and how its results travel. A function returns a number (one result),
// a tuple of numbers (`[number, number]`: one result per element, as the Jacobian wants them),
// a Tensor (one result, a value like a number: no adc code writes a tensor), nothing (`void`: a
// callee that writes arrays it is passed), or an array or object (one result: new memory the
// function made, so the caller owns it). A call of such a function has as many
// results; a tuple's are gathered into an array literal the caller reads (and opt/fold.ts folds).
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";
import { f64, isAggregate, isDifferentiable } from "../ir/types";
import { LoopFrame, type Env, type Frame } from "./frames";
import type { Lowerer } from "./lowerer";
import { irTypeOrWhy } from "./types";
import { skipParens } from "./scan";

const tensor: Type = { kind: "tensor" };

export type ResultShape =
  | { readonly kind: "number" }
  | { readonly kind: "tensor" }
  | { readonly kind: "tuple"; readonly length: number }
  | { readonly kind: "aggregate"; readonly type: Type }
  | { readonly kind: "void" };

/** The types of the values a function with this result yields. */
export function resultTypes(shape: ResultShape): Type[] {
  switch (shape.kind) {
    case "number":
      return [f64];
    case "tensor":
      return [tensor];
    case "tuple":
      return Array(shape.length).fill(f64);
    case "aggregate":
      return [shape.type];
    case "void":
      return [];
  }
}

/** The result shape of a function's signature; anything else is refused at `at`. */
export function resultShapeOf(checker: ts.TypeChecker, signature: ts.Signature, at: ts.Node): ResultShape {
  const type = checker.getReturnTypeOfSignature(signature);
  if (type.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return { kind: "void" };
  const found = irTypeOrWhy(checker, type, at);
  if (typeof found !== "string") {
    if (found.kind === "f64") return { kind: "number" };
    if (found.kind === "tensor") return { kind: "tensor" };
    if (found.kind === "array" && found.length !== undefined && found.element.kind === "f64") return { kind: "tuple", length: found.length };
    if (found.kind === "struct" || (found.kind === "array" && isDifferentiable(found))) return { kind: "aggregate", type: found };
  }
  const why = typeof found === "string" ? found : "";
  throw new Refusal(
    Codes.UnsupportedType,
    `the result has type '${checker.typeToString(type)}'${why || "; a differentiated function returns a number, a tuple of numbers, a Tensor, an array or object of those, or nothing"}`,
    at,
  );
}

/** The values a `return e` yields, by the function's result shape. */
export function returned(l: Lowerer, e: ts.Expression | undefined, env: Env, frame: Frame, at: ts.Node): Value[] {
  const shape = l.result;
  if (shape.kind === "void") {
    if (e) throw new Refusal(Codes.UnsupportedSyntax, "a function returning nothing cannot return a value", e);
    return [];
  }
  if (!e) throw new Refusal(Codes.MissingReturn, "return without a value", at);
  if (shape.kind === "number") return [l.expressions.number(e, env)];
  if (shape.kind === "tuple") {
    const inner = skipParens(e);
    // A literal `[a, b]` returns its elements; any other array is read element by element.
    if (ts.isArrayLiteralExpression(inner) && inner.elements.length === shape.length && !inner.elements.some(ts.isSpreadElement)) {
      return inner.elements.map((x) => l.expressions.number(x, env));
    }
    const array = l.expressions.array(e, env);
    return Array.from({ length: shape.length }, (_, i) => l.expressions.numberValue(l.expressions.element(array, l.b.const(i), e), e));
  }
  if (frame instanceof LoopFrame) {
    const what = shape.kind === "tensor" ? "a Tensor" : "an array or object";
    throw new Refusal(Codes.UnsupportedSyntax, `${what} cannot be returned from inside a loop; break out of the loop and return it after`, at);
  }
  const v = l.expressions.value(e, env);
  if (shape.kind === "tensor") {
    if (v.type.kind !== "tensor") throw new Refusal(Codes.UnsupportedType, "expected a Tensor here", e);
    return [v];
  }
  if (v.type.kind !== shape.type.kind) throw new Refusal(Codes.UnsupportedType, `expected ${shape.type.kind === "struct" ? "an object" : "an array"} here`, e);
  const shared = sharedPart(l, v);
  if (shared) {
    throw new Refusal(Codes.Aliasing, `the result shares memory with ${shared}; return new memory (a literal, or a copy: \`x.slice()\`, \`new Float64Array(x)\`)`, e);
  }
  return [v];
}

/**
 * What of a returned array or object is not new memory made here, named for the message: a
 * parameter or part of one, or a part of a local array read out of it. The caller owns the result,
 * so it must not alias anything else.
 */
function sharedPart(l: Lowerer, v: Value): string | undefined {
  const def = l.b.defs.get(v);
  if (!def) return v.hint ? `parameter '${v.hint}'` : "a parameter";
  switch (def.prim) {
    case "alloc":
    case "slice":
    case "copy":
    case "call":
    case "if":
      return undefined;
    case "array":
    case "struct":
      for (const a of def.args) {
        if (!isAggregate(a.type) || def.attrs.spread?.[def.args.indexOf(a)]) continue;
        const inner = sharedPart(l, a);
        if (inner) return inner;
      }
      return undefined;
    default:
      return v.hint ? `'${v.hint}'` : "an array or object it reads";
  }
}

/**
 * The call op of a user function and the value it stands for: a number, an array literal of a
 * tuple's elements, an array or object, or nothing (undefined, for a call made as a statement).
 */
export function callResult(l: Lowerer, decl: ts.SignatureDeclaration, args: Value[], attrs: { callee: string }, at: ts.Node): Value | undefined {
  const signature = l.checker.getSignatureFromDeclaration(decl);
  const shape = signature ? resultShapeOf(l.checker, signature, at) : ({ kind: "number" } as const);
  const op = l.b.emit("call", args, resultTypes(shape), attrs);
  l.callSites.set(op, at);
  switch (shape.kind) {
    case "number":
    case "tensor":
    case "aggregate":
      return op.results[0];
    case "tuple":
      return l.b.op("array", op.results, { kind: "array", element: f64, container: "Array", length: shape.length });
    case "void":
      return undefined;
  }
}
