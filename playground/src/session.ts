// One request of the page, answered as `adc` would: compile the module with the chosen function
// marked (`grad(f)`), run the generated gradient at the point beside central differences
// (checkGradient), and draw the function's graph there (`adc graph`'s renderer).
import ts from "typescript";
import { compileProgramFile, formatDiagnostic } from "../../compiler/index";
import { GraphRequestError, graphOfSourceFile, renderSvg, topLevelFunctions } from "../../compiler/graph/index";
import * as runtime from "../../runtime/index";
import { createProgram, inputFile } from "./program";
import type { FunctionInfo, Request, Result } from "./protocol";

/** Starts the lines the page appends to mark the function; the code shown stops before it. */
export const markerComment = "// ---- the playground differentiates:";

type Scalar = (...xs: number[]) => number;
type Gradient = (...xs: number[]) => number | number[];

export async function answer(request: Request): Promise<Result> {
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, work: () => T): T => {
    const start = performance.now();
    try {
      return work();
    } finally {
      timings[name] = Math.round(performance.now() - start);
    }
  };
  const parsed = ts.createSourceFile(inputFile, request.source, ts.ScriptTarget.ES2022, true);
  const declarations = topLevelFunctions(parsed);
  const functions: FunctionInfo[] = [...declarations].map(([name, decl]) => ({
    name,
    params: decl.parameters.map((p) => p.name.getText(parsed)),
  }));
  const chosen = functions.find((f) => f.name === request.fn) ?? functions[0];
  const base = { id: request.id, functions, timings, diagnostics: [] };
  if (!chosen) return { ...base, params: [], point: [], runError: "Write a function to differentiate." };
  const fn = chosen.name;
  const params = chosen.params;
  const point = params.map((p) => request.point[p] ?? 1);
  const result = { ...base, fn, params, point };

  const source = `${request.source}\n\n${markerComment} ${fn} ----\nimport { grad as playground_grad } from "adc";\nexport const playground = [${fn}, playground_grad(${fn})] as const;\n`;
  const program = timed("program", () => createProgram(source));
  const compiled = timed("compile", () => compileProgramFile(program, inputFile));
  if (compiled.code === undefined) {
    return { ...result, diagnostics: compiled.diagnostics.map((d) => formatDiagnostic(d, { cwd: "/" })) };
  }
  const code = compiled.code.slice(0, compiled.code.indexOf(markerComment)).trimEnd() + "\n";

  const sourceFile = program.getSourceFile(inputFile)!;
  const gradient = timed("run", () => runGradient(compiled.code!, sourceFile, program.getTypeChecker(), fn, point));
  const graph = await drawGraph(program, sourceFile, fn, point, request.mode, timings);
  return { ...result, code, ...gradient, ...graph };
}

/** Runs the transformed module (as CommonJS, with "adc" the bundled runtime) and checks its gradient. */
function runGradient(code: string, sourceFile: ts.SourceFile, checker: ts.TypeChecker, fn: string, point: number[]): Partial<Result> {
  const decl = topLevelFunctions(sourceFile).get(fn)!;
  const nonNumber = decl.parameters.find((p) => !(checker.getTypeAtLocation(p).flags & ts.TypeFlags.NumberLike));
  if (nonNumber) return { runError: `The page evaluates functions of numbers: ${fn}'s ${nonNumber.name.getText(sourceFile)} is not one.` };
  try {
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      fileName: inputFile,
    }).outputText;
    const module = { exports: {} as Record<string, unknown> };
    const load = (name: string) => {
      if (name === "adc") return runtime;
      throw new Error(`the playground has no module '${name}' (only "adc")`);
    };
    new Function("exports", "require", "module", js)(module.exports, load, module);
    const [f, grad] = module.exports.playground as [Scalar, Gradient];
    const value = f(...point);
    const g = grad(...point);
    const check = runtime.checkGradient(f, typeof g === "number" ? [g] : g, point);
    return { value, gradient: check.analytic, numeric: check.numeric, maxError: check.maxError, ok: check.ok };
  } catch (e) {
    return { runError: `The generated code threw: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function drawGraph(
  program: ts.Program,
  sourceFile: ts.SourceFile,
  fn: string,
  at: number[],
  mode: Request["mode"],
  timings: Record<string, number>,
): Promise<Partial<Result>> {
  const start = performance.now();
  let dot: string | undefined;
  try {
    dot = graphOfSourceFile(program.getTypeChecker(), sourceFile, { fn, at, mode }).dot;
  } catch (e) {
    if (e instanceof GraphRequestError) return { graphError: e.message };
    throw e;
  }
  const svg = dot === undefined ? undefined : await renderSvg(dot);
  timings.graph = Math.round(performance.now() - start);
  return { svg };
}
