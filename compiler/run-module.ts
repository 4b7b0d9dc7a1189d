// Running a TypeScript module in this process the way adc compiles it (what `adc run` and
// `adc check` do): the file and the project files it imports are compiled by adc when they import
// "adc" (else only stripped of their types), transpiled to CommonJS in memory and evaluated by
// Node's own module loader, so stack traces name the real files. "adc" is this package's runtime;
// other packages resolve from the importing file, as Node would resolve them.
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import ts from "typescript";
import type { AdcDiagnostic } from "./diagnostics";
import { compileProgramFile } from "./index";
import { createProgram } from "./program";
import { inlineSourceMapComment, type EncodedSourceMap } from "./source-map";
import { importsAdc } from "./transformer";

export type ModuleExports = Record<string, any>;

// Its published types do not parse (remapping.d.cts is not valid TypeScript): typed here.
const remapping = require("@jridgewell/remapping") as (maps: EncodedSourceMap[], loader: () => null) => EncodedSourceMap;

/** adc refused a file the module imports: its diagnostics, not a crash. */
export class ModuleDiagnostics extends Error {
  constructor(readonly diagnostics: readonly AdcDiagnostic[]) {
    super(`adc refused ${diagnostics[0]?.fileName ?? "a module"}`);
  }
}

const TS_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"];

/**
 * Evaluates the module `fileName` whose adc-compiled text is `code` and returns its exports.
 * Throws ModuleDiagnostics when a project file it imports is refused; whatever the module itself
 * throws propagates unchanged.
 */
export function runCompiledModule(code: string, fileName: string): ModuleExports {
  return new Loader().evaluate(code, path.resolve(fileName));
}

/** Compiles `fileName` with adc and evaluates it (see runCompiledModule). */
export function runModule(fileName: string): ModuleExports {
  return new Loader().load(path.resolve(fileName));
}

class Loader {
  private readonly modules = new Map<string, Module>();
  private runtime: ModuleExports | undefined;

  load(file: string): ModuleExports {
    const cached = this.modules.get(file);
    if (cached) return cached.exports as ModuleExports;
    const text = fs.readFileSync(file, "utf8");
    if (!importsAdc(text)) return this.evaluate(text, file);
    const result = compileProgramFile(createProgram(file), file);
    if (result.code === undefined) throw new ModuleDiagnostics(result.diagnostics);
    return this.evaluate(result.code, file, result.map);
  }

  /** `map`: adc's source map of `code` back to the user's text, when adc transformed it. */
  evaluate(code: string, file: string, map?: EncodedSourceMap): ModuleExports {
    const output = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: true },
      fileName: file,
    });
    // The JavaScript's map to the TypeScript, composed with adc's back to the user's lines, goes
    // inline; Node applies it to stack traces once source maps are enabled.
    const jsMap = JSON.parse(output.sourceMapText!) as EncodedSourceMap;
    const composed = map ? remapping([jsMap, map], () => null) : { ...jsMap, sourcesContent: [code] };
    const js = `${output.outputText.replace(/\/\/# sourceMappingURL=.*\s*$/, "")}\n${inlineSourceMapComment(composed)}\n`;
    process.setSourceMapsEnabled(true);
    const module = new Module(file, require.main);
    module.filename = file;
    module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    this.modules.set(file, module);
    const nodeRequire = Module.createRequire(file);
    const localRequire = Object.assign((spec: string): unknown => this.require(spec, file, nodeRequire), nodeRequire);
    module.require = localRequire as NodeJS.Require;
    // Module#_compile wraps the code like any CommonJS file and registers its source map, if any.
    (module as unknown as { _compile(code: string, file: string): void })._compile(js, file);
    module.loaded = true;
    return module.exports as ModuleExports;
  }

  private require(spec: string, from: string, nodeRequire: NodeJS.Require): unknown {
    if (spec === "adc") return (this.runtime ??= require("../runtime") as ModuleExports);
    if (spec.startsWith(".") || path.isAbsolute(spec)) {
      const file = resolveSource(path.resolve(path.dirname(from), spec));
      if (file) return this.load(file);
    }
    return nodeRequire(spec);
  }
}

/** The TypeScript file an import names: `./m`, `./m.js` (as written for node16), `./dir`. */
function resolveSource(base: string): string | undefined {
  const stem = base.replace(/\.[cm]?jsx?$/, "");
  const candidates = [
    ...(TS_EXTENSIONS.some((e) => base.endsWith(e)) ? [base] : []),
    ...TS_EXTENSIONS.map((e) => `${stem}${e}`),
    ...TS_EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  return candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile() && !f.endsWith(".d.ts"));
}

/** What to print for an exception the program threw: its stack without adc's loader under it. */
export function programError(error: unknown): string {
  if (!(error instanceof Error) || !error.stack) return `Uncaught ${String(error)}`;
  const lines = error.stack.split("\n");
  const loader = lines.findIndex((line) => /[\\/]run-module\.[jt]s:/.test(line));
  if (loader < 0) return error.stack;
  const end = loader > 0 && /\bModule\._compile\b/.test(lines[loader - 1]) ? loader - 1 : loader;
  return lines.slice(0, end).join("\n");
}
