// `adc compile` of many files at once (directories, several files, a tsconfig.json) into an out
// dir, once or on every change (--watch): one kept TypeScript project for all of them, each file
// written atomically, and files with diagnostics left as they were.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { AdcDiagnostic } from "./diagnostics";
import { compileProgramFile } from "./index";
import { Project } from "./project";
import { importsAdc } from "./transformer";

export interface BatchInput {
  /** The TypeScript files to compile. */
  readonly files: readonly string[];
  /** Output paths are these files' paths relative to `root`. */
  readonly root: string;
  /** The tsconfig.json named as the input, if one was. */
  readonly tsconfig?: string;
}

/** The files named by the arguments: .ts files, directories (searched, without node_modules), a tsconfig.json. */
export function expandInputs(inputs: readonly string[]): BatchInput {
  const files = new Set<string>();
  let tsconfig: string | undefined;
  for (const input of inputs.map((i) => path.resolve(i))) {
    if (input.endsWith(".json")) {
      const read = ts.readConfigFile(input, ts.sys.readFile);
      if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(input), undefined, input);
      parsed.fileNames.filter(isSource).forEach((f) => files.add(path.resolve(f)));
      tsconfig = input;
    } else if (fs.statSync(input).isDirectory()) {
      for (const f of walk(input)) files.add(f);
    } else {
      files.add(input);
    }
  }
  const list = [...files].sort();
  return { files: list, root: commonDirectory(list), tsconfig };
}

export interface BatchResult {
  readonly written: readonly string[];
  readonly diagnostics: readonly AdcDiagnostic[];
}

/** Compiles inputs into an out dir, keeping one TypeScript project between calls. */
export class Batch {
  private readonly project: Project;

  constructor(
    private readonly input: BatchInput,
    private readonly outDir: string,
    private readonly write: (file: string, text: string) => void,
  ) {
    this.project = new Project({ tsconfig: input.tsconfig ?? false, root: input.root });
  }

  /** Compiles `files` (default: all inputs); a file adc refuses is not written. */
  run(files: readonly string[] = this.input.files): BatchResult {
    const written: string[] = [];
    const diagnostics: AdcDiagnostic[] = [];
    for (const file of files) this.project.invalidate(file);
    for (const file of files) {
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, "utf8");
      let code = text;
      if (importsAdc(text)) {
        const result = compileProgramFile(this.project.program(file), file);
        if (result.code === undefined) {
          diagnostics.push(...result.diagnostics);
          continue;
        }
        code = result.code;
      }
      const target = path.join(this.outDir, path.relative(this.input.root, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      this.write(target, code);
      written.push(target);
    }
    return { written, diagnostics };
  }
}

function isSource(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?tsx?$/.test(file);
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (isSource(entry.name)) yield full;
  }
}

function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let dir = path.dirname(files[0]);
  while (!files.every((f) => f.startsWith(dir + path.sep))) dir = path.dirname(dir);
  return dir;
}
