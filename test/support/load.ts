// Compiles a TypeScript file with adc and evaluates the result as a CommonJS module, so tests
// can call the generated derivatives. Relative imports are compiled the same way; "adc" is the
// runtime from source.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as runtime from "../../runtime";
import { compileFile, compileSource, type CompileResult } from "../../compiler";
import { formatDiagnostic } from "../../compiler/diagnostics";

export type Module = Record<string, any>;

function failIfDiagnostics(result: CompileResult): string {
  if (result.diagnostics.length > 0 || result.code === undefined) {
    throw new Error(result.diagnostics.map((d) => formatDiagnostic(d)).join("\n") || "no code");
  }
  return result.code;
}

/** Evaluates TypeScript module text as CommonJS; `fileName` anchors relative imports. */
export function evaluate(code: string, fileName: string, cache = new Map<string, Module>()): Module {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName,
  }).outputText;
  const module = { exports: {} as Module };
  cache.set(fileName, module.exports);
  const requireShim = (spec: string): unknown => {
    if (spec === "adc") return runtime;
    if (spec.startsWith(".")) {
      const base = path.resolve(path.dirname(fileName), spec);
      const file = [base, `${base}.ts`, path.join(base, "index.ts")].find(
        (f) => fs.existsSync(f) && fs.statSync(f).isFile(),
      );
      if (!file) throw new Error(`cannot resolve ${spec} from ${fileName}`);
      return cache.get(file) ?? loadCompiled(file, cache);
    }
    return require(spec);
  };
  new Function("require", "exports", "module", js)(requireShim, module.exports, module);
  return module.exports;
}

/** Compiles a file on disk with adc and evaluates it. */
export function loadCompiled(fileName: string, cache = new Map<string, Module>()): Module {
  const file = path.resolve(fileName);
  return evaluate(failIfDiagnostics(compileFile(file)), file, cache);
}

/** Compiles module text with adc (as if it were at `fileName`) and evaluates it. */
export function loadSource(text: string, fileName = path.resolve("fixtures/__inline__.ts")): Module {
  return evaluate(failIfDiagnostics(compileSource(text, fileName)), fileName);
}
