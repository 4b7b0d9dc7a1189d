// The ts-patch entry point, as a *program transformer*:
//
//   "plugins": [{ "transform": "adc/transformer", "transformProgram": true }]
//
// ts-patch calls it once from inside ts.createProgram with the finished program. Every file of
// the project (not a library's) that imports "adc" goes through the same pipeline as
// `adc compile` (compileProgramFile); the result is a new program in which those files have their
// transformed text, so tsc type-checks and emits the generated code like any other. No
// compilation logic lives here.
//
// Diagnostics: a file with adc diagnostics keeps its original text, and its diagnostics join
// tsc's semantic diagnostics (so tspc reports them and fails). For a transformed file, tsc would
// report positions in the transformed text, where every line after a splice is shifted; so its
// diagnostics are the original program's (what the editor shows, at the user's own lines), plus
// any the generated code adds, reported at the top of the file with their line in the
// transformed module (`adc compile file.ts` prints it): those are bugs in adc.
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

/** Tells transformed files of different builds apart (see `recreate`). */
const BUILD_ID = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
let transformCount = 0;

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
  /** Transformed text by resolved file name. */
  const transformed = new Map<string, string>();
  /** Diagnostics to report, by resolved file name, once the new program exists. */
  const reports = new Map<string, (file: ts.SourceFile) => ts.Diagnostic[]>();

  for (const sourceFile of program.getSourceFiles()) {
    const fileName = path.resolve(sourceFile.fileName);
    // The files tsc compiles itself (root files and what they import from the project, not
    // libraries), when they import adc.
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
    if (program.isSourceFileDefaultLibrary(sourceFile) || !importsAdc(sourceFile.text)) continue;
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
  reportDiagnostics(result, program, new Set(transformed.keys()), reports, tsi);
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
      // Builder programs (--incremental, --build, --watch) identify file contents by `version`
      // and replay a file's cached diagnostics when it is unchanged, positioned on the new text.
      // Ours are positioned on the original text (see reportDiagnostics), so a transformed file
      // gets a version no later build (nor a later rebuild under --watch) will match: it is
      // checked afresh every time.
      if (old?.version !== undefined) {
        (sourceFile as ts.SourceFile & { version?: string }).version = `adc:${createHash("sha256")
          .update(code)
          .digest("hex")}:${BUILD_ID}.${++transformCount}`;
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

type DiagnosticsGetter = (sourceFile?: ts.SourceFile, token?: ts.CancellationToken) => readonly ts.Diagnostic[];

/**
 * Rewires the per-file diagnostics tsc reads from `result`: `getSyntacticDiagnostics` and
 * `getSemanticDiagnostics` (what tsc reports), and `getBindAndCheckDiagnostics` (what builder
 * programs, --incremental and --build, read per file). Transformed files answer from `original`
 * (see the top of this file); files adc refused get adc's diagnostics appended.
 */
function reportDiagnostics(
  result: ts.Program,
  original: ts.Program,
  transformed: ReadonlySet<string>,
  reports: ReadonlyMap<string, (file: ts.SourceFile) => ts.Diagnostic[]>,
  tsi: typeof ts,
): void {
  const methods = ["getSyntacticDiagnostics", "getSemanticDiagnostics", "getBindAndCheckDiagnostics"] as const;
  const programs = [result, original] as unknown as Record<(typeof methods)[number], DiagnosticsGetter | undefined>[];
  const [target, before] = programs;
  for (const method of methods) {
    const get = target[method];
    const getOriginal = before[method];
    if (!get || !getOriginal) continue; // getBindAndCheckDiagnostics is internal API: may vanish
    const perFile = (file: ts.SourceFile, token?: ts.CancellationToken): readonly ts.Diagnostic[] => {
      const fileName = path.resolve(file.fileName);
      if (transformed.has(fileName)) {
        const originalFile = original.getSourceFile(file.fileName)!;
        const theirs = getOriginal.call(original, originalFile, token);
        const unmatched = [...theirs];
        const added = get
          .call(result, file, token)
          .filter((d) => {
            const i = unmatched.findIndex((o) => sameDiagnostic(tsi, o, d));
            if (i >= 0) unmatched.splice(i, 1);
            return i < 0;
          })
          .map((d) => inGeneratedCode(tsi, d, file, originalFile));
        return [...theirs, ...added];
      }
      const diagnostics = get.call(result, file, token);
      const adc = method === "getSyntacticDiagnostics" ? undefined : reports.get(fileName);
      return adc ? [...diagnostics, ...adc(file)] : diagnostics;
    };
    target[method] = (sourceFile, token) =>
      sourceFile
        ? perFile(sourceFile, token)
        : tsi.sortAndDeduplicateDiagnostics(result.getSourceFiles().flatMap((file) => perFile(file, token)));
  }
}

/** The same complaint about the same code (by text: positions differ between the two files). */
function sameDiagnostic(tsi: typeof ts, a: ts.Diagnostic, b: ts.Diagnostic): boolean {
  const span = (d: ts.Diagnostic) =>
    d.file && d.start !== undefined ? d.file.text.slice(d.start, d.start + (d.length ?? 0)) : undefined;
  return (
    a.code === b.code &&
    span(a) === span(b) &&
    tsi.flattenDiagnosticMessageText(a.messageText, "\n") === tsi.flattenDiagnosticMessageText(b.messageText, "\n")
  );
}

/** A diagnostic in text adc added, moved to the top of the original file with its transformed line. */
function inGeneratedCode(
  tsi: typeof ts,
  d: ts.Diagnostic,
  transformedFile: ts.SourceFile,
  originalFile: ts.SourceFile,
): ts.Diagnostic {
  const where =
    d.start === undefined ? "" : ((lc) => ` (line ${lc.line + 1}, column ${lc.character + 1})`)(
      transformedFile.getLineAndCharacterOfPosition(d.start),
    );
  const message = tsi.flattenDiagnosticMessageText(d.messageText, "\n");
  return {
    ...d,
    file: originalFile,
    start: 0,
    length: 0,
    messageText:
      `adc: in the code adc generated for this file${where} of the module \`adc compile\` prints: ` +
      `${message} (this is a bug in adc; please report it)`,
    relatedInformation: undefined,
  };
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
