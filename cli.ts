// The `adc` command: argument parsing and printing only. Everything else is the pipeline in
// compiler/index.ts, which the ts-patch transformer calls too.
//
// Exit codes: 0 success (`adc run`: the program's exit code); 1 the input has adc diagnostics
// (printed to stderr), or the program `adc run` runs threw; 2 usage error
// (unknown command or option, missing or unreadable input, unwritable output); 3 internal error
// (a bug in adc: the message is printed, the stack only with ADC_DEBUG=1).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { compileFile, graphOfFile, irOfFile } from "./compiler";
import { CodeDescriptions, formatDiagnostic, isStackOverflow, nestingDiagnostic, type AdcDiagnostic } from "./compiler/diagnostics";
import { defaultMaxNodes, GraphRequestError, parsePoint, renderSvg, type Mode, type PointValue } from "./compiler/graph";
import { CheckUnsupported, checkFile, formatCheck } from "./compiler/check";
import { ModuleDiagnostics, programError, runModule } from "./compiler/run-module";
import { Batch, expandInputs } from "./compiler/batch";
import { applyEditsMapped, inlineSourceMapComment, relocateSourceMap, type EncodedSourceMap } from "./compiler/source-map";

export const ExitCode = { Ok: 0, Diagnostics: 1, Usage: 2, Internal: 3 } as const;

const COMMANDS: Record<string, string> = {
  run: "compile the file (and the project files it imports) in memory and run it with Node",
  compile: "print the module with the generated derivative functions (or write it with -o)",
  ir: "print the SSA IR of every function the file marks for differentiation",
  graph: "draw one function's computational graph as DOT or SVG (options below)",
  check: "compare reverse mode, forward mode and central differences for every marked function at random points",
};

/** The options only `adc graph` takes. */
const GRAPH_OPTIONS = ["fn", "at", "mode", "format", "max-nodes"] as const;

/** A problem with how adc was invoked: one line, then a pointer to --help, exit 2. */
class UsageError extends Error {}

function usage(): string {
  const codes = Object.entries(CodeDescriptions)
    .map(([code, text]) => `  ADC${code}  ${text}`)
    .join("\n");
  const commands = Object.entries(COMMANDS)
    .map(([name, text]) => `  ${name.padEnd(9)}${text}`)
    .join("\n");
  return `Usage: adc <command> <file.ts> [options]
       adc run <file.ts> [arguments for the program...]
       adc compile <files, directories or tsconfig.json...> --out-dir <dir> [--watch]

adc differentiates TypeScript functions at build time: every function passed to grad, valueAndGrad
or vjp (imported from "adc") gets generated derivative functions, and the calls are replaced.

Commands:
${commands}

Options:
  -o, --output <file>  write the result to <file> instead of stdout (written atomically)
      --out-dir <dir>  compile: several inputs (files, directories, a tsconfig.json) into <dir>,
                       at their paths relative to the inputs' common directory
      --watch          compile --out-dir: compile again whenever an input changes
      --source-map     compile: a source map back to your lines, in <file>.map beside -o's file
                       (with a sourceMappingURL comment), or inline on stdout
      --seed <n>       check: the seed of the random points (default 1)
      --points <n>     check: points per function (default 3)
  -h, --help           show this help
      --version        print the version

adc graph <file.ts> --fn <name> [--at x1,x2,...] [--mode forward|reverse] [--format dot|svg]:
      --fn <name>      the function to draw: a top-level function, or Class.method
      --at <point>     evaluate at this point, one value per parameter: numbers, arrays, objects
                       (--at 2,0.5 or --at '[1,2,3],{w:1,b:0}'); loops are drawn unrolled, one
                       cluster per iteration; without --at, each loop is one cluster
      --max-nodes <n>  with --at: the most nodes the unrolled trace may have (default ${defaultMaxNodes})
      --mode <mode>    with --at: reverse (default) shows adjoints ū = ∂f/∂u; forward shows the
                       tangents u̇ = ∂u/∂xᵢ, one per input direction
      --format <fmt>   dot (default) or svg; without it, taken from the -o file's extension

Exit codes:
  0  success
  1  the file has diagnostics (printed to stderr); nothing is written; or check found a disagreement;
     or the program adc run runs threw (otherwise adc run exits with the program's exit code)
  2  usage error: unknown command or option, missing or unreadable input, unwritable output
  3  internal error in adc (please report it; ADC_DEBUG=1 prints the stack)

Diagnostic codes:
${codes}

With tsc: add { "transform": "adc/transformer", "transformProgram": true } to
compilerOptions.plugins in tsconfig.json and build with tspc (from ts-patch).
`;
}

