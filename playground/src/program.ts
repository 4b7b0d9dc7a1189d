// A ts.Program over the playground's one file, on an in-memory host: the standard library and adc's
// runtime come from the virtual file system, and their parsed (and bound) source files are kept
// between programs, so each keystroke re-parses only the user's text.
import ts from "typescript";
import { compilerOptions } from "../../compiler/program";
import { files, libDirectory, runtimeEntry } from "./virtual-fs";

/** The user's module: generated comments and diagnostics name it. */
export const inputFile = "/playground.ts";

// The CLI's options, with the ES2022 library alone (no DOM: differentiated code needs none).
const options: ts.CompilerOptions = { ...compilerOptions, lib: ["lib.es2022.d.ts"] };

const parsed = new Map<string, ts.SourceFile>();

export function createProgram(text: string): ts.Program {
  const read = (name: string) => (name === inputFile ? text : files.get(name));
  const host: ts.CompilerHost = {
    getSourceFile(name, languageVersion) {
      if (name === inputFile) return ts.createSourceFile(name, text, languageVersion, true);
      let file = parsed.get(name);
      const content = files.get(name);
      if (!file && content !== undefined) {
        file = ts.createSourceFile(name, content, languageVersion, true);
        parsed.set(name, file);
      }
      return file;
    },
    getDefaultLibFileName: () => `${libDirectory}/lib.d.ts`,
    getDefaultLibLocation: () => libDirectory,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => read(name) !== undefined,
    readFile: read,
    directoryExists: (dir) => dir === "/" || [...files.keys(), inputFile].some((name) => name.startsWith(`${dir}/`)),
  };
  // "adc" is the runtime in the virtual file system; anything else resolves as TypeScript would.
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, resolutionOptions) =>
    literals.map((literal) =>
      literal.text === "adc"
        ? { resolvedModule: { resolvedFileName: runtimeEntry, extension: ts.Extension.Ts, isExternalLibraryImport: false } }
        : ts.resolveModuleName(literal.text, containingFile, resolutionOptions, host),
    );
  return ts.createProgram([inputFile], options, host);
}
