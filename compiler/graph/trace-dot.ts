// A trace (a function evaluated at a point) as DOT: the inputs, one node per operation run, with
// its value and its tangents or adjoint, each iteration of a loop and each branch taken a cluster,
// and the output. Nodes are named by their SSA value and, inside loops, their iteration numbers
// (u₆⁽²⁾ is u₆ in the second iteration).
import { traceNames } from "../ir/print";
import type { Value } from "../ir/types";
import { isDifferentiable } from "../ir/types";
import {
  BAR,
  DOT,
  booleanStyle,
  clusterStyle,
  expression,
  formatNumber,
  formatScalar,
  iterationMark,
  preamble,
  pretty,
  quote,
} from "./format";
import { formatPoint } from "./point";
import { adjoints, tangents } from "./sweeps";
import type { Item, Memory, Node, Operand, Ref, Scope, Trace } from "./trace";

export type Mode = "forward" | "reverse";

/** The nodes a drawing of the trace has: every operation run and the inputs it uses. */
export function drawnNodes(trace: Trace): number {
  return trace.nodes.length + usedInputs(trace).size;
}

/** Scalar parameters always, elements of array and object parameters only where read. */
function usedInputs(trace: Trace): Set<Node> {
  const used = new Set(trace.inputs.filter((n) => n.input!.element.length === 0));
  const inputs = new Set(trace.inputs);
  const mark = (r: Operand) => r.kind === "node" && inputs.has(r) && used.add(r);
  for (const node of trace.nodes) {
    node.operands.forEach(mark);
    node.inputs.forEach(mark); // a call reads elements through the arrays it is passed
  }
  mark(trace.output);
  return used;
}

export function traceDot(trace: Trace, mode: Mode): string {
  return new TraceWriter(trace, mode).run();
}

class TraceWriter {
  private readonly names: Map<Value, string>;
  private readonly lines: string[] = [];
  private readonly edges = new Set<string>();
  private readonly tangents?: Map<Node, number[]>;
  private readonly adjoints?: Map<Node, number>;

  constructor(
    private readonly trace: Trace,
    private readonly mode: Mode,
  ) {
    this.names = traceNames(trace.func);
    if (mode === "forward") this.tangents = tangents(trace);
    else this.adjoints = adjoints(trace);
  }

  run(): string {
    const { trace } = this;
    const { func } = trace;
    this.lines.push(...preamble(func.name, this.title()));
    const used = usedInputs(trace);
    for (const input of trace.inputs) {
      if (used.has(input)) this.node(input, `${this.display(input)} = ${this.sourceName(input)}`, "shape=ellipse");
    }
    // Parameters that carry no derivative (an Int32Array of labels) have no node; numbers always do.
    this.items(trace.items, "  ");
    const outputLines = [`${func.name}(${func.params.map((p) => p.name).join(", ")})`, `= ${formatScalar(trace.output.x)}`];
    if (this.tangents) outputLines.push(`y${DOT} = ${this.tangent(trace.output)}`);
    if (this.adjoints) outputLines.push(`y${BAR} = 1`);
    this.lines.push(`  "output" [label=${quote(outputLines.join("\n"))}, peripheries=2];`);
    this.edge(trace.output, "output");
    this.lines.push(...this.edges, "}");
    return this.lines.join("\n") + "\n";
  }

  private title(): string {
    const { func, point, inputs } = this.trace;
    const signature = `${func.name}(${func.params.map((p) => p.name).join(", ")})`;
    const at = func.params.map((p, i) => `${p.name} = ${formatPoint(point[i])}`).join(", ");
    if (this.mode === "reverse") return `${signature} at ${at}; reverse mode: u${BAR} = ∂${func.name}/∂u`;
    const names = inputs.map((n) => this.sourceName(n));
    if (names.length === 1) return `${signature} at ${at}; forward mode: u${DOT} = ∂u/∂${names[0]}`;
    const partials = names.map((p) => `∂u/∂${p}`).join(", ");
    const directions = names.map((_, i) => `e${i + 1}`).join(", ");
    return `${signature} at ${at}; forward mode: u${DOT} = (${partials}), one tangent per direction ẋ = ${directions}`;
  }

  private items(items: readonly Item[], indent: string): void {
    for (const item of items) {
      if (item.kind === "node") this.opNode(item, indent);
      else this.cluster(item, indent);
    }
  }

  private cluster(scope: Scope, indent: string): void {
    if (!hasNodes(scope)) return;
    const { op } = scope;
    const owner = op.results[0] ? this.names.get(op.results[0])! : `op${op.loc?.line ?? ""}`;
    const id = `${owner}${scope.path.map((k) => `@${k}`).join("")}`;
    let name: string;
    let label: string;
    if (scope.kind === "branch") {
      name = `cluster_${id}_${scope.index === 0 ? "then" : "else"}`;
      label = `${scope.index === 0 ? "if" : "if not"} ${this.arg(scope.condition!)} (taken)`;
    } else {
      const loop = `loop${op.loc ? ` at line ${op.loc.line}` : ""}`;
      name = `cluster_${id}_${scope.index}`;
      label = scope.kind === "exit" ? `${loop}: the test that ends it` : `${loop}, iteration ${scope.index}`;
    }
    this.lines.push(`${indent}subgraph ${quote(name)} {`, `${indent}  label=${quote(label)}; ${clusterStyle}`);
    this.items(scope.items, indent + "  ");
    this.lines.push(`${indent}}`);
  }

