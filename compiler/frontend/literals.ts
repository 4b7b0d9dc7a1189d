// Array and object literals → IR: `[x, y]`, `[...a, y]` and `[[a, b], [c, d]]` become an `array`
// op, `{ x: a, y }` and `{ ...o, x: 1 }` a `struct` op: new memory, made once. A field of an object
// literal, and a row of an array literal read at a constant index, is the value it was made from (a
// reference, for arrays and objects): literals never change shape, so no load is needed. Number
// elements are loaded like any array's (the array may be written); opt/fold.ts folds the loads of
// literals nothing writes.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { moduleValue } from "./globals";
import type { Env } from "./frames";
import type { Lowerer } from "./lowerer";
import { irTypeOrWhy } from "./types";

export class Literals {
  constructor(private readonly l: Lowerer) {}

  /** `[x, y]`, `[...a, y]`, `[[a, b], [c, d]]`. */
  array(e: ts.ArrayLiteralExpression, env: Env): Value {
    const { b, expressions } = this.l;
    if (e.elements.some(ts.isOmittedExpression)) throw new Refusal(Codes.UnsupportedSyntax, "array literals with holes are not supported; write every element", e);
    const type = this.typeOf(e);
    if (type.kind !== "array" || type.container !== "Array") {
      throw new Refusal(Codes.UnsupportedType, `this array literal has type '${this.l.checker.typeToString(this.l.checker.getTypeAtLocation(e))}'; adc supports literals of numbers, arrays and objects`, e);
    }
    const element = type.element;
    if (element.kind !== "f64" && !isAggregate(element)) {
      throw new Refusal(Codes.UnsupportedType, "array literals may hold numbers, arrays or objects", e);
    }
    const args: Value[] = [];
    const spread: boolean[] = [];
    for (const item of e.elements) {
      if (ts.isSpreadElement(item)) {
        const source = expressions.array(item.expression, env);
        if (source.type.kind !== "array" || source.type.element.kind !== "f64") {
          throw new Refusal(Codes.UnsupportedType, "only arrays of numbers can be spread into a literal (spreading rows would share them); copy each row with .slice()", item);
        }
        args.push(source);
        spread.push(true);
        continue;
      }
      if (element.kind === "f64") {
        args.push(expressions.number(item, env));
      } else {
        // Rows must be new (a literal, a new array, a call's result): then the literal owns them and
        // a write through `rows[i][j]` is a write to it alone.
        if (!this.makesMemory(item)) {
          throw new Refusal(Codes.Aliasing, "the rows of an array literal must be new arrays or objects (literals, `new Float64Array(n)`, `.slice()`, a call's result): a variable would share its memory", item);
        }
        const v = expressions.value(item, env);
        if (v.type.kind !== element.kind) throw new Refusal(Codes.UnsupportedType, `expected ${element.kind === "array" ? "an array" : "an object"} here`, item);
        args.push(v);
      }
      spread.push(false);
    }
    return b.op("array", args, type, spread.some(Boolean) ? { spread } : {});
  }

  /** `{ x: a, y }`, `{ ...o, x: 1 }`: one argument per field, in the order the fields first appear. */
  object(e: ts.ObjectLiteralExpression, env: Env): Value {
    const { b, expressions } = this.l;
    const fields: { name: string; value: Value }[] = [];
    const set = (name: string, value: Value, at: ts.Node) => {
      if (value.type.kind === "bool" || value.type.kind === "int" || value.type.kind === "opaque") {
        throw new Refusal(Codes.UnsupportedType, `field '${name}' must be a number, an array or an object`, at);
      }
      const i = fields.findIndex((f) => f.name === name);
      if (i >= 0) fields[i] = { name, value };
      else fields.push({ name, value });
    };
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        set(propertyName(p.name), expressions.value(p.initializer, env), p.initializer);
      } else if (ts.isShorthandPropertyAssignment(p) && !p.objectAssignmentInitializer) {
        set(p.name.text, this.shorthand(p, env), p);
      } else if (ts.isSpreadAssignment(p)) {
        const source = expressions.value(p.expression, env);
        if (source.type.kind !== "struct") throw new Refusal(Codes.UnsupportedType, "only objects can be spread into an object literal", p);
        for (const f of source.type.fields) set(f.name, expressions.field(source, f.name, p), p);
      } else {
        throw new Refusal(Codes.UnsupportedSyntax, "object literals may only have fields (`x: e`, `x`, `...o`); methods and accessors are not supported", p);
      }
    }
    const type: Type = { kind: "struct", fields: fields.map((f) => ({ name: f.name, type: f.value.type })) };
    return b.op("struct", fields.map((f) => f.value), type);
  }

  /** `{ x }`: the variable x (its name is also the field's, so the checker resolves it apart). */
  private shorthand(p: ts.ShorthandPropertyAssignment, env: Env): Value {
    const { l } = this;
    const symbol = l.checker.getShorthandAssignmentValueSymbol(p);
    if (symbol && env.has(symbol)) return l.read(symbol, p, env);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? l.checker.getAliasedSymbol(symbol) : symbol;
    const constant = moduleValue(l, resolved, p.name);
    if (constant) return constant;
    throw new Refusal(Codes.FreeVariable, `'${p.name.text}' is a free variable; differentiated code may only read its parameters, its locals and module-level constants`, p.name);
  }

  /** Whether an expression makes new memory: a literal, `new …`, or a call (whose result is new). */
  makesMemory(e: ts.Expression): boolean {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isNewExpression(e)) return true;
    if (!ts.isCallExpression(e)) return false;
    const type = irTypeOrWhy(this.l.checker, this.l.checker.getTypeAtLocation(e), e);
    return typeof type !== "string" && isAggregate(type);
  }

  /** A field of an object literal: the value it was made from. */
  fieldOf(object: Value, name: string): Value | undefined {
    const made = this.l.b.defs.get(object);
    if (made?.prim !== "struct" || object.type.kind !== "struct") return undefined;
    const i = object.type.fields.findIndex((f) => f.name === name);
    return i >= 0 ? made.args[i] : undefined;
  }

  /** A row of an array literal at a constant index: the array or object it was made from. */
  rowOf(array: Value, index: Value): Value | undefined {
    const made = this.l.b.defs.get(array);
    const at = this.l.b.defs.get(index);
    if (made?.prim !== "array" || at?.prim !== "const" || array.type.kind !== "array" || !isAggregate(array.type.element)) return undefined;
    const i = at.attrs.value as number;
    return Number.isInteger(i) && i >= 0 && i < made.args.length ? made.args[i] : undefined;
  }

  /** The literal's type: as its context asks (`[number, number]` for a tuple result), else as written. */
  private typeOf(e: ts.Expression): Type {
    const { checker } = this.l;
    const contextual = checker.getContextualType(e);
    const wanted = contextual && irTypeOrWhy(checker, contextual, e);
    if (wanted && typeof wanted !== "string") return wanted;
    const found = irTypeOrWhy(checker, checker.getTypeAtLocation(e), e);
    if (typeof found === "string") {
      throw new Refusal(Codes.UnsupportedType, `this literal has type '${checker.typeToString(checker.getTypeAtLocation(e))}'${found}`, e);
    }
    return found;
  }
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  throw new Refusal(Codes.UnsupportedSyntax, "computed field names are not supported in object literals", name);
}
