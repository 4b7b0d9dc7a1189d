// Every refusal the compiler can make, in one table, and how diagnostics are printed.
import { codeFrameColumns } from "@babel/code-frame";
import * as path from "node:path";
import ts from "typescript";

/** The diagnostic codes: ADC1xxx are refusals of user code, ADC2xxx misuse of the operators. */
export const Codes = {
  Syntax: 1000,
  UnsupportedSyntax: 1001,
  UnsupportedType: 1002,
  UnknownCall: 1003,
  FreeVariable: 1004,
  TryCatch: 1005,
  Generator: 1006,
  Async: 1007,
  This: 1008,
  Loop: 1009,
  UnsupportedMath: 1010,
  MissingReturn: 1011,
  NotExported: 1012,
  Closure: 1013,
  Aliasing: 1014,
  ArrayMethod: 1015,
  Recursion: 1016,
  NotAFunction: 2001,
  BadOptions: 2002,
  NotScalar: 2003,
  SecondOrder: 2004,
  BadDerivativeRule: 2005,
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];

/** One line per code, for `adc --help` and the README. */
export const CodeDescriptions: Record<Code, string> = {
  1000: "a syntax error in the file (nothing is generated for a file TypeScript cannot parse)",
  1001: "a syntax construct adc cannot differentiate",
  1002: "a parameter, variable or result whose type is not number",
  1003: "a call to a function adc cannot see and that has no derivative rule",
  1004: "a free variable that is not a module-level constant (a module-level let), or a write into a module constant",
  1005: "try/catch/finally or throw inside a differentiated function",
  1006: "a generator function",
  1007: "an async function or await",
  1008: "`this` other than reading fields in an instance method (`this.x`)",
  1009: "a loop form adc does not support (for…in, for await)",
  1010: "a Math member without a derivative (e.g. Math.random)",
  1011: "a function that can end without returning a number",
  1012: "a function from another file that is not exported, so generated code cannot call it",
  1013: "a function value adc cannot follow (a local function not bound to const, recursive, or used as a value), or a callback whose assignments would be lost",
  1014: "an array or object variable that may refer to different memory (reassigned in a branch or loop)",
  1015: "an array constructor or method adc does not support (sort, splice, …), or one used in a way it cannot follow (push onto an array it did not make)",
  1016: "recursion without a base case: a function that calls itself (directly or through others) on every path",
  2001: "an operator argument that is not a function declaration adc can resolve",
  2002: "operator options that are not a literal `{ wrt }` naming existing parameters (or jacobian's `{ mode }`)",
  2003: "an operator that needs a function returning a number (grad, vjp, hessian, …) given one returning a tuple",
  2004: "a second derivative adc cannot build yet: grad(grad(f)) of several parameters, or through a function with a defineDerivative rule",
  2005: "a defineDerivative call adc cannot use: the function or a rule is not a declaration it can resolve, or has the wrong parameters",
};

export interface AdcDiagnostic {
  readonly code: Code;
  readonly message: string;
  readonly fileName: string;
  /** 1-based line and column of the construct. */
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly length: number;
  /** The whole source text, for the code frame. */
  readonly sourceText: string;
}

/** Thrown inside the compiler to refuse a construct; caught at the pipeline's edge. */
export class Refusal extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly node: ts.Node,
  ) {
    super(message);
  }
}

export function diagnosticAt(code: Code, message: string, node: ts.Node): AdcDiagnostic {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  return {
    code,
    message,
    fileName: sf.fileName,
    line: line + 1,
    column: character + 1,
    start,
    length: node.getEnd() - start,
    sourceText: sf.text,
  };
}

/** `file.ts(line,col): error ADC1001: message`, as tsc prints, then a code frame. */
export function formatDiagnostic(d: AdcDiagnostic, options: { cwd?: string; color?: boolean } = {}): string {
  const file = options.cwd ? relativeTo(options.cwd, d.fileName) : d.fileName;
  const head = `${file}(${d.line},${d.column}): error ADC${d.code}: ${d.message}`;
  const endLoc = endOf(d);
  const frame = codeFrameColumns(
    d.sourceText,
    { start: { line: d.line, column: d.column }, end: endLoc },
    { highlightCode: options.color ?? false, linesAbove: 1, linesBelow: 1 },
  );
  return `${head}\n${frame}\n`;
}

function endOf(d: AdcDiagnostic): { line: number; column: number } {
  const before = d.sourceText.slice(0, d.start + d.length).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function relativeTo(cwd: string, fileName: string): string {
  const rel = path.relative(cwd, fileName);
  return rel.startsWith("..") ? fileName : rel;
}

/**
 * tsc prints a diagnostic's number as `TS<code>`. ADC codes sit at 90000 + code there, clear of
 * TypeScript's own (TS1005 is "';' expected"); the message starts with the real ADC code.
 */
export const tsCodeOffset = 90000;

/** The same diagnostic as a ts.Diagnostic, for tsc's own reporting under tspc. */
export function toTsDiagnostic(d: AdcDiagnostic, file: ts.SourceFile): ts.Diagnostic {
  return {
    category: ts.DiagnosticCategory.Error,
    code: tsCodeOffset + d.code,
    file,
    start: d.start,
    length: d.length,
    messageText: `ADC${d.code}: ${d.message}`,
    source: "adc",
  };
}

/** Whether `error` is V8's stack overflow (TypeScript's parser and adc recurse over nesting). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/.test(error.message);
}

/** Below this depth a stack overflow is not the input's nesting but a bug in adc. */
const DEEP_NESTING = 200;

/**
 * The diagnostic for a file nested too deeply to compile (the stack ran out): located at the
 * first bracket of the deepest nesting, found by TypeScript's scanner (which does not recurse).
 * Undefined when the file is not deeply nested.
 */
export function nestingDiagnostic(fileName: string, text: string): AdcDiagnostic | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let depth = 0;
  let deepest = { depth: 0, start: 0 };
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenParenToken || token === ts.SyntaxKind.OpenBracketToken) {
      if (++depth > deepest.depth) deepest = { depth, start: scanner.getTokenStart() };
    } else if (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseParenToken || token === ts.SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  if (deepest.depth < DEEP_NESTING) return undefined;
  const before = text.slice(0, deepest.start).split("\n");
  return {
    code: Codes.UnsupportedSyntax,
    message: `nested too deeply to compile (${deepest.depth} levels of brackets here; adc ran out of stack): split the function`,
    fileName,
    line: before.length,
    column: before[before.length - 1].length + 1,
    start: deepest.start,
    length: 1,
    sourceText: text,
  };
}

