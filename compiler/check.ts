// `adc check file.ts`: every function the file marks is compiled in both modes and its derivative
// compared three ways at seeded random points: reverse mode (grad, or the reverse Jacobian),
// forward mode (one jvp per parameter, or the forward Jacobian) and central differences.
import * as path from "node:path";
import ts from "typescript";
import { centralDifference } from "../runtime/check";
import { compileProgramFile } from "./index";
import type { AdcDiagnostic } from "./diagnostics";
import { findMarkers } from "./frontend/markers";
import type { FunctionLike } from "./frontend/resolve";
import { createProgram } from "./program";
import { ModuleDiagnostics, runCompiledModule } from "./run-module";
import { mulberry32 } from "./random";

export interface CheckOptions {
  /** Seed of the points (default 1). */
  readonly seed?: number;
  /** Points per function (default 3). */
  readonly points?: number;
  /** Points are drawn from [-range, range] in every parameter (default 2). */
  readonly range?: number;
}

export type CheckStatus = "ok" | "DISAGREE" | "kink" | "not finite";

export interface CheckRow {
  readonly fn: string;
  readonly at: readonly number[];
  /** Largest gap between forward and reverse mode (relative where large, absolute where small). */
  readonly forwardReverse: number;
  /** Largest gap between reverse mode and central differences. */
  readonly reverseNumeric: number;
  readonly status: CheckStatus;
}

export interface CheckResult {
  readonly diagnostics: readonly AdcDiagnostic[];
  readonly rows: readonly CheckRow[];
  readonly ok: boolean;
}

/** Forward and reverse mode agree to rounding; differences to their truncation error. */
export const FORWARD_REVERSE_TOLERANCE = 1e-10;
export const NUMERIC_TOLERANCE = 1e-6;

/** A marked function `adc check` cannot draw points for (it is given numbers only). */
export class CheckUnsupported extends Error {}

export function checkFile(fileName: string, options: CheckOptions = {}): CheckResult {
  const file = path.resolve(fileName);
  const program = createProgram(file);
  const sf = program.getSourceFile(file)!;
  const checker = program.getTypeChecker();
  // Refusals are reported against the file as written: the module checked below has more in it.
  const asWritten = compileProgramFile(program, file);
  if (asWritten.code === undefined || asWritten.diagnostics.length > 0) return { diagnostics: asWritten.diagnostics, rows: [], ok: false };
  const { markers } = findMarkers(checker, sf);
  // Each marked function once, by an expression that names it in the module.
  const targets = new Map<FunctionLike, string>();
  for (const m of markers) {
    if (m.kind === "decorator") {
      const cls = (m.decl.parent as ts.ClassDeclaration).name?.text;
      const isStatic = m.decl.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
      if (cls && isStatic) targets.set(m.decl, `${cls}.${(m.decl.name as ts.Identifier).text}`);
      continue;
    }
    let target = m.node.arguments[0];
    if (m.operator === "grad2") target = (target as ts.CallExpression).arguments[0];
    if (!targets.has(m.decl)) targets.set(m.decl, target.getText(sf));
  }
  for (const [decl, expr] of targets) {
    const other = decl.parameters.find((p) => !(checker.getTypeAtLocation(p).flags & ts.TypeFlags.NumberLike));
    if (other) {
      throw new CheckUnsupported(`check draws random numbers for the parameters; '${expr}' takes ${other.type?.getText(sf) ?? "a parameter that is not a number"} (check it with checkGrad(f, args) in a program)`);
    }
  }
  const entries = [...targets].map(([decl, expr]) => {
    const scalar = !checker.isTupleType(checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(decl)!));
    const derivatives = scalar
      ? `reverse: adc_check_grad(${expr}), forward: adc_check_jvp(${expr})`
      : `reverse: adc_check_jacobian(${expr}, { mode: "reverse" }), forward: adc_check_jacobian(${expr}, { mode: "forward" })`;
    return `  { name: ${JSON.stringify(expr)}, fn: ${expr}, scalar: ${scalar}, ${derivatives} },`;
  });
  // The operators join the file's own import from "adc" (imports adc adds go after the last one).
  const adcImport = sf.statements.find(
    (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === "adc" &&
      s.importClause?.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings),
  );
  const operators = "grad as adc_check_grad, jvp as adc_check_jvp, jacobian as adc_check_jacobian";
  const at = adcImport ? adcImport.importClause!.namedBindings!.getEnd() - 1 : 0;
  const imported = adcImport
    ? `${sf.text.slice(0, at).trimEnd()}, ${operators} ${sf.text.slice(at)}`
    : `import { ${operators} } from "adc";\n${sf.text}`;
  const text = `${imported}\nexport const adc_check_targets = [\n${entries.join("\n")}\n];\n`;
  const compiled = compileProgramFile(createProgram(file, text), file);
  if (compiled.code === undefined) return { diagnostics: compiled.diagnostics, rows: [], ok: false };
  let module;
  try {
    module = runCompiledModule(compiled.code, file);
  } catch (error) {
    if (error instanceof ModuleDiagnostics) return { diagnostics: error.diagnostics, rows: [], ok: false };
    throw error;
  }
  const rows: CheckRow[] = [];
  const random = mulberry32(options.seed ?? 1);
  const range = options.range ?? 2;
  for (const target of module.adc_check_targets as Target[]) {
    for (let k = 0; k < (options.points ?? 3); k++) {
      const x = Array.from({ length: target.fn.length }, () => Number((range * (2 * random() - 1)).toFixed(4)));
      rows.push(checkPoint(target, x));
    }
  }
  return { diagnostics: [], rows, ok: rows.every((r) => r.status !== "DISAGREE") };
}

