// TS AST → IR for one function, with the supported-language check: anything the frontend does not
// lower explicitly is refused with a diagnostic at that construct. This file checks the function
// itself (where it is, its parameters, its result) and lowers its body with the parts of a
// Lowerer (lowerer.ts): statements.ts, loops.ts, expressions.ts, calls.ts, arrays.ts, builtins.ts.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Func } from "../ir/types";
import type { CustomDerivative } from "./custom-derivatives";
import { FunctionFrame, exitOf, type Env } from "./frames";
import { Lowerer } from "./lowerer";
import { functionKey, type FunctionLike } from "./resolve";
import { irType } from "./types";

export interface LoweredFunction {
  readonly key: string;
  readonly decl: FunctionLike;
  readonly func: Func;
  /** Functions this one calls, each lowered on its own (no inlining). */
  readonly callees: readonly FunctionLike[];
  /** Set for a function with a registered derivative: its body is not lowered (func has no ops). */
  readonly custom?: CustomDerivative;
  /** Other files whose code was inlined into this one (helpers taking callbacks), for source comments. */
  readonly inlinedFrom?: readonly ts.SourceFile[];
}

export function lowerFunction(
  checker: ts.TypeChecker,
  decl: FunctionLike,
  customs: ReadonlyMap<ts.Declaration, CustomDerivative> = new Map(),
): LoweredFunction {
  const key = functionKey(decl);
  if (decl.asteriskToken) throw new Refusal(Codes.Generator, `generator function '${key}' cannot be differentiated`, decl);
  const asyncModifier = decl.modifiers?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (asyncModifier) throw new Refusal(Codes.Async, `async function '${key}' cannot be differentiated`, asyncModifier);
  if (!decl.body) throw new Refusal(Codes.NotAFunction, `'${key}' has no body to differentiate`, decl);
  checkReachable(decl, key);
  const resultType = checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(decl)!);
  const tupleResult = numberTupleLength(checker, resultType);
  if (tupleResult === undefined) expectNumber(checker, resultType, decl.type ?? decl.name ?? decl, "the result");

  const l = new Lowerer(checker, decl.getSourceFile(), customs, tupleResult);
  const env: Env = new Map();
  const params = decl.parameters.map((p) => {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken || p.initializer || p.questionToken) {
      throw new Refusal(Codes.UnsupportedSyntax, "only plain parameters like `x: number` are supported", p);
    }
    const tsType = checker.getTypeAtLocation(p);
    const type = irType(checker, tsType, p, `parameter '${p.name.text}'`);
    if (type.kind === "bool") throw new Refusal(Codes.UnsupportedType, `parameter '${p.name.text}' is a boolean; only numbers, arrays and objects of numbers are supported`, p);
    const value = l.b.value(type, p.name.text);
    env.set(l.symbolOf(p.name), value);
    const typeText = p.type ? p.type.getText() : checker.typeToString(tsType);
    return { value, name: p.name.text, typeText };
  });

  l.b.loc = l.locOf(decl);
  const frame = new FunctionFrame(key, decl.name ?? decl);
  const exit = exitOf(l.statements.lower(decl.body.statements, env, frame), frame, decl.name ?? decl);
  l.b.region.yields.push(...exit);
  const func: Func = { name: key, params, body: l.b.region, loc: l.locOf(decl) };
  return { key, decl, func, callees: [...l.callees], inlinedFrom: l.callables.inlinedFrom() };
}

/** Generated code lives at the module's top level: it must be able to call the function by name. */
function checkReachable(decl: FunctionLike, key: string): void {
  const owner = ts.isMethodDeclaration(decl) ? decl.parent : decl;
  const at = decl.name ?? decl;
  if (!ts.isSourceFile(owner.parent)) {
    throw new Refusal(Codes.UnsupportedSyntax, `'${key}' is inside a namespace or block; differentiated functions must be declared at the top level of a module`, at);
  }
  if (ts.isMethodDeclaration(decl) && (!ts.isClassDeclaration(owner) || !owner.name)) {
    throw new Refusal(Codes.NotAFunction, "methods of anonymous classes cannot be differentiated; name the class", at);
  }
  const hidden = decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  if (hidden || (decl.name && ts.isPrivateIdentifier(decl.name))) {
    throw new Refusal(Codes.NotExported, `'${key}' is private to its class, so generated code cannot call it`, at);
  }
}

/** The length of a tuple type of numbers (`[number, number]`), else undefined. */
function numberTupleLength(checker: ts.TypeChecker, type: ts.Type): number | undefined {
  if (!checker.isTupleType(type)) return undefined;
  const elements = checker.getTypeArguments(type as ts.TypeReference);
  const target = (type as ts.TypeReference).target as ts.TupleType;
  if (target.hasRestElement || target.minLength !== elements.length || elements.length === 0) return undefined;
  return elements.every((t) => t.flags & ts.TypeFlags.NumberLike) ? elements.length : undefined;
}

function expectNumber(checker: ts.TypeChecker, type: ts.Type, node: ts.Node, what: string): void {
  if (!(type.flags & ts.TypeFlags.NumberLike)) {
    throw new Refusal(Codes.UnsupportedType, `${what} has type '${checker.typeToString(type)}'; only number is supported so far`, node);
  }
}
