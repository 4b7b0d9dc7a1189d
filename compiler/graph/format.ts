// How the graphs write things: trace names with subscripts (u₋₁, u₆) and iteration superscripts
// (u₆⁽²⁾), numbers to 6 significant digits, operations in the notation of the AD literature, and
// the DOT preamble both drawings share.
import { primitives } from "../ir/primitives";
import type { Op } from "../ir/types";

/** 6 significant digits, as in the textbook tables; no trailing zeros, no "-0". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = String(Number(x.toPrecision(6)));
  return s === "-0" ? "0" : s;
}

export const formatScalar = (x: number | boolean) => (typeof x === "number" ? formatNumber(x) : String(x));

const subscripts: Record<string, string> = { "-": "₋", 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉" };
const superscripts: Record<string, string> = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
export const DOT = "\u0307"; // combining dot above: u̇
export const BAR = "\u0304"; // combining macron: ū

/** `u-1` → `u₋₁`: the trace name as the figures write it. */
export const pretty = (name: string) => name.replace(/^u(-?\d+)$/, (_, n: string) => `u${[...n].map((c) => subscripts[c]).join("")}`);

/** The iteration numbers of the loops around a value, outermost first: `⁽²⁾⁽¹⁾`. */
export const iterationMark = (path: readonly number[]) => path.map((k) => `⁽${[...String(k)].map((c) => superscripts[c]).join("")}⁾`).join("");

export const quote = (s: string) => `"${s.normalize("NFC").replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

const infixSymbols: Record<string, string> = { "*": "·", "===": "=", "!==": "≠", "<=": "≤", ">=": "≥" };

/** An operation with its operands already written: `u₁ · u₂`, `exp(u₄)`, `g(u₋₁, u₀)`. */
export function expression(op: Op, args: readonly string[]): string {
  if (op.prim === "call") return `${op.attrs.callee}(${args.join(", ")})`;
  const syntax = primitives.get(op.prim)?.syntax;
  switch (syntax?.kind) {
    case "infix": {
      const [a, b] = args;
      return `${a} ${infixSymbols[syntax.operator] ?? syntax.operator} ${b.startsWith("-") ? `(${b})` : b}`;
    }
    case "prefix":
      return `${syntax.operator}${args[0].startsWith("-") ? `(${args[0]})` : args[0]}`;
    case "math":
      return `${syntax.member}(${args.join(", ")})`;
    case "select":
      return `${args[0]} ? ${args[1]} : ${args[2]}`;
    case "guard":
      return `${args[0]} = 0 ? 0 : ${args[1]}`;
    default:
      return `${op.prim}(${args.join(", ")})`;
  }
}

/** The graph's opening lines. */
export function preamble(name: string, title: string): string[] {
  return [
    `digraph ${quote(name)} {`,
    `  label=${quote(title)}; labelloc=t; fontname="Helvetica"; fontsize=12;`,
    "  rankdir=LR;",
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11, margin="0.18,0.06"];',
    '  edge [color="#555555", arrowsize=0.7, fontname="Helvetica", fontsize=10];',
  ];
}

export const clusterStyle = 'style=dashed; color="#888888";';
export const booleanStyle = 'style="rounded,dashed"';