function version(): string {
  // cli.ts runs from the repository root (tsx) or from dist/ (built): find package.json upwards.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "adc" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}

interface Invocation {
  readonly command?: string;
  readonly file?: string;
  /** `adc compile` of many files into a directory. */
  readonly batch?: { readonly inputs: readonly string[]; readonly outDir: string; readonly watch: boolean };
  /** `adc run`: the program's own arguments (its process.argv.slice(2)). */
  readonly args?: readonly string[];
  readonly output?: string;
  readonly sourceMap: boolean;
  readonly seed?: number;
  readonly points?: number;
  readonly help: boolean;
  readonly version: boolean;
  readonly graph?: GraphRequest;
}

interface GraphRequest {
  readonly fn: string;
  readonly at?: PointValue[];
  readonly mode?: Mode;
  readonly format: "dot" | "svg";
  readonly maxNodes?: number;
}

function parse(argv: string[]): Invocation {
  // `adc run file.ts …`: everything after the file belongs to the program, options included.
  if (argv[0] === "run" && argv[1] !== undefined && !argv[1].startsWith("-")) {
    checkInput(argv[1]);
    return { command: "run", file: argv[1], args: argv.slice(2), sourceMap: false, help: false, version: false };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: "string", short: "o" },
        "source-map": { type: "boolean" },
        "out-dir": { type: "string" },
        watch: { type: "boolean" },
        seed: { type: "string" },
        points: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
        fn: { type: "string" },
        at: { type: "string" },
        mode: { type: "string" },
        format: { type: "string" },
        "max-nodes": { type: "string" },
      },
    });
  } catch (error) {
    // parseArgs throws TypeErrors with codes ERR_PARSE_ARGS_*; their messages are user-facing,
    // but the one for an unknown option goes on about positionals: keep its first clause.
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new UsageError(unknown ? `unknown option '${unknown[1]}'` : message);
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  const integer = (name: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
    return Number(text);
  };
  const invocation = {
    command,
    file,
    output: values.output,
    sourceMap: values["source-map"] ?? false,
    seed: integer("seed", values.seed, 0),
    points: integer("points", values.points, 1),
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (invocation.help || invocation.version) return invocation;
  if (command === undefined) throw new UsageError("missing command");
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'`);
  if (file === undefined) throw new UsageError(`missing input file: adc ${command} <file.ts>`);
  const outDir = values["out-dir"];
  if (values.watch && outDir === undefined) throw new UsageError("--watch needs --out-dir <dir>");
  if (outDir !== undefined) {
    if (command !== "compile") throw new UsageError(`--out-dir is an option of adc compile, not adc ${command}`);
    if (values.output !== undefined) throw new UsageError("give -o <file> for one file or --out-dir <dir>, not both");
    if (invocation.sourceMap) throw new UsageError("--source-map writes beside -o <file>; it does not go with --out-dir yet");
    const inputs = [file, ...extra];
    inputs.forEach(checkBatchInput);
    return { ...invocation, batch: { inputs, outDir, watch: values.watch ?? false } };
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (several inputs go with --out-dir <dir>)`);
  checkInput(file);
  if (command === "run" && values.output !== undefined) throw new UsageError("adc run takes no -o: it runs the program");
  if (command !== "compile" && invocation.sourceMap) throw new UsageError(`--source-map is an option of adc compile, not adc ${command}`);
  if (command !== "graph") {
    const misplaced = GRAPH_OPTIONS.find((o) => values[o] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} is an option of adc graph, not adc ${command}`);
    return invocation;
  }
  return { ...invocation, graph: { ...graphRequest(values), maxNodes: integer("max-nodes", values["max-nodes"], 1) } };
}

/** adc compile --out-dir takes TypeScript files, directories and tsconfig files. */
function checkBatchInput(input: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new UsageError(`${input}: no such file or directory`);
  }
  if (stat.isDirectory() || input.endsWith(".json")) return;
  checkInput(input);
}