  private opNode(node: Node, indent: string): void {
    const op = node.op!;
    const id = this.id(node);
    const [first, second, third] = node.operands;
    let text: string;
    switch (op.prim) {
      case "if": {
        // operands: the condition, then the yield of the branch taken
        text = `${this.arg(second)} (${node.branch === 0 ? "if" : "if not"} ${this.arg(first)})`;
        this.edge(first, id, "style=dashed");
        this.edge(second, id);
        break;
      }
      case "load": {
        // operands: the memory, the index (for elements) and the element's ref
        const element = typeof node.element === "number" ? `[${node.element}]` : `.${node.element}`;
        text = `${this.memoryName(first as Memory)}${element}`;
        if (third !== undefined) this.edge(second, id, "style=dashed");
        this.edge(third ?? second, id);
        break;
      }
      case "length":
        text = `${this.memoryName(first as Memory)}.length`;
        break;
      default:
        text = expression(op, node.operands.map((o) => this.arg(o)));
        node.operands.forEach((o) => this.edge(o, id));
        // A call passed arrays depends on the elements it read there: dotted edges from those.
        node.inputs.forEach((x) => node.operands.includes(x) || this.edge(x, id, "style=dotted"));
    }
    this.node(node, `${this.heading(node)} = ${text}`, node.value.type.kind === "bool" ? booleanStyle : "", indent);
  }

  private node(node: Node, text: string, attrs = "", indent = "  "): void {
    const label = [text, `= ${formatScalar(node.x)}`];
    if (isDifferentiable(node.value.type)) {
      if (this.tangents) label.push(`u${DOT} = ${this.tangent(node)}`);
      if (this.adjoints) label.push(`u${BAR} = ${formatNumber(this.adjoints.get(node) ?? 0)}`);
    }
    this.lines.push(`${indent}${quote(this.id(node))} [label=${quote(label.join("\n"))}${attrs ? `, ${attrs}` : ""}];`);
  }

  /** The DOT id: the SSA name, the element of an input, the iterations of a node in loops. */
  private id(node: Node): string {
    const base = this.names.get(node.value)!;
    if (node.input) return `${base}${node.input.element.map((e) => (typeof e === "number" ? `[${e}]` : `.${e}`)).join("")}`;
    return `${base}${node.path.map((k) => `@${k}`).join("")}`;
  }

  /** How labels name a node: `u₆`, `u₆⁽²⁾`, `u₋₁[0]`. */
  private display(node: Node): string {
    const base = pretty(this.names.get(node.value)!);
    if (node.input) return `${base}${node.input.element.map((e) => (typeof e === "number" ? `[${e}]` : `.${e}`)).join("")}`;
    return `${base}${iterationMark(node.path)}`;
  }

  /** An input as the source writes it: `x1`, `x[0]`, `p.w`. */
  private sourceName(node: Node): string {
    const { param, element } = node.input!;
    return `${this.trace.func.params[param].name}${element.map((e) => (typeof e === "number" ? `[${e}]` : `.${e}`)).join("")}`;
  }

  /** A node's name and the source variable it is if any (`u₁ (s)`). */
  private heading(node: Node): string {
    return node.value.hint ? `${this.display(node)} (${node.value.hint})` : this.display(node);
  }

  /** An array or object as the source names it: a parameter, a local (`a`), an element (`m[1]`). */
  private memoryName(memory: Memory): string {
    const { origin } = memory;
    if ("parent" in origin) return `${this.memoryName(origin.parent)}${typeof origin.key === "number" ? `[${origin.key}]` : `.${origin.key}`}`;
    const param = this.trace.func.params.find((p) => p.value === origin.value);
    return param?.name ?? origin.value.hint ?? pretty(this.names.get(origin.value) ?? `v${origin.value.id}`);
  }

  private arg(operand: Operand): string {
    if (operand.kind === "constant") return formatScalar(operand.x);
    if (operand.kind === "memory") return this.memoryName(operand);
    return this.display(operand);
  }

  private tangent(ref: Ref): string {
    const t = (ref.kind === "node" && this.tangents!.get(ref)) || this.trace.inputs.map(() => 0);
    return t.length === 1 ? formatNumber(t[0]) : `(${t.map(formatNumber).join(", ")})`;
  }

  /** An edge from the node of `from` (none for a constant or memory) to the node `to`. */
  private edge(from: Operand, to: string, attrs = ""): void {
    if (from.kind !== "node") return;
    this.edges.add(`  ${quote(this.id(from))} -> ${quote(to)}${attrs ? ` [${attrs}]` : ""};`);
  }
}

function hasNodes(scope: Scope): boolean {
  return scope.items.some((item) => item.kind === "node" || hasNodes(item));
}
