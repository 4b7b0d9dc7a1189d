// TypeScript types → IR types: number, boolean, number[] / Float64Array (and readonly, nested),
// tuples of one element type (`[number, number]`: an Array of fixed length), and object types
// whose fields are of those types. Anything else is refused where it appears.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type } from "../ir/types";
import { bool, f64, int } from "../ir/types";
import { isAdcTensorRuntime } from "./resolve";

export function irType(checker: ts.TypeChecker, type: ts.Type, node: ts.Node, what: string): Type {
  const found = tryIrType(checker, type, node, new Set());
  if (typeof found === "string") {
    throw new Refusal(Codes.UnsupportedType, `${what} has type '${checker.typeToString(type)}'${found}`, node);
  }
  return found;
}

/** The IR type, or why there is none (a string to append to the message). */
export function irTypeOrWhy(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): Type | string {
  return tryIrType(checker, type, node, new Set());
}

function tryIrType(checker: ts.TypeChecker, type: ts.Type, node: ts.Node, seen: Set<ts.Type>): Type | string {
  if (type.flags & ts.TypeFlags.NumberLike) return f64;
  if (type.flags & ts.TypeFlags.BooleanLike) return bool;
  const why = "; adc supports number, boolean, number[], Float64Array, Tensor and objects of those";
  if (type.isUnion() || type.isIntersection()) return why;
  const symbol = type.getSymbol();
  if (symbol?.getName() === "Float64Array") return { kind: "array", element: f64, container: "Float64Array" };
  // Integer labels (for softmaxCrossEntropy): read, never differentiated.
  if (symbol?.getName() === "Int32Array") return { kind: "array", element: int, container: "Int32Array" };
  if (symbol?.getName() === "Tensor" && symbol.declarations?.some(isAdcTensorRuntime)) return { kind: "tensor" };
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    const inner = tryIrType(checker, element, node, seen);
    if (typeof inner === "string") return inner;
    if (inner.kind === "bool") return why;
    return { kind: "array", element: inner, container: "Array" };
  }
  if (checker.isTupleType(type)) return tupleType(checker, type as ts.TypeReference, node, seen);
  if (type.flags & ts.TypeFlags.Object && type.getCallSignatures().length === 0) {
    if (seen.has(type)) return "; recursive object types are not supported";
    seen.add(type);
    const fields = [];
    for (const property of checker.getPropertiesOfType(type)) {
      if (property.flags & ts.SymbolFlags.Optional) return `; its field '${property.name}' is optional`;
      const inner = tryIrType(checker, checker.getTypeOfSymbolAtLocation(property, node), node, seen);
      if (typeof inner === "string") return inner;
      fields.push({ name: property.name, type: inner });
    }
    seen.delete(type);
    return { kind: "struct", fields };
  }
  return why;
}

/** `[number, number]`, `readonly [number[], number[]]`: an Array of fixed length with one element type. */
function tupleType(checker: ts.TypeChecker, type: ts.TypeReference, node: ts.Node, seen: Set<ts.Type>): Type | string {
  const target = type.target as ts.TupleType;
  const elements = checker.getTypeArguments(type);
  if (target.hasRestElement || target.minLength !== elements.length) return "; tuples with optional or rest elements are not supported";
  if (elements.length === 0) return "; the empty tuple has no numbers";
  const types: Type[] = [];
  for (const element of elements) {
    const inner = tryIrType(checker, element, node, seen);
    if (typeof inner === "string") return inner;
    if (inner.kind === "bool") return "; tuples of booleans are not supported";
    types.push(inner);
  }
  const key = (t: Type): string => JSON.stringify(t);
  if (types.some((t) => key(t) !== key(types[0]))) {
    return "; tuples must have one element type (`[number, number]`); use an object for mixed fields";
  }
  return { kind: "array", element: types[0], container: "Array", length: types.length };
}