/** The input must be an existing TypeScript source file. */
function checkInput(file: string): void {
  if (!/\.(c|m)?tsx?$/.test(file) || file.endsWith(".d.ts")) {
    throw new UsageError(`${file}: expected a TypeScript source file (.ts)`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new UsageError(`${file}: not a file`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UsageError(`${file}: cannot read it (permission denied)`);
  }
}

function graphRequest(values: { fn?: string; at?: string; mode?: string; format?: string; output?: string }): GraphRequest {
  const { fn, mode, output } = values;
  if (fn === undefined) throw new UsageError("missing --fn <name>: adc graph <file.ts> --fn <name>");
  let at: PointValue[] | undefined;
  if (values.at !== undefined) {
    const { point, badNumber } = parsePoint(values.at);
    if (badNumber !== undefined) throw new UsageError(`--at: '${badNumber}' is not a number (expected e.g. --at 2,0.5)`);
    if (point === undefined) {
      throw new UsageError(`--at: '${values.at}' is not a point: values separated by commas, each a number, an array or an object, e.g. --at '[1,2,3],{w:1,b:0}'`);
    }
    at = point;
  }
  if (mode !== undefined && mode !== "forward" && mode !== "reverse") {
    throw new UsageError(`--mode must be forward or reverse, not '${mode}'`);
  }
  if (mode !== undefined && at === undefined) throw new UsageError("--mode needs --at <point>: derivatives are shown at a point");
  let format = values.format;
  if (format === undefined) {
    const extension = output === undefined ? ".dot" : path.extname(output).toLowerCase();
    format = extension === ".svg" ? "svg" : extension === ".dot" || extension === ".gv" ? "dot" : undefined;
    if (format === undefined) throw new UsageError(`cannot tell the format of ${output} from its extension: use --format dot|svg`);
  }
  if (format !== "dot" && format !== "svg") throw new UsageError(`--format must be dot or svg, not '${format}'`);
  return { fn, at, mode, format };
}

/** The map of a module adc left unchanged (it marks nothing): every token to itself. */
function identityMap(file: string, text: string): EncodedSourceMap {
  return applyEditsMapped(text, path.resolve(file), []).map;
}

/** Writes via a temporary file in the same directory and a rename: never a half-written file. */
function writeAtomically(file: string, text: string): void {
  const target = path.resolve(file);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    // Node's message names the temporary file: keep only the reason ("ENOENT: no such file …").
    const reason = (error as Error).message.split(", ")[0];
    throw new UsageError(`cannot write ${file}: ${reason}`);
  }
}

function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

function reportDiagnostics(diagnostics: readonly AdcDiagnostic[]): void {
  const color = useColor();
  const cwd = process.cwd();
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, { cwd, color })}\n`);
  const n = diagnostics.length;
  process.stderr.write(`Found ${n} error${n === 1 ? "" : "s"}.\n`);
}

async function run(invocation: Invocation): Promise<number> {
  if (invocation.help) {
    process.stdout.write(usage());
    return ExitCode.Ok;
  }
  if (invocation.version) {
    process.stdout.write(`${version()}\n`);
    return ExitCode.Ok;
  }
  const file = invocation.file!;
  if (invocation.command === "run") return runProgram(file, invocation.args ?? []);
  if (invocation.batch) return compileBatch(invocation.batch);
  if (invocation.command === "check") {
    let result;
    try {
      result = checkFile(file, { seed: invocation.seed, points: invocation.points });
    } catch (e) {
      if (e instanceof CheckUnsupported) throw new UsageError(e.message);
      throw e;
    }
    if (result.diagnostics.length > 0) {
      reportDiagnostics(result.diagnostics);
      return ExitCode.Diagnostics;
    }
    process.stdout.write(formatCheck(result.rows));
    const bad = result.rows.filter((r) => r.status === "DISAGREE").length;
    process.stdout.write(bad === 0 ? `All ${result.rows.length} checks agree.\n` : `${bad} of ${result.rows.length} checks disagree.\n`);
    return bad === 0 ? ExitCode.Ok : ExitCode.Diagnostics;
  }
  let text: string | undefined;
  let diagnostics: readonly AdcDiagnostic[];
  if (invocation.command === "compile") {
    const result = compileFile(file);
    ({ code: text, diagnostics } = result);
    if (text !== undefined && invocation.sourceMap) {
      const output = invocation.output;
      const map = relocateSourceMap(result.map ?? identityMap(file, text), file, output ?? path.join(process.cwd(), "stdout.ts"));
      if (output === undefined) {
        text = `${text.replace(/\n?$/, "\n")}${inlineSourceMapComment(map)}\n`;
      } else {
        writeAtomically(`${output}.map`, `${JSON.stringify(map)}\n`);
        text = `${text.replace(/\n?$/, "\n")}//# sourceMappingURL=${path.basename(output)}.map\n`;
      }
    }
  } else if (invocation.graph) {
    ({ text, diagnostics } = await graph(file, invocation.graph));
  } else {
    ({ text, diagnostics } = irOfFile(file));
  }
  if (diagnostics.length > 0 || text === undefined) {
    reportDiagnostics(diagnostics);
    return ExitCode.Diagnostics;
  }
  if (invocation.output !== undefined) writeAtomically(invocation.output, text);
  else process.stdout.write(text);
  return ExitCode.Ok;
}

