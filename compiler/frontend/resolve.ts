// Symbol resolution through the type checker: what a name in user code really refers to.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { numericConstants } from "../ir/primitives";

export type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration;

/** The symbol behind an expression, following import aliases and re-exports. */
export function resolveSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol;
}

/** The function declaration (with a body) an expression names, if any. */
export function resolveFunction(checker: ts.TypeChecker, node: ts.Expression): FunctionLike | undefined {
  const symbol = resolveSymbol(checker, node);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
  // Overloaded functions: the implementation is the declaration with a body.
  const impl = symbol?.declarations?.find(
    (d): d is FunctionLike => (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body !== undefined,
  );
  return impl;
}

/** A stable, readable base name for generated code: `f`, or `Model_loss` for a method. */
export function functionKey(decl: FunctionLike): string {
  const own = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : "anonymous";
  if (ts.isMethodDeclaration(decl) && ts.isClassLike(decl.parent)) {
    return `${decl.parent.name?.text ?? "Class"}_${own}`;
  }
  return own;
}

/** True for declarations in adc's own runtime (where grad, valueAndGrad, vjp are declared). */
export function isAdcRuntime(decl: ts.Declaration): boolean {
  const file = decl.getSourceFile().fileName;
  return /[\\/]runtime[\\/]operators\.(d\.ts|ts)$/.test(file) && packageNameOf(file) === "adc";
}

/** True for declarations in adc's tensor runtime (Tensor, matmul, relu, …). */
export function isAdcTensorRuntime(decl: ts.Declaration): boolean {
  const file = decl.getSourceFile().fileName;
  return /[\\/]runtime[\\/]tensor[\\/][\w-]+\.(d\.ts|ts)$/.test(file) && packageNameOf(file) === "adc";
}

/** The tensor runtime function or Tensor method a callee names (`matmul`, `x.item`), if it is one. */
export function tensorRuntimeName(checker: ts.TypeChecker, callee: ts.Expression): string | undefined {
  const symbol = resolveSymbol(checker, ts.isPropertyAccessExpression(callee) ? callee.name : callee);
  const decl = symbol?.declarations?.[0];
  return decl && isAdcTensorRuntime(decl) ? symbol!.name : undefined;
}

const packageNames = new Map<string, string | undefined>();

/** The name in the nearest package.json above a file. */
function packageNameOf(file: string): string | undefined {
  const dir = path.dirname(file);
  if (packageNames.has(dir)) return packageNames.get(dir);
  const manifest = path.join(dir, "package.json");
  let name: string | undefined;
  if (fs.existsSync(manifest)) name = JSON.parse(fs.readFileSync(manifest, "utf8")).name;
  else if (path.dirname(dir) !== dir) name = packageNameOf(dir);
  packageNames.set(dir, name);
  return name;
}

/** True when `name` at this identifier is the standard library's global (not a user's `Math`). */
export function isGlobalBuiltin(checker: ts.TypeChecker, node: ts.Identifier): boolean {
  const symbol = checker.getSymbolAtLocation(node);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => /[\\/]lib\.[\w.]*d\.ts$/.test(d.getSourceFile().fileName));
}

/** `Math.<member>(…)` with the global Math: the member's name, else undefined. */
export function builtinMathMember(checker: ts.TypeChecker, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  if (callee.expression.text !== "Math" || !isGlobalBuiltin(checker, callee.expression)) return undefined;
  return callee.name.text;
}

/** The value of `Math.PI`, `Number.EPSILON`, … when the object is the global one. */
export function builtinConstant(checker: ts.TypeChecker, e: ts.PropertyAccessExpression): number | undefined {
  if (!ts.isIdentifier(e.expression) || !isGlobalBuiltin(checker, e.expression)) return undefined;
  return numericConstants.get(`${e.expression.text}.${e.name.text}`);
}

export const operatorNames = ["grad", "valueAndGrad", "vjp", "checkGrad", "jvp", "jacobian", "hessian", "hvp"] as const;
export type OperatorName = (typeof operatorNames)[number];

/** Which adc operator a call's callee is, if any. */
export function resolveOperator(checker: ts.TypeChecker, callee: ts.Expression): OperatorName | undefined {
  const symbol = resolveSymbol(checker, callee);
  const decl = symbol?.declarations?.[0];
  if (!decl || !isAdcRuntime(decl)) return undefined;
  return (operatorNames as readonly string[]).includes(symbol!.name) ? (symbol!.name as OperatorName) : undefined;
}

/** The name of the adc runtime export an expression refers to (`stopGradient`, `defineDerivative`, …), if it is one. */
export function runtimeExport(checker: ts.TypeChecker, callee: ts.Expression): string | undefined {
  const symbol = resolveSymbol(checker, callee);
  const decl = symbol?.declarations?.[0];
  return decl && isAdcRuntime(decl) ? symbol!.name : undefined;
}
