// The one pipeline both entry points (the CLI and the ts-patch transformer) call:
// frontend (TS → IR) → ad (reverse mode) → opt → backend (IR → TypeScript).
import * as path from "node:path";
import ts from "typescript";
import { Codes, type AdcDiagnostic } from "./diagnostics";
import { createProgram } from "./program";
import { transformModule, type Replacement } from "./module";
import type { EncodedSourceMap } from "./source-map";
import { printFunctionsIr } from "./ir-dump";
import { graphOfSourceFile, type GraphOptions } from "./graph";

export type { AdcDiagnostic } from "./diagnostics";
export { formatDiagnostic } from "./diagnostics";

export interface CompileResult {
  readonly fileName: string;
  /** The transformed module; undefined when there are diagnostics. */
  readonly code: string | undefined;
  readonly diagnostics: readonly AdcDiagnostic[];
  /** The source map of `code` back to the user's lines (see source-map.ts). */
  readonly map?: EncodedSourceMap;
  /** The operator calls replaced by generated functions (their spans in the source) and the names. */
  readonly replacements?: readonly Replacement[];
}

/** Transforms one source file of an existing program. */
export function compileProgramFile(program: ts.Program, fileName: string): CompileResult {
  const sourceFile = program.getSourceFile(path.resolve(fileName)) ?? program.getSourceFile(fileName);
  if (!sourceFile) throw new Error(`adc: ${fileName} is not part of the program`);
  const syntax = syntaxDiagnostics(program, sourceFile);
  if (syntax.length > 0) return { fileName: sourceFile.fileName, code: undefined, diagnostics: syntax };
  const { code, diagnostics, map, replacements } = transformModule(program, sourceFile);
  if (diagnostics.length > 0) return { fileName: sourceFile.fileName, code: undefined, diagnostics };
  return { fileName: sourceFile.fileName, code, diagnostics, map, replacements };
}

/** Reads, type-checks and transforms a file on disk. */
export function compileFile(fileName: string): CompileResult {
  return compileProgramFile(createProgram(fileName), fileName);
}

/** Transforms module text as if it were the file `fileName` (relative imports resolve from there). */
export function compileSource(text: string, fileName = "input.ts"): CompileResult {
  return compileProgramFile(createProgram(fileName, text), fileName);
}

/** The SSA IR of every function the file marks, as text (what `adc ir` prints). */
export function irOfFile(fileName: string): { text: string; diagnostics: readonly AdcDiagnostic[] } {
  const program = createProgram(fileName);
  const sourceFile = program.getSourceFile(path.resolve(fileName))!;
  return printFunctionsIr(program, sourceFile);
}

/**
 * The graph of one function of a file (what `adc graph` prints) as DOT; undefined when the file has
 * diagnostics. Throws GraphRequestError for an unknown function or a point of the wrong arity.
 */
export function graphOfFile(fileName: string, options: GraphOptions): { dot: string | undefined; diagnostics: readonly AdcDiagnostic[] } {
  const program = createProgram(fileName);
  const sourceFile = program.getSourceFile(path.resolve(fileName))!;
  const syntax = syntaxDiagnostics(program, sourceFile);
  if (syntax.length > 0) return { dot: undefined, diagnostics: syntax };
  return graphOfSourceFile(program.getTypeChecker(), sourceFile, options);
}

function syntaxDiagnostics(program: ts.Program, sourceFile: ts.SourceFile): AdcDiagnostic[] {
  return program.getSyntacticDiagnostics(sourceFile).map((d) => syntaxDiagnostic(d, sourceFile));
}

function syntaxDiagnostic(d: ts.DiagnosticWithLocation, sourceFile: ts.SourceFile): AdcDiagnostic {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start);
  return {
    code: Codes.Syntax,
    message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    fileName: sourceFile.fileName,
    line: line + 1,
    column: character + 1,
    start: d.start,
    length: d.length,
    sourceText: sourceFile.text,
  };
}
