// `adc graph`: one function's SSA graph, optionally evaluated at a point, as DOT (or SVG).
import * as path from "node:path";
import ts from "typescript";
import type { AdcDiagnostic } from "../diagnostics";
import { functionKey, type FunctionLike } from "../frontend/resolve";
import type { Func } from "../ir/types";
import { lowerClosure } from "../module";
import { toDot, type Mode } from "./dot";
import { evaluate } from "./evaluate";

export { renderSvg } from "./svg";
export type { Mode } from "./dot";

/** A request that does not fit the file (unknown function, wrong number of values): a usage error. */
export class GraphRequestError extends Error {}

export interface GraphOptions {
  /** The function: `f`, or `Class.method` for a static method. */
  readonly fn: string;
  /** The point to evaluate at, one number per parameter. */
  readonly at?: readonly number[];
  readonly mode?: Mode;
}

export function graphOfSourceFile(
  checker: ts.TypeChecker,
  sourceFile: ts.SourceFile,
  options: GraphOptions,
): { dot: string | undefined; diagnostics: readonly AdcDiagnostic[] } {
  const functions = topLevelFunctions(sourceFile);
  const decl = functions.get(options.fn);
  if (!decl) {
    const known = [...functions.keys()].join(", ") || "none";
    throw new GraphRequestError(`no function '${options.fn}' in ${path.basename(sourceFile.fileName)} (its functions: ${known})`);
  }
  const closure = lowerClosure(checker, [decl]);
  if (closure.diagnostics.length > 0) return { dot: undefined, diagnostics: closure.diagnostics };
  const lowered = new Map<string, Func>([...closure.lowered].map(([key, fn]) => [key, fn.func]));
  const func = lowered.get(functionKey(decl))!;
  if (options.at === undefined) return { dot: toDot(func), diagnostics: [] };
  const n = func.params.length;
  if (options.at.length !== n) {
    const names = func.params.map((p) => p.name).join(", ");
    throw new GraphRequestError(`--at gives ${options.at.length} value${options.at.length === 1 ? "" : "s"} but ${options.fn} takes ${n} (${names})`);
  }
  const trace = evaluate(func, options.at, lowered);
  return { dot: toDot(func, { trace, mode: options.mode ?? "reverse" }), diagnostics: [] };
}

/** Functions declared at the top level of the file, and static methods as `Class.method`. */
function topLevelFunctions(sourceFile: ts.SourceFile): Map<string, FunctionLike> {
  const found = new Map<string, FunctionLike>();
  for (const s of sourceFile.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body && !found.has(s.name.text)) found.set(s.name.text, s);
    if (ts.isClassDeclaration(s) && s.name) {
      for (const m of s.members) {
        if (ts.isMethodDeclaration(m) && m.body && ts.isIdentifier(m.name)) found.set(`${s.name.text}.${m.name.text}`, m);
      }
    }
  }
  return found;
}
