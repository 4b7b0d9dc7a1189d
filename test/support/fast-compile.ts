// In-process compilation of many small modules, for the property tests and the fuzz command.
//
// compileSource builds a fresh ts.Program per module: it parses the runtime's sources again each
// time (only .d.ts files are cached) and loads the default library of ES2022, which includes the
// DOM. Generated programs use neither: here every file but the module itself is parsed once per
// process, module resolutions are cached, the previous program is handed to TypeScript for reuse,
// and the library is lib.es2022.d.ts alone. Everything else (compiler options, the resolution of
// "adc", the pipeline) is compileSource's: compileProgramFile is the same entry point. About 5×
// faster per module (test/property.test.ts checks that both give the same code).
//
// The generated module is run after esbuild strips its types (load.ts's ts.transpileModule takes
// longer than compiling a batch of programs); esbuild also rejects malformed code TypeScript's
// transpiler would emit anyway.
import * as path from "node:path";
import { transformSync } from "esbuild";
import ts from "typescript";
import * as runtime from "../../runtime";
import { compileProgramFile, type CompileResult } from "../../compiler";
import { compilerOptions } from "../../compiler/program";
import type { Module } from "./load";

const RUNTIME_ENTRY = path.resolve(__dirname, "../../runtime/index.ts");
const options: ts.CompilerOptions = { ...compilerOptions, lib: ["lib.es2022.d.ts"] };

const sourceFiles = new Map<string, ts.SourceFile | undefined>();
const resolutions = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
let previous: ts.Program | undefined;

function createHost(target: string, text: string): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (path.resolve(name) === target) return ts.createSourceFile(name, text, languageVersion, true);
    if (!sourceFiles.has(name)) sourceFiles.set(name, read(name, languageVersion, onError, shouldCreate));
    return sourceFiles.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === target || fileExists(name);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, opts) =>
    literals.map((literal) => {
      const key = `${containingFile}\0${literal.text}`;
      let found = resolutions.get(key);
      if (!found) {
        found = ts.resolveModuleName(literal.text, containingFile, opts, host);
        if (!found.resolvedModule && literal.text === "adc") {
          found = {
            resolvedModule: { resolvedFileName: RUNTIME_ENTRY, extension: ts.Extension.Ts, isExternalLibraryImport: false },
          } as ts.ResolvedModuleWithFailedLookupLocations;
        }
        resolutions.set(key, found);
      }
      return found;
    });
  return host;
}

/** compileSource(text, fileName), with the per-process caches above. */
export function compileFast(text: string, fileName: string): CompileResult {
  const target = path.resolve(fileName);
  const program = ts.createProgram([target], options, createHost(target, text), previous);
  previous = program;
  return compileProgramFile(program, target);
}

/** Runs a generated module (TypeScript that imports only "adc") and returns its exports. */
export function evaluateFast(code: string, fileName: string): Module {
  const js = transformSync(code, { loader: "ts", format: "cjs", target: "es2022", sourcefile: fileName }).code;
  const module = { exports: {} as Module };
  const requireShim = (spec: string): unknown => {
    if (spec === "adc") return runtime;
    throw new Error(`a generated module imports ${spec}`);
  };
  new Function("require", "exports", "module", js)(requireShim, module.exports, module);
  return module.exports;
}
