// Building a ts.Program for the CLI and the tests. The import "adc" resolves as in the user's
// project when adc is installed there, and to this package's own runtime otherwise.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

/** Resolves an import as TypeScript does, with "adc" falling back to this package's runtime. */
export function resolveModule(
  name: string,
  containingFile: string,
  options: ts.CompilerOptions,
  host: ts.ModuleResolutionHost,
): ts.ResolvedModuleWithFailedLookupLocations {
  const found = ts.resolveModuleName(name, containingFile, options, host);
  if (found.resolvedModule || name !== "adc") return found;
  const resolvedFileName = ownRuntime();
  return {
    resolvedModule: {
      resolvedFileName,
      extension: resolvedFileName.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts,
      isExternalLibraryImport: false,
    },
  };
}

/** This package's runtime entry: the sources when present (development), else the build. */
function ownRuntime(): string {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
  const source = path.join(root, "runtime", "index.ts");
  return fs.existsSync(source) ? source : path.join(root, "dist", "runtime", "index.d.ts");
}

// Declaration files (the standard library above all) are parsed once per process: parsing lib.d.ts
// dominates the cost of a small program, and the CLI and tests build many.
const declarationFiles = new Map<string, ts.SourceFile>();

/** A program over `fileName` (and what it imports); `text` overrides the file's contents. */
export function createProgram(fileName: string, text?: string, extraOptions: ts.CompilerOptions = {}): ts.Program {
  const options = { ...compilerOptions, ...extraOptions };
  const host = ts.createCompilerHost(options, true);
  const target = path.resolve(fileName);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (!name.endsWith(".d.ts")) return readSourceFile(name, languageVersion, onError, shouldCreate);
    let file = declarationFiles.get(name);
    if (!file) {
      file = readSourceFile(name, languageVersion, onError, shouldCreate);
      if (file) declarationFiles.set(name, file);
    }
    return file;
  };
  if (text !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
      path.resolve(name) === target
        ? ts.createSourceFile(name, text, languageVersion, true)
        : getSourceFile(name, languageVersion, onError, shouldCreate);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === target || fileExists(name);
  }
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, options) =>
    literals.map((literal) => resolveModule(literal.text, containingFile, options, host));
  return ts.createProgram([target], options, host);
}
