// Custom derivatives: the `defineDerivative(f, { forward, reverse })` calls of the program, found
// statically like the markers. A function with a registered derivative is never lowered: calls of
// it in differentiated code use its rules in both modes (see backend/custom.ts), so it may be a
// `declare`d function whose body adc cannot see.
import ts from "typescript";
import { Codes, diagnosticAt, type AdcDiagnostic } from "../diagnostics";
import { Builder } from "../ir/builder";
import type { Func } from "../ir/types";
import { f64 } from "../ir/types";
import type { LoweredFunction } from "./lower";
import { functionKey, resolveFunction, resolveSymbol, runtimeExport, type FunctionLike } from "./resolve";

export interface CustomDerivative {
  /** The function the rules are for (possibly without a body). */
  readonly decl: ts.FunctionDeclaration;
  /** `forward(x₁…xₙ, ẋ₁…ẋₙ): [y, ẏ]`. */
  readonly forward?: FunctionLike;
  /** `reverse(x₁…xₙ, seed)`: seed × ∇f, bare for one parameter. */
  readonly reverse?: FunctionLike;
  readonly node: ts.CallExpression;
}

/** Every defineDerivative call in the program's own source files, by the function it is for. */
export function findCustomDerivatives(program: ts.Program) {
  const checker = program.getTypeChecker();
  const customs = new Map<ts.Declaration, CustomDerivative>();
  const diagnostics: AdcDiagnostic[] = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !sf.text.includes("defineDerivative")) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && runtimeExport(checker, node.expression) === "defineDerivative") {
        const found = parse(checker, node);
        if (typeof found === "string") diagnostics.push(diagnosticAt(Codes.BadDerivativeRule, found, node));
        else if (customs.has(found.decl)) diagnostics.push(diagnosticAt(Codes.BadDerivativeRule, `'${found.decl.name!.text}' already has a derivative defined`, node));
        else customs.set(found.decl, found);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { customs, diagnostics };
}

/** The custom derivative of the function a call's callee names, if it has one. */
export function customDerivativeOf(
  checker: ts.TypeChecker,
  customs: ReadonlyMap<ts.Declaration, CustomDerivative>,
  callee: ts.Expression,
): CustomDerivative | undefined {
  if (customs.size === 0) return undefined;
  const symbol = resolveSymbol(checker, callee);
  for (const d of symbol?.declarations ?? []) {
    const custom = customs.get(d);
    if (custom) return custom;
  }
  return undefined;
}

/** A function with a registered derivative, as the module's function table sees it: parameters only. */
export function customFunction(custom: CustomDerivative): LoweredFunction {
  const b = new Builder();
  const params = custom.decl.parameters.map((p) => ({ value: b.value(f64, (p.name as ts.Identifier).text), name: (p.name as ts.Identifier).text }));
  const sf = custom.decl.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(custom.decl.getStart(sf));
  const key = functionKey(custom.decl);
  const func: Func = { name: key, params, body: b.region, loc: { file: sf.fileName, line: line + 1, column: character + 1 } };
  return { key, decl: custom.decl, func, callees: [], custom, callSites: new Map() };
}

function parse(checker: ts.TypeChecker, call: ts.CallExpression): CustomDerivative | string {
  const [target, rules] = call.arguments;
  const symbol = target && resolveSymbol(checker, target);
  const decl = symbol?.declarations?.find(ts.isFunctionDeclaration);
  if (!decl || !decl.name || call.arguments.length !== 2) {
    return "defineDerivative(f, { forward, reverse }) needs a function declaration f it can resolve at compile time";
  }
  const n = decl.parameters.length;
  const numbers = (fn: ts.SignatureDeclaration) =>
    fn.parameters.every((p) => ts.isIdentifier(p.name) && !p.dotDotDotToken && !p.questionToken && checker.getTypeAtLocation(p).flags & ts.TypeFlags.NumberLike);
  if (!numbers(decl) || n === 0) return `'${decl.name.text}' must take one or more plain number parameters to have a derivative`;
  if (!rules || !ts.isObjectLiteralExpression(rules)) return "the rules must be an object literal { forward, reverse }";
  const found: { forward?: FunctionLike; reverse?: FunctionLike } = {};
  for (const p of rules.properties) {
    const name = p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
    if (name !== "forward" && name !== "reverse") return "the rules may only be forward and reverse";
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    const rule = value && resolveFunction(checker, value);
    if (!rule || !ts.isFunctionDeclaration(rule)) return `the ${name} rule must name a function declaration (not an arrow function or expression)`;
    const expected = name === "forward" ? 2 * n : n + 1;
    if (rule.parameters.length !== expected || !numbers(rule)) {
      const shape = name === "forward" ? `${n} primals and ${n} tangents` : `${n} primals and a seed`;
      return `the ${name} rule of '${decl.name.text}' must take ${expected} number parameters (${shape})`;
    }
    found[name] = rule;
  }
  if (!found.forward && !found.reverse) return "give a forward rule, a reverse rule, or both";
  return { decl, ...found, node: call };
}
