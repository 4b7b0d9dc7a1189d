// Expressions → IR values: literals, locals and module constants, operators (`&&`/`||` and `?:`
// lazily, as in JS), element and field reads, `.length`; calls go to calls.ts, array and object
// literals to literals.ts. Also the checks that a value is what its use needs (a number, an
// array, a condition).
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import { binaryOperators, primitives } from "../ir/primitives";
import type { Value } from "../ir/types";
import { bool, f64, isAggregate } from "../ir/types";
import type { Env } from "./frames";
import { moduleValue, mutableModuleBinding } from "./globals";
import type { Lowerer } from "./lowerer";
import { refuseExpression } from "./refusals";
import { thisOwner } from "./receiver";
import { builtinConstant, resolveFunction, resolveSymbol } from "./resolve";
import { isAssignment } from "./scan";

export class Expressions {
  constructor(private readonly l: Lowerer) {}

  /** An expression that must be a number. */
  number(e: ts.Expression, env: Env): Value {
    return this.numberValue(this.value(e, env), e);
  }

  numberValue(v: Value, at: ts.Node): Value {
    if (v.type.kind !== "f64") throw new Refusal(Codes.UnsupportedType, "expected a number here", at);
    return v;
  }

  /** An expression that must be an array. */
  array(e: ts.Expression, env: Env): Value {
    const v = this.value(e, env);
    if (v.type.kind !== "array") throw new Refusal(Codes.UnsupportedType, "expected an array here", e);
    return v;
  }

  /** `a[i]`: an element (a number, or a row: a reference into the same memory). */
  element(array: Value, index: Value, at: ts.Node): Value {
    if (array.type.kind !== "array") throw new Refusal(Codes.UnsupportedType, "only arrays can be indexed", at);
    return this.l.literals.rowOf(array, index) ?? this.l.b.op("load", [array, index], array.type.element);
  }

  /** `o.f`: a field of an object (a number, or a reference to an array or object inside it). */
  field(object: Value, name: string, at: ts.Node): Value {
    if (object.type.kind !== "struct") throw new Refusal(Codes.UnsupportedType, `'${name}' is not a field of an object adc knows`, at);
    const field = object.type.fields.find((f) => f.name === name);
    if (!field) throw new Refusal(Codes.UnsupportedSyntax, `unknown field '${name}'`, at);
    return this.l.literals.fieldOf(object, name) ?? this.l.b.op("load", [object], field.type, { field: name });
  }

  /** An expression used as a condition: booleans as they are, numbers compared with 0 (JS truthiness). */
  condition(e: ts.Expression, env: Env): Value {
    const v = this.value(e, env);
    if (v.type.kind === "bool") return v;
    throw new Refusal(Codes.UnsupportedType, "conditions must be comparisons or booleans (number truthiness is not supported)", e);
  }

