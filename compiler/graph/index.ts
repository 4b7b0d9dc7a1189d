// `adc graph`: one function's SSA graph, optionally evaluated at a point, as DOT (or SVG).
import * as path from "node:path";
import ts from "typescript";
import type { AdcDiagnostic } from "../diagnostics";
import { functionKey, type FunctionLike } from "../frontend/resolve";
import type { Func } from "../ir/types";
import { lowerClosure } from "../module";
import { toDot, type Mode } from "./dot";
import { GraphRequestError } from "./errors";
import { evaluate, type Functions } from "./evaluate";
import type { PointValue } from "./point";
import { drawnNodes } from "./trace-dot";

export { renderSvg } from "./svg";
export { GraphRequestError } from "./errors";
export type { Mode } from "./dot";
export { parsePoint, type PointValue } from "./point";

/** How many nodes an evaluated graph may have (loops unrolled) unless `maxNodes` says otherwise. */
export const defaultMaxNodes = 500;

export interface GraphOptions {
  /** The function: `f`, or `Class.method` for a static method. */
  readonly fn: string;
  /** The point to evaluate at, one value per parameter (a number, an array, an object). */
  readonly at?: readonly PointValue[];
  readonly mode?: Mode;
  /** The most nodes an evaluated graph may have (default `defaultMaxNodes`). */
  readonly maxNodes?: number;
}

export function graphOfSourceFile(
  checker: ts.TypeChecker,
  sourceFile: ts.SourceFile,
  options: GraphOptions,
): { dot: string | undefined; diagnostics: readonly AdcDiagnostic[] } {
  const lowered = lowerForGraph(checker, sourceFile, options.fn);
  if (!lowered.func) return { dot: undefined, diagnostics: lowered.diagnostics };
  const { func, functions } = lowered;
  if (options.at === undefined) return { dot: toDot(func), diagnostics: [] };
  const n = func.params.length;
  if (options.at.length !== n) {
    const names = func.params.map((p) => p.name).join(", ");
    throw new GraphRequestError(`--at gives ${options.at.length} value${options.at.length === 1 ? "" : "s"} but ${options.fn} takes ${n} (${names})`);
  }
  const trace = evaluate(func, options.at, functions);
  const nodes = drawnNodes(trace);
  const maxNodes = options.maxNodes ?? defaultMaxNodes;
  if (nodes > maxNodes) {
    throw new GraphRequestError(
      `the trace of ${options.fn} at this point has ${nodes} nodes, more than the ${maxNodes} adc graph draws: ` +
        "choose a point where its loops run fewer times, raise --max-nodes, or leave out --at to draw the loops as clusters",
    );
  }
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
