// How the memory and tape ops print: one entry per op, as an expression (ops with a result) or a
// statement (writes). Runtime helpers are named through `runtime` (imported once per module).
import * as t from "@babel/types";
import type { Op } from "../ir/types";
import { isAggregate } from "../ir/types";
import { propertyKey, typeAnnotation } from "./types";

export interface SyntaxContext {
  readonly expr: (i: number) => t.Expression;
  readonly runtime: (name: string) => string;
}

const member = (object: t.Expression, op: Op, index?: t.Expression): t.MemberExpression => {
  if (op.attrs.field === undefined) return t.memberExpression(object, index!, true);
  const key = propertyKey(op.attrs.field);
  return t.memberExpression(object, key, t.isStringLiteral(key));
};

const call = (callee: t.Expression, args: t.Expression[]) => t.callExpression(callee, args);
const method = (object: t.Expression, name: string, args: t.Expression[]) => call(t.memberExpression(object, t.identifier(name)), args);
const helper = (c: SyntaxContext, name: string, args: t.Expression[]) => call(t.identifier(c.runtime(name)), args);

/** Ops with a result, as expressions. */
export const memoryExpressions: Record<string, (op: Op, c: SyntaxContext) => t.Expression> = {
  load: (op, c) => member(c.expr(0), op, op.attrs.field === undefined ? c.expr(1) : undefined),
  length: (_op, c) => t.memberExpression(c.expr(0), t.identifier("length")),
  alloc: (op, c) => {
    if (op.attrs.container === "Float64Array") return t.newExpression(t.identifier("Float64Array"), [c.expr(0)]);
    const length = c.expr(0);
    if (op.attrs.growable && t.isNumericLiteral(length) && length.value === 0) {
      // An array that starts empty and grows (`[]` with push).
      const empty = t.newExpression(t.identifier("Array"), []);
      empty.typeParameters = t.tsTypeParameterInstantiation([t.tsNumberKeyword()]);
      return empty;
    }
    const array = t.newExpression(t.identifier("Array"), [length]);
    array.typeParameters = t.tsTypeParameterInstantiation([t.tsNumberKeyword()]);
    return method(array, "fill", [t.numericLiteral(0)]);
  },
  slice: (op, c) => {
    // `new Float64Array(xs)` of a number[] copies into the other kind of array.
    const copy = method(c.expr(0), "slice", [c.expr(1), c.expr(2)]);
    const [from, to] = [op.args[0].type, op.results[0].type];
    return from.kind === "array" && to.kind === "array" && from.container !== to.container ? t.newExpression(t.identifier(to.container), [copy]) : copy;
  },
  array: (op, c) => t.arrayExpression(op.args.map((_, i) => (op.attrs.spread?.[i] ? t.spreadElement(c.expr(i)) : c.expr(i)))),
  struct: (op, c) => {
    const type = op.results[0].type;
    if (type.kind !== "struct") throw new Error("adc internal error: an object literal of a type without fields");
    return t.objectExpression(type.fields.map((f, i) => {
      const value = c.expr(i);
      const shorthand = t.isIdentifier(value) && value.name === f.name;
      return t.objectProperty(propertyKey(f.name), value, false, shorthand);
    }));
  },
  // A flat array copies itself; nested arrays and objects are copied by the runtime, level by level.
  copy: (op, c) => {
    const type = op.args[0].type;
    const flat = type.kind === "array" && !isAggregate(type.element);
    return flat ? method(c.expr(0), "slice", []) : helper(c, "copy", [c.expr(0)]);
  },
  zerosLike: (_op, c) => helper(c, "zerosLike", [c.expr(0)]),
  emptyTensor: (_op, c) => t.identifier(c.runtime("emptyTensor")),
  tapeMark: (_op, c) => method(t.identifier(c.runtime("tape")), "mark", []),
  tapeTake: (_op, c) => method(t.identifier(c.runtime("tape")), "take", [c.expr(0)]),
  drain: (_op, c) => helper(c, "drain", [c.expr(0)]),
  pop: (op, c) => {
    if (op.attrs.type?.kind === "tensor") return method(t.identifier(c.runtime("tape")), "popTensor", []);
    if (op.attrs.type && isAggregate(op.attrs.type)) {
      // A reference (an array or an object) comes back as what was pushed: its type says which.
      const popped = method(t.identifier(c.runtime("tape")), "popRef", []);
      popped.typeParameters = t.tsTypeParameterInstantiation([typeAnnotation(op.attrs.type, c.runtime)]);
      return popped;
    }
    const popped = method(t.identifier(c.runtime("tape")), "pop", []);
    return op.attrs.type?.kind === "bool" ? t.binaryExpression("!==", popped, t.numericLiteral(0)) : popped;
  },
};

/** Ops without a result, as statements. */
export const memoryStatements: Record<string, (op: Op, c: SyntaxContext) => t.Expression> = {
  store: (op, c) => t.assignmentExpression("=", member(c.expr(0), op, c.expr(1)), c.expr(2)),
  storeAdd: (op, c) => {
    const place = op.attrs.field !== undefined ? member(c.expr(0), op) : member(c.expr(0), op, c.expr(1));
    const value = c.expr(op.args.length - 1);
    // A tensor adds into the shadow's tensor in place (`+=` would concatenate strings).
    if (op.args[op.args.length - 1].type.kind === "tensor") return helper(c, "addInto", [place, value]);
    return t.assignmentExpression("+=", place, value);
  },
  fill: (_op, c) => method(c.expr(0), "fill", [c.expr(1)]),
  addSlice: (_op, c) => helper(c, "addSlice", [c.expr(0), c.expr(1), c.expr(2)]),
  addTo: (_op, c) => helper(c, "addTo", [c.expr(0), c.expr(1)]),
  push: (op, c) => {
    if (op.args[0].type.kind === "tensor") return method(t.identifier(c.runtime("tape")), "pushTensor", [c.expr(0)]);
    if (isAggregate(op.args[0].type)) return method(t.identifier(c.runtime("tape")), "pushRef", [c.expr(0)]);
    const v = op.args[0].type.kind === "bool" ? t.conditionalExpression(c.expr(0), t.numericLiteral(1), t.numericLiteral(0)) : c.expr(0);
    return method(t.identifier(c.runtime("tape")), "push", [v]);
  },
  pop: (op, c) => memoryExpressions.pop(op, c),
  tapeRestore: (_op, c) => method(t.identifier(c.runtime("tape")), "restore", [c.expr(0)]),
};