interface Target {
  readonly name: string;
  readonly fn: (...x: number[]) => number | number[];
  readonly scalar: boolean;
  readonly reverse: (...x: number[]) => unknown;
  readonly forward: (...x: unknown[]) => unknown;
}

function checkPoint(target: Target, x: number[]): CheckRow {
  // Rows of the Jacobian (one row for a scalar function) by each method.
  let reverse: number[][];
  let forward: number[][];
  if (target.scalar) {
    const g = target.reverse(...x);
    reverse = [typeof g === "number" ? [g] : (g as number[])];
    forward = [x.map((_, i) => (target.forward(x.slice(), x.map((_, j) => (i === j ? 1 : 0))) as [number, number])[1])];
  } else {
    reverse = target.reverse(...x) as number[][];
    forward = target.forward(...x) as number[][];
  }
  const output = (i: number) => (...xs: number[]) => {
    const y = target.fn(...xs);
    return typeof y === "number" ? y : y[i];
  };
  let forwardReverse = 0;
  let reverseNumeric = 0;
  let kink = false;
  let finite = true;
  reverse.forEach((row, i) =>
    row.forEach((r, j) => {
      const numeric = centralDifference(output(i), x, j);
      const finer = centralDifference(output(i), x, j, 1e-7);
      if (![r, forward[i][j], numeric].every(Number.isFinite)) finite = false;
      if (!(gap(numeric, finer) <= 1e-5)) kink = true;
      forwardReverse = Math.max(forwardReverse, gap(r, forward[i][j]));
      reverseNumeric = Math.max(reverseNumeric, gap(r, numeric));
    }),
  );
  const status: CheckStatus = !finite
    ? "not finite"
    : forwardReverse > FORWARD_REVERSE_TOLERANCE
      ? "DISAGREE"
      : reverseNumeric <= NUMERIC_TOLERANCE
        ? "ok"
        : kink
          ? "kink"
          : "DISAGREE";
  return { fn: target.name, at: x, forwardReverse, reverseNumeric, status };
}

/** The result table, as Markdown. */
export function formatCheck(rows: readonly CheckRow[]): string {
  const lines = [
    "| function | at | forward vs reverse | reverse vs central differences | status |",
    "| --- | --- | ---: | ---: | --- |",
    ...rows.map((r) => `| ${r.fn} | (${r.at.join(", ")}) | ${r.forwardReverse.toExponential(1)} | ${r.reverseNumeric.toExponential(1)} | ${r.status} |`),
  ];
  return `${lines.join("\n")}\n`;
}

function gap(a: number, b: number): number {
  if (a === b) return 0;
  const e = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
  return Number.isNaN(e) ? Infinity : e;
}
