// A function's SSA graph as Graphviz DOT, drawn like the evaluation traces of the AD literature:
// the inputs u₋ₙ₊₁…u₀, one node per operation (`u₃ = exp(u₂)`, constants folded into the label),
// the output. With an evaluation, each node also shows its value and its tangents or adjoint, and
// only the branch an `if` took is drawn; without, each branch is a cluster.
import { primitives } from "../ir/primitives";
import { traceNames } from "../ir/print";
import type { Func, Op, Region, Value } from "../ir/types";
import { isDifferentiable } from "../ir/types";
import { constantDefs } from "../ir/walk";
import { adjoints, tangents, type Trace } from "./evaluate";

export type Mode = "forward" | "reverse";

export interface Evaluation {
  readonly trace: Trace;
  readonly mode: Mode;
}

/** 6 significant digits, as in the textbook tables; no trailing zeros, no "-0". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = String(Number(x.toPrecision(6)));
  return s === "-0" ? "0" : s;
}

const subscripts: Record<string, string> = { "-": "₋", 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉" };
const DOT = "\u0307"; // combining dot above: u̇
const BAR = "\u0304"; // combining macron: ū

/** `u-1` → `u₋₁`: the trace name as the figures write it. */
const pretty = (name: string) => name.replace(/^u(-?\d+)$/, (_, n: string) => `u${[...n].map((c) => subscripts[c]).join("")}`);

