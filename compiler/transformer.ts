// The ts-patch entry point, as a *program transformer*:
//
//   "plugins": [{ "transform": "adc/transformer", "transformProgram": true }]
//
// ts-patch calls it once from inside ts.createProgram with the finished program. Every root file
// that imports "adc" goes through the same pipeline as `adc compile` (compileProgramFile); the
// result is a new program in which those files have their transformed text, so tsc type-checks
// and emits the generated code like any other. A file with adc diagnostics keeps its original
// text, and its diagnostics join tsc's own semantic diagnostics (so tspc reports them and fails).
// No compilation logic lives here.
import { createHash } from "node:crypto";
import * as path from "node:path";
import type * as ts from "typescript";
import { compileProgramFile } from "./index";
import { toTsDiagnostic } from "./diagnostics";

/** What ts-patch passes as `config`: the plugin's entry from tsconfig.json. */
export interface PluginConfig {
  readonly transform?: string;
  readonly transformProgram?: boolean;
  readonly [option: string]: unknown;
}

export interface ProgramTransformerExtras {
  /** The TypeScript instance tsc runs on (patched by ts-patch). */
  readonly ts: typeof ts;
}

/** A code for diagnostics that report a crash of adc itself rather than a refusal. */
export const INTERNAL_ERROR_CODE = 9999;

