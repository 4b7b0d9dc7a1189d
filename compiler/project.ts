// A TypeScript project kept alive between compilations, for the tools that compile one file at a
// time as it changes: the bundler plugins (each rebuild, watch mode) and `adc compile --watch`.
// It is a language service over the project's tsconfig.json, so a rebuild re-checks only what
// changed; the text a bundler hands over for a file replaces what is on disk.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { compilerOptions as defaultOptions, resolveModule } from "./program";

export interface ProjectOptions {
  /** The project's tsconfig.json (default: the nearest one above `root`); false for none. */
  readonly tsconfig?: string | false;
  /** Where to look for tsconfig.json and resolve relative paths from (default: the cwd). */
  readonly root?: string;
}

export class Project {
  readonly configFile: string | undefined;
  private readonly options: ts.CompilerOptions;
  private readonly rootNames = new Set<string>();
  /** Text handed over by a bundler, by resolved file name, with its version. */
  private readonly overrides = new Map<string, { text: string; version: number }>();
  private readonly service: ts.LanguageService;
  private version = 0;

  constructor(options: ProjectOptions = {}) {
    const root = path.resolve(options.root ?? process.cwd());
    this.configFile =
      options.tsconfig === false
        ? undefined
        : options.tsconfig !== undefined
          ? path.resolve(root, options.tsconfig)
          : ts.findConfigFile(root, ts.sys.fileExists);
    let parsed: { options: ts.CompilerOptions; fileNames: string[] } = { options: defaultOptions, fileNames: [] };
    if (this.configFile) {
      const read = ts.readConfigFile(this.configFile, ts.sys.readFile);
      if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
      parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(this.configFile), undefined, this.configFile);
    }
    // adc only reads the program: never emit, and keep the project's plugins (ours among them) out.
    this.options = { ...parsed.options, noEmit: true, plugins: undefined };
    for (const file of parsed.fileNames) this.rootNames.add(path.resolve(file));

    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [...this.rootNames],
      getScriptVersion: (fileName) => {
        const override = this.overrides.get(path.resolve(fileName));
        if (override) return `adc:${override.version}`;
        try {
          return String(fs.statSync(fileName).mtimeMs);
        } catch {
          return "missing";
        }
      },
      getScriptSnapshot: (fileName) => {
        const override = this.overrides.get(path.resolve(fileName));
        const text = override?.text ?? ts.sys.readFile(fileName);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => (this.configFile ? path.dirname(this.configFile) : root),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (fileName) => this.overrides.has(path.resolve(fileName)) || ts.sys.fileExists(fileName),
      readFile: (fileName) => this.overrides.get(path.resolve(fileName))?.text ?? ts.sys.readFile(fileName),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      resolveModuleNameLiterals: (literals, containingFile, _redirect, options) =>
        literals.map((literal) => resolveModule(literal.text, containingFile, options, host)),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** The program with `fileName` reading as `text` (or as on disk), updated incrementally. */
  program(fileName: string, text?: string): ts.Program {
    const file = path.resolve(fileName);
    this.rootNames.add(file);
    const current = this.overrides.get(file);
    if (text !== undefined && current?.text !== text) this.overrides.set(file, { text, version: ++this.version });
    if (text === undefined && current) this.overrides.delete(file);
    return this.service.getProgram()!;
  }

  /** Forgets a file's handed-over text (it changed on disk, or was deleted). */
  invalidate(fileName: string): void {
    this.overrides.delete(path.resolve(fileName));
  }

  dispose(): void {
    this.service.dispose();
  }
}
