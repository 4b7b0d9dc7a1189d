// `adc graph`: one function's SSA graph, optionally evaluated at a point, as DOT (or SVG).
import { walkOps } from "../ir/walk";
import * as path from "node:path";
import ts from "typescript";
import type { AdcDiagnostic } from "../diagnostics";
import { functionKey, type FunctionLike } from "../frontend/resolve";
import type { Func } from "../ir/types";
import { lowerClosure } from "../module";
import { toDot, type Mode } from "./dot";
import { evaluate, type Functions } from "./evaluate";

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
  const lowered = lowerForGraph(checker, sourceFile, options.fn);
  if (!lowered.func) return { dot: undefined, diagnostics: lowered.diagnostics };
  const { func, functions } = lowered;
  for (const f of [func, ...functions.values()]) {
    const reason = undrawable(f);
    if (reason) throw new GraphRequestError(`adc graph draws scalar code (branches and calls); '${f.name}' ${reason}`);
  }
  if (options.at === undefined) return { dot: toDot(func), diagnostics: [] };
  const n = func.params.length;
  if (options.at.length !== n) {
    const names = func.params.map((p) => p.name).join(", ");
    throw new GraphRequestError(`--at gives ${options.at.length} value${options.at.length === 1 ? "" : "s"} but ${options.fn} takes ${n} (${names})`);
  }
  const trace = evaluate(func, options.at, functions);
  return { dot: toDot(func, { trace, mode: options.mode ?? "reverse" }), diagnostics: [] };
}

/** The IR of the function named `fn` (`f` or `Class.method`) and of everything it calls. */
export function lowerForGraph(
  checker: ts.TypeChecker,
  sourceFile: ts.SourceFile,
  fn: string,
): { func?: Func; functions: Functions; diagnostics: readonly AdcDiagnostic[] } {
  const declarations = topLevelFunctions(sourceFile);
  const decl = declarations.get(fn);
  if (!decl) {
    const known = [...declarations.keys()].join(", ") || "none";
    throw new GraphRequestError(`no function '${fn}' in ${path.basename(sourceFile.fileName)} (its functions: ${known})`);
  }
  const closure = lowerClosure(checker, [decl]);
  const functions = new Map<string, Func>([...closure.lowered].map(([key, lowered]) => [key, lowered.func]));
  if (closure.diagnostics.length > 0) return { functions, diagnostics: closure.diagnostics };
  return { func: functions.get(functionKey(decl))!, functions, diagnostics: [] };
}

/** Functions declared at the top level of the file, and static methods as `Class.method`. */
export function topLevelFunctions(sourceFile: ts.SourceFile): Map<string, FunctionLike> {
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

/** Why a function's graph cannot be drawn yet (loops and memory have no picture), if so. */
function undrawable(func: Func): string | undefined {
  if (func.params.some((p) => p.value.type.kind !== "f64")) return "takes arrays or objects";
  let loop = false;
  walkOps(func.body, (op) => (loop ||= op.prim === "while"));
  return loop ? "has a loop" : undefined;
}