/** Cheap check before any real work: does the file import (or require) the "adc" package? */
export function importsAdc(text: string): boolean {
  return (
    text.includes("adc") && /(?:\bfrom|\bimport|\brequire\s*\()\s*["']adc["']/.test(text)
  );
}

// ts-patch 3.3 does not re-run a program transformer while it is active, and we build the new
// program with the unpatched `originalCreateProgram` when ts-patch exposes it (so no transformer,
// ours or another plugin's, runs a second time). This flag guards any other setup.
let active = false;

export default function adcProgramTransformer(
  program: ts.Program,
  host: ts.CompilerHost | undefined,
  _config: PluginConfig,
  extras: ProgramTransformerExtras,
): ts.Program {
  if (active) return program;
  active = true;
  try {
    return transformProgram(program, host, extras.ts);
  } finally {
    active = false;
  }
}

function transformProgram(program: ts.Program, host: ts.CompilerHost | undefined, tsi: typeof ts): ts.Program {
  const rootFiles = new Set(program.getRootFileNames().map((f) => path.resolve(f)));
  /** Transformed text by resolved file name. */
  const transformed = new Map<string, string>();
  /** Diagnostics to report, by resolved file name, once the new program exists. */
  const reports = new Map<string, (file: ts.SourceFile) => ts.Diagnostic[]>();

  for (const sourceFile of program.getSourceFiles()) {
    const fileName = path.resolve(sourceFile.fileName);
    if (!rootFiles.has(fileName) || sourceFile.isDeclarationFile) continue;
    if (!importsAdc(sourceFile.text)) continue;
    try {
      const result = compileProgramFile(program, sourceFile.fileName);
      if (result.diagnostics.length > 0) {
        const diagnostics = result.diagnostics;
        reports.set(fileName, (file) => diagnostics.map((d) => toTsDiagnostic(d, file)));
      } else if (result.code !== undefined && result.code !== sourceFile.text) {
        transformed.set(fileName, result.code);
      }
    } catch (error) {
      // A crash in adc must not take tsc down with a stack trace: report it on the file.
      const message = error instanceof Error ? error.message : String(error);
      reports.set(fileName, (file) => [internalError(tsi, file, message)]);
    }
  }
  if (transformed.size === 0 && reports.size === 0) return program;

  const result = transformed.size === 0 ? program : recreate(program, host, tsi, transformed);
  if (reports.size > 0) appendDiagnostics(result, reports);
  return result;
}

/** The same program, except that the files in `transformed` read as their new text. */
function recreate(
  program: ts.Program,
  host: ts.CompilerHost | undefined,
  tsi: typeof ts,
  transformed: ReadonlyMap<string, string>,
): ts.Program {
  const options = program.getCompilerOptions();
  const base = host ?? tsi.createCompilerHost(options);
  const newHost: ts.CompilerHost = Object.create(base);

  const serve = (
    fileName: string,
    languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
  ): ts.SourceFile | undefined => {
    const code = transformed.get(path.resolve(fileName));
    if (code !== undefined) {
      const sourceFile = tsi.createSourceFile(fileName, code, languageVersion, true);
      const old = program.getSourceFile(fileName) as (ts.SourceFile & { version?: string }) | undefined;
      // Builder programs (incremental builds) identify file contents by `version`.
      if (old?.version !== undefined) {
        (sourceFile as ts.SourceFile & { version?: string }).version = createHash("sha256")
          .update(code)
          .digest("hex");
      }
      return sourceFile;
    }
    // Unchanged files: hand back the old program's SourceFile, so createProgram reuses it (and
    // its binding) instead of reading and parsing it again.
    return program.getSourceFile(fileName);
  };

  newHost.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    serve(fileName, languageVersion) ?? base.getSourceFile(fileName, languageVersion, onError, shouldCreate);
  if (base.getSourceFileByPath) {
    const byPath = base.getSourceFileByPath;
    newHost.getSourceFileByPath = (fileName, filePath, languageVersion, onError, shouldCreate) =>
      serve(fileName, languageVersion) ??
      byPath.call(base, fileName, filePath, languageVersion, onError, shouldCreate);
  }
  const readFile = base.readFile;
  newHost.readFile = (fileName) => transformed.get(path.resolve(fileName)) ?? readFile.call(base, fileName);

  const create =
    (tsi as typeof ts & { originalCreateProgram?: typeof ts.createProgram }).originalCreateProgram ??
    tsi.createProgram;
  return create({
    rootNames: program.getRootFileNames(),
    options,
    host: newHost,
    oldProgram: program,
    projectReferences: program.getProjectReferences(),
    configFileParsingDiagnostics: program.getConfigFileParsingDiagnostics(),
  });
}

/**
 * Adds adc's diagnostics to the program's semantic diagnostics: `getSemanticDiagnostics` is what
 * tsc reports; `getBindAndCheckDiagnostics` is what builder programs (--incremental, --build)
 * read per file. tsc sorts and deduplicates what it collects, so wrapping both is safe.
 */
function appendDiagnostics(
  program: ts.Program,
  reports: ReadonlyMap<string, (file: ts.SourceFile) => ts.Diagnostic[]>,
): void {
  const extra = (sourceFile: ts.SourceFile | undefined): ts.Diagnostic[] => {
    const files = sourceFile ? [sourceFile] : program.getSourceFiles();
    return files.flatMap((file) => reports.get(path.resolve(file.fileName))?.(file) ?? []);
  };
  const p = program as ts.Program & {
    getBindAndCheckDiagnostics?: (sourceFile: ts.SourceFile, token?: ts.CancellationToken) => readonly ts.Diagnostic[];
  };
  const getSemanticDiagnostics = p.getSemanticDiagnostics;
  p.getSemanticDiagnostics = (sourceFile, token) => [
    ...getSemanticDiagnostics.call(p, sourceFile, token),
    ...extra(sourceFile),
  ];
  const getBindAndCheckDiagnostics = p.getBindAndCheckDiagnostics;
  if (getBindAndCheckDiagnostics) {
    p.getBindAndCheckDiagnostics = (sourceFile, token) => [
      ...getBindAndCheckDiagnostics.call(p, sourceFile, token),
      ...extra(sourceFile),
    ];
  }
}

function internalError(tsi: typeof ts, file: ts.SourceFile, message: string): ts.Diagnostic {
  return {
    category: tsi.DiagnosticCategory.Error,
    code: INTERNAL_ERROR_CODE,
    file,
    start: 0,
    length: 0,
    messageText: `adc: internal error while compiling this file: ${message} (this is a bug in adc; please report it)`,
    source: "adc",
  };
}
