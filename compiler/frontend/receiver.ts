// The receiver of an instance method that reads `this`: lowered as an implicit first parameter,
// an object made of the fields the method reads (`this.weight`, `this.data[i]`), typed through the
// checker like any object parameter. Generated functions take it first (`C_m_grad(self, w, b)`);
// operator calls pass the instance (module.ts). Every other use of `this` is refused here, before
// lowering, with the rewrite that works.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Type } from "../ir/types";
import type { FunctionLike } from "./resolve";
import { irType } from "./types";

/** The receiver's type: a struct of the fields read. */
export interface Receiver {
  readonly type: Type & { kind: "struct" };
  /**
   * How generated code writes it (and its gradient's type), on one line and naming no type of the
   * user's, so it holds wherever the code is placed: `{ weight: number; data: Float64Array }`.
   * Undefined with tensors inside (the backend prints those with the runtime's name for Tensor).
   */
  readonly typeText?: string;
}

/** An instance method (not static) of a class, whose `this` is an instance. */
export function isInstanceMethod(decl: FunctionLike): decl is ts.MethodDeclaration {
  return ts.isMethodDeclaration(decl) && ts.isClassLike(decl.parent) && !decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

/** The function `this` at a node belongs to: the nearest enclosing function that is not an arrow. */
export function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) && !ts.isArrowFunction(p)) return p;
    if (ts.isClassLike(p) || ts.isSourceFile(p)) return p;
  }
  return undefined;
}

/** The `this` expressions that belong to the method itself (arrows inside it share its `this`). */
function ownThisUses(decl: FunctionLike): ts.Node[] {
  const uses: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.ThisKeyword && thisOwner(node) === decl) uses.push(node);
    ts.forEachChild(node, visit);
  };
  if (decl.body) visit(decl.body);
  return uses;
}

/** Whether a method gets a receiver parameter: an instance method whose body reads `this`. */
export function readsThis(decl: FunctionLike): boolean {
  return isInstanceMethod(decl) && ownThisUses(decl).length > 0;
}

const passFields = "read its fields as `this.x` (numbers, arrays, objects), or pass what it needs as parameters";

/** The fields the method reads through `this`, in order of first use; refuses every other use of `this`. */
export function receiverOf(checker: ts.TypeChecker, decl: FunctionLike): Receiver | undefined {
  if (!isInstanceMethod(decl)) return undefined;
  const uses = ownThisUses(decl);
  if (uses.length === 0) return undefined;
  const fields: { name: string; type: Type }[] = [];
  for (const use of uses) {
    const access = use.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== use) {
      throw new Refusal(Codes.This, `\`this\` may only be read as \`this.field\` here (it cannot be passed, returned or indexed); ${passFields}`, use);
    }
    const name = access.name;
    if (ts.isPrivateIdentifier(name)) {
      throw new Refusal(Codes.This, `private field '${name.text}' cannot be read by generated code; make it a plain field (\`${name.text.slice(1)}\`)`, access);
    }
    const symbol = checker.getSymbolAtLocation(name);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (declaration && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration))) {
      throw new Refusal(Codes.This, `calls of other methods through \`this\` ('${access.getText()}') are not supported; make '${name.text}' a static method or a function and pass it the fields it reads`, access);
    }
    if (declaration && (ts.isGetAccessor(declaration) || ts.isSetAccessor(declaration))) {
      throw new Refusal(Codes.This, `'${access.getText()}' is an accessor, whose body adc does not follow; read the fields it reads directly`, access);
    }
    const hidden = declaration && ts.getCombinedModifierFlags(declaration as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
    if (hidden) {
      throw new Refusal(Codes.This, `field '${name.text}' is private or protected, so generated code outside the class cannot read it; make it public`, access);
    }
    const written = writeOf(access);
    if (written) {
      throw new Refusal(Codes.This, `a differentiated method cannot write its fields ('${written.getText()}'); compute the new value and assign it outside, from the method's result`, written);
    }
    if (fields.some((f) => f.name === name.text)) continue;
    const tsType = checker.getTypeAtLocation(access);
    const type = irType(checker, tsType, access, `field 'this.${name.text}'`);
    if (type.kind === "bool") throw new Refusal(Codes.UnsupportedType, `field 'this.${name.text}' is a boolean; only numbers, arrays and objects of numbers are supported`, access);
    fields.push({ name: name.text, type });
  }
  const type = { kind: "struct" as const, fields };
  return { type, typeText: inlineType(type) };
}

/** The assignment or update that writes through `this.x` (`this.x = v`, `this.a[i] += v`, `this.n++`), if any. */
function writeOf(access: ts.Node): ts.Node | undefined {
  let place = access;
  for (let p = place.parent; p; place = p, p = p.parent) {
    const base = (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p)) && p.expression === place;
    if (!base) break;
  }
  const parent = place.parent;
  if (ts.isBinaryExpression(parent) && parent.left === place && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return parent;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return parent;
  if (ts.isDeleteExpression(parent)) return parent;
  return undefined;
}


/** An IR type as TypeScript on one line, or undefined when it holds a tensor. */
function inlineType(type: Type): string | undefined {
  switch (type.kind) {
    case "f64":
    case "int":
      return "number";
    case "array": {
      if (type.container !== "Array") return type.container;
      const element = inlineType(type.element);
      if (element === undefined) return undefined;
      return type.length !== undefined ? `[${Array(type.length).fill(element).join(", ")}]` : `${element}[]`;
    }
    case "struct": {
      const fields = type.fields.map((f) => [f.name, inlineType(f.type)] as const);
      if (fields.some(([, t]) => t === undefined)) return undefined;
      return `{ ${fields.map(([name, t]) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: ${t}`).join("; ")} }`;
    }
    default:
      return undefined;
  }
}