  value(e: ts.Expression, env: Env): Value {
    const { l } = this;
    const { b } = l;
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) {
      return this.value(e.expression, env);
    }
    if (ts.isNumericLiteral(e)) return b.const(Number(e.text));
    if (e.kind === ts.SyntaxKind.TrueKeyword) return b.bool(true);
    if (e.kind === ts.SyntaxKind.FalseKeyword) return b.bool(false);
    if (ts.isIdentifier(e)) return this.identifier(e, env);
    // `this` of the method being lowered (receiver.ts checked every use); any other `this` is refused.
    if (e.kind === ts.SyntaxKind.ThisKeyword && l.receiver && thisOwner(e) === l.receiver.owner) return l.receiver.value;
    if (ts.isPropertyAccessExpression(e)) {
      const constant = builtinConstant(l.checker, e);
      if (constant !== undefined) return b.const(constant);
      const base = this.value(e.expression, env); // refuses the base first when it is the problem (`this`, a free variable)
      if (base.type.kind === "array" && e.name.text === "length") return l.arrays.length(base, env);
      if (base.type.kind === "struct") return this.field(base, e.name.text, e.name);
      throw new Refusal(Codes.UnsupportedSyntax, `property access '${e.getText()}' is not supported`, e);
    }
    if (ts.isElementAccessExpression(e)) {
      return this.element(this.array(e.expression, env), this.number(e.argumentExpression, env), e);
    }
    if (ts.isNewExpression(e)) return l.arrays.newArray(e, env);
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.MinusToken) {
        if (ts.isNumericLiteral(e.operand)) return b.const(-Number(e.operand.text));
        const x = this.number(e.operand, env);
        return b.op("neg", [x]);
      }
      if (e.operator === ts.SyntaxKind.PlusToken) return this.number(e.operand, env);
      if (e.operator === ts.SyntaxKind.ExclamationToken) return b.op("not", [this.condition(e.operand, env)], bool);
      const message = e.operator === ts.SyntaxKind.TildeToken
        ? "bitwise operators are not supported"
        : "increment and decrement are only supported as statements";
      throw new Refusal(Codes.UnsupportedSyntax, message, e);
    }
    if (ts.isBinaryExpression(e)) return this.binary(e, env);
    if (ts.isConditionalExpression(e)) {
      // Lazy, as in JS: the arm not taken is not evaluated, so neither its value nor its derivative
      // can leak in (no 0 · NaN from Math.sqrt of a negative in the other arm), and a recursive
      // call does not run on the base case.
      const cond = this.condition(e.condition, env);
      if (!l.literals.makesMemory(e.whenTrue) || !l.literals.makesMemory(e.whenFalse)) {
        return this.lazyIf(cond, () => this.number(e.whenTrue, env), () => this.number(e.whenFalse, env), f64);
      }
      // `c ? [a, b] : [b, a]`: each arm makes its own array or object, so the result is new memory too.
      let type: Value["type"] | undefined;
      const arm = (x: ts.Expression) => () => {
        const v = this.value(x, env);
        if (!isAggregate(v.type) || (type && type.kind !== v.type.kind)) throw new Refusal(Codes.UnsupportedType, "both arms must make an array, or both an object", x);
        type ??= v.type;
        return v;
      };
      const t = arm(e.whenTrue);
      const o = arm(e.whenFalse);
      return this.lazyIf(cond, t, o, undefined);
    }
    if (ts.isCallExpression(e)) return l.calls.lower(e, env);
    // `[]` is a growing number[] (growable.ts); any other literal makes its array or object (literals.ts).
    if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return l.arrays.empty(e);
    if (ts.isArrayLiteralExpression(e)) return l.literals.array(e, env);
    if (ts.isObjectLiteralExpression(e)) return l.literals.object(e, env);
    return refuseExpression(e);
  }

  /** An `if` op yielding one value, each arm built only inside its region (so only the arm taken runs). */
  lazyIf(cond: Value, then: () => Value, otherwise: () => Value, type: Value["type"] | undefined = f64): Value {
    const { b } = this.l;
    const loc = b.loc;
    const t = b.inRegion(then);
    const o = b.inRegion(otherwise);
    b.loc = loc;
    t.region.yields = [t.result];
    o.region.yields = [o.result];
    return b.emit("if", [cond], [type ?? t.result.type], {}, [t.region, o.region]).results[0];
  }

  private binary(e: ts.BinaryExpression, env: Env): Value {
    const { b } = this.l;
    const kind = e.operatorToken.kind;
    if (isAssignment(kind)) {
      throw new Refusal(Codes.UnsupportedSyntax, "assignment inside an expression is not supported; assign in its own statement", e);
    }
    const tested = this.l.iteration.undefinedTest(e, env); // `??`, `=== undefined` (a find that found nothing)
    if (tested) return tested;
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
      const prim = kind === ts.SyntaxKind.AmpersandAmpersandToken ? "and" : "or";
      const left = this.condition(e.left, env);
      if (!this.l.containsCall(e.right)) return b.op(prim, [left, this.condition(e.right, env)], bool);
      const right = () => this.condition(e.right, env);
      const constant = () => b.bool(prim === "or");
      return prim === "and" ? this.lazyIf(left, right, constant, bool) : this.lazyIf(left, constant, right, bool);
    }
    const text = e.operatorToken.getText();
    const prim = binaryOperators.get(text === "==" ? "===" : text === "!=" ? "!==" : text);
    if (!prim || prim === "and" || prim === "or") {
      throw new Refusal(Codes.UnsupportedSyntax, `operator '${text}' is not supported`, e.operatorToken);
    }
    const primitive = primitives.get(prim)!;
    return b.op(prim, [this.number(e.left, env), this.number(e.right, env)], primitive.result);
  }

  /** A name: a local, `NaN`/`Infinity`, or a numeric module constant; anything else is refused. */
  private identifier(e: ts.Identifier, env: Env): Value {
    const { l } = this;
    if (e.text === "undefined") throw new Refusal(Codes.UnsupportedType, "undefined is not a number", e);
    if (e.text === "NaN" || e.text === "Infinity") {
      const symbol = l.checker.getSymbolAtLocation(e);
      if (!symbol || symbol.declarations?.some((d) => d.getSourceFile().isDeclarationFile)) {
        return l.b.const(e.text === "NaN" ? NaN : Infinity);
      }
    }
    const symbol = l.symbolOf(e);
    if (env.has(symbol)) {
      return l.growables.view(e, l.read(symbol, e, env), env);
    }
    if (l.callables.isBound(symbol)) {
      throw new Refusal(Codes.Closure, `'${e.text}' is a local function used as a value; call it, or pass it to an array method or to a function that takes a callback`, e);
    }
    const resolved = resolveSymbol(l.checker, e) ?? symbol;
    const constant = moduleValue(l, resolved, e);
    if (constant) return constant;
    const mutable = mutableModuleBinding(resolved);
    if (mutable) throw new Refusal(Codes.FreeVariable, `'${e.text}' is ${mutable}`, e);
    const kind = resolveFunction(l.checker, e) ? "a function used as a value" : "a free variable";
    throw new Refusal(
      Codes.FreeVariable,
      `'${e.text}' is ${kind}; differentiated code may only read its parameters, its locals and module-level constants`,
      e,
    );
  }
}
