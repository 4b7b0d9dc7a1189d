// How the memory and tape ops print: one entry per op, as an expression (ops with a result) or a
// statement (writes). Runtime helpers are named through `runtime` (imported once per module).
import * as t from "@babel/types";
import type { Op } from "../ir/types";
// emit.ts imports this table; the type printer is only called while printing, after both load.
import { typeAnnotation } from "./emit";

export interface SyntaxContext {
  readonly expr: (i: number) => t.Expression;
  readonly runtime: (name: string) => string;
}

const member = (object: t.Expression, op: Op, index?: t.Expression): t.MemberExpression =>
  op.attrs.field !== undefined ? t.memberExpression(object, t.identifier(op.attrs.field)) : t.memberExpression(object, index!, true);

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
  slice: (_op, c) => method(c.expr(0), "slice", [c.expr(1), c.expr(2)]),
  zerosLike: (_op, c) => helper(c, "zerosLike", [c.expr(0)]),
  emptyTensor: (_op, c) => t.identifier(c.runtime("emptyTensor")),
  tapeMark: (_op, c) => method(t.identifier(c.runtime("tape")), "mark", []),
  tapeTake: (_op, c) => method(t.identifier(c.runtime("tape")), "take", [c.expr(0)]),
  drain: (_op, c) => helper(c, "drain", [c.expr(0)]),
  pop: (op, c) => {
    if (op.attrs.type?.kind === "tensor") return method(t.identifier(c.runtime("tape")), "popTensor", []);
    if (op.attrs.type?.kind === "array") {
      const popped = method(t.identifier(c.runtime("tape")), "popRef", []);
      popped.typeParameters = t.tsTypeParameterInstantiation([typeAnnotation(op.attrs.type)]);
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
  push: (op, c) => {
    if (op.args[0].type.kind === "tensor") return method(t.identifier(c.runtime("tape")), "pushTensor", [c.expr(0)]);
    if (op.args[0].type.kind === "array") return method(t.identifier(c.runtime("tape")), "pushRef", [c.expr(0)]);
    const v = op.args[0].type.kind === "bool" ? t.conditionalExpression(c.expr(0), t.numericLiteral(1), t.numericLiteral(0)) : c.expr(0);
    return method(t.identifier(c.runtime("tape")), "push", [v]);
  },
  pop: (op, c) => memoryExpressions.pop(op, c),
  tapeRestore: (_op, c) => method(t.identifier(c.runtime("tape")), "restore", [c.expr(0)]),
};
