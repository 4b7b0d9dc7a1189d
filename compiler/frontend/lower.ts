// TS AST → IR for one function, with the supported-language check: anything the frontend does not
// lower explicitly is refused with a diagnostic at that construct. This file checks the function
// itself (where it is, its parameters, its result: results.ts) and lowers its body with the parts
// of a Lowerer (lowerer.ts): statements.ts, loops.ts, expressions.ts, calls.ts, arrays.ts,
// literals.ts, builtins.ts.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Func, Op, Param } from "../ir/types";
import type { CustomDerivative } from "./custom-derivatives";
import { FunctionFrame, exitOf, type Env } from "./frames";
import { Lowerer } from "./lowerer";
import { functionKey, type FunctionLike } from "./resolve";
import { receiverOf } from "./receiver";
import { resultShapeOf } from "./results";
import { irType } from "./types";
import { hasDirective } from "./directives";

export interface LoweredFunction {
  readonly key: string;
  readonly decl: FunctionLike;
  readonly func: Func;
  /** Functions this one calls, each lowered on its own (no inlining). */
  readonly callees: readonly FunctionLike[];
  /** Set for a function with a registered derivative: its body is not lowered (func has no ops). */
  readonly custom?: CustomDerivative;
  /** Where each call op of the body is in the source (for refusals found after lowering). */
  readonly callSites: ReadonlyMap<Op, ts.Node>;
  /** Other files whose code was inlined into this one (helpers taking callbacks), for source comments. */
  readonly inlinedFrom?: readonly ts.SourceFile[];
  /** `// adc: noinline` before the declaration: never inlined into its callers (opt/inline.ts). */
  readonly noInline?: boolean;
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
  const result = resultShapeOf(checker, checker.getSignatureFromDeclaration(decl)!, decl.type ?? decl.name ?? decl);

  const l = new Lowerer(checker, decl.getSourceFile(), customs, result);
  const env: Env = new Map();
  const params: Param[] = decl.parameters.map((p) => {
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
  // An instance method reading `this`: its receiver comes first, an object of the fields it reads.
  const receiver = receiverOf(checker, decl);
  if (receiver) {
    const name = params.some((p) => p.name === "self") ? "self_" : "self";
    const value = l.b.value(receiver.type, name);
    l.receiver = { value, owner: decl };
    params.unshift({ value, name, typeText: receiver.typeText });
  }

  l.b.loc = l.locOf(decl);
  const frame = new FunctionFrame(key, decl.name ?? decl, result.kind === "void");
  const exit = exitOf(l.statements.lower(decl.body.statements, env, frame), frame, decl.name ?? decl);
  l.b.region.yields.push(...exit);
  const resultText = result.kind === "aggregate" ? (decl.type?.getText() ?? checker.typeToString(checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(decl)!))) : undefined;
  const func: Func = { name: key, params, body: l.b.region, loc: l.locOf(decl), resultText, ...(receiver ? { receiver: true } : {}) };
  return { key, decl, func, callees: [...l.callees], callSites: l.callSites, inlinedFrom: l.callables.inlinedFrom(), noInline: hasDirective(decl, "noinline") };
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
