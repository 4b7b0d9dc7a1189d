// IR types as TypeScript types, and field names as property keys.
import * as t from "@babel/types";
import type { Type } from "../ir/types";

/** A type as TypeScript; `runtime` names a runtime type (Tensor, TapeSegment) in the module, imported on use. */
export function typeAnnotation(type: Type, runtime: (name: string) => string = (name) => name): t.TSType {
  const tensor = () => runtime("Tensor");
  if (type.kind === "bool") return t.tsBooleanKeyword();
  if (type.kind === "f64" || type.kind === "int") return t.tsNumberKeyword();
  if (type.kind === "tensor") return t.tsTypeReference(t.identifier(tensor()));
  if (type.kind === "opaque") return t.tsTypeReference(t.identifier(runtime(type.name)));
  if (type.kind === "array") {
    if (type.container !== "Array") return t.tsTypeReference(t.identifier(type.container));
    const element = typeAnnotation(type.element, runtime);
    if (type.length !== undefined) return t.tsTupleType(Array.from({ length: type.length }, () => element));
    return t.tsArrayType(element);
  }
  return t.tsTypeLiteral(type.fields.map((f) => t.tsPropertySignature(propertyKey(f.name), t.tsTypeAnnotation(typeAnnotation(f.type, runtime)))));
}

/** A field name as a property key: an identifier where it can be, else a string (`"a-b"`). */
export function propertyKey(name: string): t.Identifier | t.StringLiteral {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? t.identifier(name) : t.stringLiteral(name);
}