const quote = (s: string) => `"${s.normalize("NFC").replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

const infixSymbols: Record<string, string> = { "*": "·", "===": "=", "!==": "≠", "<=": "≤", ">=": "≥" };

export function toDot(func: Func, evaluation?: Evaluation): string {
  return new DotWriter(func, evaluation).run();
}

class DotWriter {
  private readonly names: Map<Value, string>;
  private readonly constants: Map<Value, Op>;
  private readonly lines: string[] = [];
  private readonly edges = new Set<string>();
  private readonly tangents?: Map<Value, number[]>;
  private readonly adjoints?: Map<Value, number>;

  constructor(
    private readonly func: Func,
    private readonly evaluation?: Evaluation,
  ) {
    this.names = traceNames(func);
    this.constants = constantDefs(func.body);
    if (evaluation?.mode === "forward") this.tangents = tangents(evaluation.trace);
    if (evaluation?.mode === "reverse") this.adjoints = adjoints(evaluation.trace);
  }

  run(): string {
    const { func } = this;
    this.lines.push(
      `digraph ${quote(func.name)} {`,
      `  label=${quote(this.title())}; labelloc=t; fontname="Helvetica"; fontsize=12;`,
      "  rankdir=LR;",
      '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11, margin="0.18,0.06"];',
      '  edge [color="#555555", arrowsize=0.7, fontname="Helvetica", fontsize=10];',
    );
    for (const p of func.params) {
      this.node(p.value, [`${this.display(p.value)} = ${p.name}`], "shape=ellipse");
    }
    this.region(func.body, "  ");
    const output = func.body.yields[0];
    const outputLines = [`${func.name}(${func.params.map((p) => p.name).join(", ")})`];
    if (this.evaluation) {
      outputLines.push(`= ${this.value(output)}`);
      if (this.tangents) outputLines.push(`y${DOT} = ${this.tangent(output)}`);
      if (this.adjoints) outputLines.push(`y${BAR} = 1`);
    }
    this.lines.push(`  "output" [label=${quote(outputLines.join("\n"))}, peripheries=2];`);
    this.edge(output, "output");
    this.lines.push(...this.edges, "}");
    return this.lines.join("\n") + "\n";
  }

  private title(): string {
    const { func, evaluation } = this;
    const params = func.params.map((p) => p.name);
    const signature = `${func.name}(${params.join(", ")})`;
    if (!evaluation) return signature;
    const point = func.params.map((p) => `${p.name} = ${formatNumber(evaluation.trace.values.get(p.value) as number)}`).join(", ");
    if (evaluation.mode === "reverse") return `${signature} at ${point}; reverse mode: u${BAR} = ∂${func.name}/∂u`;
    if (params.length === 1) return `${signature} at ${point}; forward mode: u${DOT} = ∂u/∂${params[0]}`;
    const partials = params.map((p) => `∂u/∂${p}`).join(", ");
    const directions = params.map((_, i) => `e${i + 1}`).join(", ");
    return `${signature} at ${point}; forward mode: u${DOT} = (${partials}), one tangent per direction ẋ = ${directions}`;
  }

  private region(region: Region, indent: string): void {
    for (const op of region.ops) {
      if (op.prim === "const") continue;
      if (op.prim === "if") this.ifOp(op, indent);
      else {
        const style = op.results[0].type.kind === "bool" ? "style=\"rounded,dashed\"" : "";
        this.node(op.results[0], [`${this.heading(op.results[0])} = ${this.expression(op)}`], style, indent);
        op.args.forEach((x) => this.edge(x, this.names.get(op.results[0])!));
      }
    }
  }

  /** Each branch a cluster (only the taken one when evaluated); each result a node joining them. */
  private ifOp(op: Op, indent: string): void {
    const condition = this.arg(op.args[0]);
    const taken = this.evaluation?.trace.taken.get(op);
    const id = this.names.get(op.results[0]) ?? `if${this.lines.length}`;
    op.regions.forEach((branch, k) => {
      if (taken !== undefined && taken !== k) return;
      const label = `${k === 0 ? "if" : "if not"} ${condition}${taken !== undefined ? " (taken)" : ""}`;
      this.lines.push(`${indent}subgraph ${quote(`cluster_${id}_${k === 0 ? "then" : "else"}`)} {`);
      this.lines.push(`${indent}  label=${quote(label)}; style=dashed; color="#888888";`);
      this.region(branch, indent + "  ");
      this.lines.push(`${indent}}`);
    });
    op.results.forEach((r, i) => {
      const [then, otherwise] = op.regions.map((branch) => this.arg(branch.yields[i]));
      const expression =
        taken === undefined
          ? `${condition} ? ${then} : ${otherwise}`
          : `${taken === 0 ? then : otherwise} (${taken === 0 ? "if" : "if not"} ${condition})`;
      const style = r.type.kind === "bool" ? "style=\"rounded,dashed\"" : "";
      this.node(r, [`${this.heading(r)} = ${expression}`], style, indent);
      const target = this.names.get(r)!;
      this.edge(op.args[0], target, 'style=dashed');
      op.regions.forEach((branch, k) => {
        if (taken !== undefined && taken !== k) return;
        this.edge(branch.yields[i], target, taken === undefined ? `label=${k === 0 ? '"then"' : '"else"'}` : "");
      });
    });
  }

  private expression(op: Op): string {
    const args = op.args.map((x) => this.arg(x));
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

  /** An operand as written in a label: its trace name, or the constant itself. */
  private arg(v: Value): string {
    const constant = this.constants.get(v);
    if (constant) return typeof constant.attrs.value === "number" ? formatNumber(constant.attrs.value) : String(constant.attrs.value);
    return this.display(v);
  }

  private display(v: Value): string {
    return pretty(this.names.get(v) ?? `v${v.id}`);
  }

  /** How a node's label starts: its name, and the source variable it is if any (`u₁ (s)`). */
  private heading(v: Value): string {
    return v.hint ? `${this.display(v)} (${v.hint})` : this.display(v);
  }

  private node(v: Value, label: string[], attrs = "", indent = "  "): void {
    if (this.evaluation) {
      label.push(`= ${this.value(v)}`);
      if (isDifferentiable(v.type)) {
        if (this.tangents) label.push(`u${DOT} = ${this.tangent(v)}`);
        if (this.adjoints) label.push(`u${BAR} = ${formatNumber(this.adjoints.get(v) ?? 0)}`);
      }
    }
    const name = this.names.get(v)!;
    this.lines.push(`${indent}${quote(name)} [label=${quote(label.join("\n"))}${attrs ? `, ${attrs}` : ""}];`);
  }

  private value(v: Value): string {
    const x = this.evaluation!.trace.values.get(v);
    return typeof x === "number" ? formatNumber(x) : String(x);
  }

  private tangent(v: Value): string {
    const t = this.tangents!.get(v) ?? this.func.params.map(() => 0);
    return t.length === 1 ? formatNumber(t[0]) : `(${t.map(formatNumber).join(", ")})`;
  }

  /** An edge from the node defining `from` (none for a constant) to the node `to`. */
  private edge(from: Value, to: string, attrs = ""): void {
    if (this.constants.has(from)) return;
    const source = this.names.get(from);
    if (source === undefined) return;
    this.edges.add(`  ${quote(source)} -> ${quote(to)}${attrs ? ` [${attrs}]` : ""};`);
  }
}