/**
 * `adc compile <inputs…> --out-dir <dir> [--watch]`: every file of the inputs into the out dir (at
 * its path relative to their common directory), those importing adc transformed; with --watch,
 * again for each change until interrupted. Exit 1 if a file has diagnostics (others are written).
 */
async function compileBatch(request: NonNullable<Invocation["batch"]>): Promise<number> {
  const input = expandInputs(request.inputs);
  if (input.files.length === 0) throw new UsageError(`no TypeScript files in ${request.inputs.join(", ")}`);
  const batch = new Batch(input, path.resolve(request.outDir), writeAtomically);
  const once = (files?: readonly string[]): number => {
    const { written, diagnostics } = batch.run(files);
    if (diagnostics.length > 0) reportDiagnostics(diagnostics);
    const relative = path.relative(process.cwd(), request.outDir) || ".";
    const out = relative.startsWith("..") ? path.resolve(request.outDir) : relative;
    process.stderr.write(`adc: wrote ${written.length} file${written.length === 1 ? "" : "s"} to ${out}${diagnostics.length > 0 ? `; ${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}` : ""}\n`);
    return diagnostics.length > 0 ? ExitCode.Diagnostics : ExitCode.Ok;
  };
  const status = once();
  if (!request.watch) return status;
  process.stderr.write("adc: watching for changes (Ctrl-C to stop)\n");
  // A change to a callee changes the derivatives generated in its callers: all files again (the
  // kept project re-checks only what changed).
  await watchFiles(input.files, () => once());
  return ExitCode.Ok;
}

/** Calls `onChange` with the files changed since the last call, 50 ms after the last event. */
function watchFiles(files: readonly string[], onChange: (changed: string[]) => void): Promise<void> {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const directories = new Set(files.map((f) => path.dirname(f)));
  const wanted = new Set(files);
  for (const dir of directories) {
    fs.watch(dir, (_event, name) => {
      const file = name ? path.join(dir, name.toString()) : undefined;
      if (!file || !wanted.has(file)) return;
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changed = [...pending];
        pending.clear();
        onChange(changed);
      }, 50);
    });
  }
  return new Promise(() => {}); // until the process is interrupted
}

/**
 * `adc run`: the module runs in this process, as `node` would run its JavaScript. A refusal is
 * reported like `adc compile`'s (exit 1); an exception the program throws while its module is
 * evaluated is printed with its stack, as Node prints it, and exits 1.
 */
function runProgram(file: string, args: readonly string[]): number {
  process.argv = [process.argv[0], path.resolve(file), ...args];
  try {
    runModule(file);
  } catch (error) {
    if (error instanceof ModuleDiagnostics) {
      reportDiagnostics(error.diagnostics);
      return ExitCode.Diagnostics;
    }
    process.stderr.write(`${programError(error)}\n`);
    return ExitCode.Diagnostics;
  }
  return Number(process.exitCode ?? ExitCode.Ok);
}

async function graph(file: string, request: GraphRequest): Promise<{ text?: string; diagnostics: readonly AdcDiagnostic[] }> {
  let result;
  try {
    result = graphOfFile(file, request);
  } catch (error) {
    if (error instanceof GraphRequestError) throw new UsageError(error.message);
    throw error;
  }
  if (result.dot === undefined || request.format === "dot") return { text: result.dot, diagnostics: result.diagnostics };
  return { text: await renderSvg(result.dot), diagnostics: result.diagnostics };
}

let epipeHandled = false;

/** `adc compile f.ts | head` closes stdout early: that is not an error. */
function ignoreEpipe(): void {
  if (epipeHandled) return;
  epipeHandled = true;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/** The `adc` command; resolves to the exit code (see the top of this file). */
export async function main(argv: string[]): Promise<number> {
  ignoreEpipe();
  let file: string | undefined;
  try {
    const invocation = parse(argv);
    file = invocation.file;
    return await run(invocation);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`adc: ${error.message}\nRun adc --help for usage.\n`);
      return ExitCode.Usage;
    }
    // Deep nesting exhausts the stack of TypeScript's parser or of adc: a located diagnostic.
    const deep = isStackOverflow(error) && file !== undefined ? nestingDiagnostic(path.resolve(file), fs.readFileSync(file, "utf8")) : undefined;
    if (deep) {
      reportDiagnostics([deep]);
      return ExitCode.Diagnostics;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `adc: internal error: ${message}\n` +
        `This is a bug in adc; please report it with the input that triggers it` +
        (process.env.ADC_DEBUG ? ".\n" : " (ADC_DEBUG=1 prints the stack).\n"),
    );
    if (process.env.ADC_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    return ExitCode.Internal;
  }
}
