// The primitive operations of the IR: how each is written in TypeScript (for the frontend to
// recognise and the backend to print) and how it evaluates (for constant folding). Derivatives
// live in ad/rules, keyed by the same names.
import type { Type } from "./types";
import { bool, f64 } from "./types";

export type Syntax =
  | { readonly kind: "infix"; readonly operator: string; readonly precedence: number }
  | { readonly kind: "prefix"; readonly operator: "-" | "!" }
  | { readonly kind: "math"; readonly member: string }
  | { readonly kind: "select" }
  /** Printed as its operand: `stopGradient(x)` is x at run time, only its derivative differs. */
  | { readonly kind: "identity" }
  /** `g === 0 ? 0 : c`: the contribution c of an adjoint g that may be a structural zero. */
  | { readonly kind: "guard" };

export interface Primitive {
  readonly name: string;
  /** Number of operands; "n" for variadic (Math.hypot). */
  readonly arity: number | "n";
  readonly result: Type;
  readonly syntax: Syntax;
  readonly evaluate: (...xs: any[]) => number | boolean;
}

// Precedences follow JavaScript's: higher binds tighter.
const infix = (operator: string, precedence: number) => ({ kind: "infix", operator, precedence }) as const;
const math = (member: string) => ({ kind: "math", member }) as const;

const table: Primitive[] = [
  { name: "add", arity: 2, result: f64, syntax: infix("+", 13), evaluate: (a, b) => a + b },
  { name: "sub", arity: 2, result: f64, syntax: infix("-", 13), evaluate: (a, b) => a - b },
  { name: "mul", arity: 2, result: f64, syntax: infix("*", 14), evaluate: (a, b) => a * b },
  { name: "div", arity: 2, result: f64, syntax: infix("/", 14), evaluate: (a, b) => a / b },
  { name: "mod", arity: 2, result: f64, syntax: infix("%", 14), evaluate: (a, b) => a % b },
  { name: "pow", arity: 2, result: f64, syntax: infix("**", 15), evaluate: (a, b) => a ** b },
  { name: "neg", arity: 1, result: f64, syntax: { kind: "prefix", operator: "-" }, evaluate: (a) => -a },
  { name: "lt", arity: 2, result: bool, syntax: infix("<", 11), evaluate: (a, b) => a < b },
  { name: "le", arity: 2, result: bool, syntax: infix("<=", 11), evaluate: (a, b) => a <= b },
  { name: "gt", arity: 2, result: bool, syntax: infix(">", 11), evaluate: (a, b) => a > b },
  { name: "ge", arity: 2, result: bool, syntax: infix(">=", 11), evaluate: (a, b) => a >= b },
  { name: "eq", arity: 2, result: bool, syntax: infix("===", 10), evaluate: (a, b) => a === b },
  { name: "ne", arity: 2, result: bool, syntax: infix("!==", 10), evaluate: (a, b) => a !== b },
  { name: "and", arity: 2, result: bool, syntax: infix("&&", 5), evaluate: (a, b) => a && b },
  { name: "or", arity: 2, result: bool, syntax: infix("||", 4), evaluate: (a, b) => a || b },
  { name: "not", arity: 1, result: bool, syntax: { kind: "prefix", operator: "!" }, evaluate: (a) => !a },
  { name: "select", arity: 3, result: f64, syntax: { kind: "select" }, evaluate: (c, a, b) => (c ? a : b) },
  ...(
    [
      "exp", "log", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
      "log1p", "expm1", "cbrt", "abs", "floor", "ceil", "round", "trunc", "sign",
    ] as const
  ).map((m): Primitive => ({ name: m, arity: 1, result: f64, syntax: math(m), evaluate: Math[m] })),
  { name: "atan2", arity: 2, result: f64, syntax: math("atan2"), evaluate: Math.atan2 },
  { name: "min", arity: 2, result: f64, syntax: math("min"), evaluate: Math.min },
  { name: "max", arity: 2, result: f64, syntax: math("max"), evaluate: Math.max },
  { name: "hypot", arity: "n", result: f64, syntax: math("hypot"), evaluate: Math.hypot },
  { name: "stopGradient", arity: 1, result: f64, syntax: { kind: "identity" }, evaluate: (a) => a },
  // Made by the reverse sweep only (ad/zero-adjoints.ts): an adjoint that is zero contributes
  // nothing, whatever its local derivative (0 · ∞ would be NaN).
  { name: "guard", arity: 2, result: f64, syntax: { kind: "guard" }, evaluate: (g, c) => (g === 0 ? 0 : c) },
];

export const primitives: ReadonlyMap<string, Primitive> = new Map(table.map((p) => [p.name, p]));

/** Math.<member>(…) calls the frontend accepts, by member name. Math.pow maps to "pow". */
export const mathFunctions: ReadonlyMap<string, Primitive> = new Map([
  ...table.filter((p) => p.syntax.kind === "math").map((p) => [(p.syntax as { member: string }).member, p] as const),
  ["pow", primitives.get("pow")!],
]);

/** Math and Number constants the frontend folds to literals. */
export const numericConstants: ReadonlyMap<string, number> = new Map([
  ["Math.PI", Math.PI],
  ["Math.E", Math.E],
  ["Math.LN2", Math.LN2],
  ["Math.LN10", Math.LN10],
  ["Math.LOG2E", Math.LOG2E],
  ["Math.LOG10E", Math.LOG10E],
  ["Math.SQRT2", Math.SQRT2],
  ["Math.SQRT1_2", Math.SQRT1_2],
  ["Number.EPSILON", Number.EPSILON],
  ["Number.MAX_VALUE", Number.MAX_VALUE],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
  ["Number.POSITIVE_INFINITY", Infinity],
  ["Number.NEGATIVE_INFINITY", -Infinity],
]);

export const binaryOperators: ReadonlyMap<string, string> = new Map(
  table.filter((p) => p.syntax.kind === "infix").map((p) => [(p.syntax as { operator: string }).operator, p.name]),
);
