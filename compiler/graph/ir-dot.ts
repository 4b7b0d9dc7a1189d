// A function's IR as DOT, without a point: the inputs, one node per operation, the output. Each
// branch of an `if` is a cluster, with a node per result joining them; a loop is a cluster holding
// a node per carried value, named as the loop's result it becomes (its initial value, then the
// value the body yields: `u₂ (s) = 0, then u₉`), its test and its body. Memory ops are nodes too:
// reads `u₋₁[u₁]`, writes `u₅[u₁] ← u₆` with a dashed edge to the array they write.
import { traceNames } from "../ir/print";
import type { Func, Op, Region, Value } from "../ir/types";
import { constantDefs } from "../ir/walk";
import { booleanStyle, clusterStyle, expression, formatNumber, preamble, pretty, quote } from "./format";

export function irDot(func: Func): string {
  return new IrWriter(func).run();
}

class IrWriter {
  private readonly names: Map<Value, string>;
  private readonly constants: Map<Value, Op>;
  private readonly lines: string[] = [];
  private readonly edges = new Set<string>();
  /** The values drawn as another's node: a loop test's parameters are its body's carried values. */
  private readonly aliases = new Map<Value, Value>();
  private statements = 0;

  constructor(private readonly func: Func) {
    this.names = traceNames(func);
    this.constants = constantDefs(func.body);
  }

  run(): string {
    const { func } = this;
    const signature = `${func.name}(${func.params.map((p) => p.name).join(", ")})`;
    this.lines.push(...preamble(func.name, signature));
    for (const p of func.params) this.node(p.value, `${this.display(p.value)} = ${p.name}`, "shape=ellipse");
    this.region(func.body, "  ");
    this.lines.push(`  "output" [label=${quote(signature)}, peripheries=2];`);
    this.edge(func.body.yields[0], "output");
    this.lines.push(...this.edges, "}");
    return this.lines.join("\n") + "\n";
  }

  private region(region: Region, indent: string): void {
    for (const op of region.ops) {
      if (op.prim === "const") continue;
      if (op.prim === "if") this.ifOp(op, indent);
      else if (op.prim === "while") this.whileOp(op, indent);
      else this.opNode(op, indent);
    }
  }

  private opNode(op: Op, indent: string): void {
    const [result] = op.results;
    const args = op.args.map((x) => this.arg(x));
    if (!result) {
      // A write: a node of its own, with a dashed edge to the memory it writes.
      const id = `write${++this.statements}`;
      const text = op.prim === "store" ? `${args[0]}${op.attrs.field ? `.${op.attrs.field}` : `[${args[1]}]`} ← ${args[op.args.length - 1]}`
        : op.prim === "fill" ? `${args[0]}.fill(${args[1]})` : expression(op, args);
      this.lines.push(`${indent}${quote(id)} [label=${quote(text)}, shape=box];`);
      op.args.slice(1).forEach((x) => this.edge(x, id));
      this.edge(op.args[0], id, "style=dashed, dir=back, label=\"writes\"");
      return;
    }
    let text: string;
    switch (op.prim) {
      case "load":
        text = op.attrs.field ? `${args[0]}.${op.attrs.field}` : `${args[0]}[${args[1]}]`;
        break;
      case "length":
        text = `${args[0]}.length`;
        break;
      case "global":
        text = op.attrs.global!.name;
        break;
      case "alloc":
        text = `new ${op.attrs.container ?? "Float64Array"}(${args[0]})`;
        break;
      case "slice":
        text = `${args[0]}.slice(${args.slice(1).join(", ")})`;
        break;
      default:
        text = expression(op, args);
    }
    this.node(result, `${this.heading(result)} = ${text}`, result.type.kind === "bool" ? booleanStyle : "", indent);
    op.args.forEach((x) => this.edge(x, this.id(result)));
  }

  /** Each branch a cluster; each result a node joining them. */
  private ifOp(op: Op, indent: string): void {
    const condition = this.arg(op.args[0]);
    const id = this.names.get(op.results[0]) ?? `if${this.lines.length}`;
    op.regions.forEach((branch, k) => {
      this.lines.push(`${indent}subgraph ${quote(`cluster_${id}_${k === 0 ? "then" : "else"}`)} {`);
      this.lines.push(`${indent}  label=${quote(`${k === 0 ? "if" : "if not"} ${condition}`)}; ${clusterStyle}`);
      this.region(branch, indent + "  ");
      this.lines.push(`${indent}}`);
    });
    op.results.forEach((r, i) => {
      const [then, otherwise] = op.regions.map((branch) => this.arg(branch.yields[i]));
      this.node(r, `${this.heading(r)} = ${condition} ? ${then} : ${otherwise}`, r.type.kind === "bool" ? booleanStyle : "", indent);
      const target = this.id(r);
      this.edge(op.args[0], target, "style=dashed");
      op.regions.forEach((branch, k) => this.edge(branch.yields[i], target, `label=${k === 0 ? '"then"' : '"else"'}`));
    });
  }

  /**
   * A cluster with the carried values, the test and the body. A carried value is drawn as the
   * loop's result it becomes (`u₁ (i) = 0, then u₁₀`): the test's and the body's parameters and
   * the uses after the loop all point at that one node.
   */
  private whileOp(op: Op, indent: string): void {
    const [cond, body] = op.regions;
    const carried = body.params ?? [];
    const drawn = carried.map((p, i) => op.results[i] ?? p);
    carried.forEach((p, i) => this.aliases.set(p, drawn[i]));
    cond.params?.forEach((p, i) => this.aliases.set(p, drawn[i]));
    const id = this.names.get(op.results[0]) ?? `loop${this.lines.length}`;
    const where = op.loc ? ` at line ${op.loc.line}` : "";
    this.lines.push(`${indent}subgraph ${quote(`cluster_${id}_loop`)} {`);
    this.lines.push(`${indent}  label=${quote(`loop${where}${op.attrs.post ? " (do … while)" : ""}`)}; ${clusterStyle}`);
    drawn.forEach((v, i) => {
      this.node(v, `${this.heading(v)} = ${this.arg(op.args[i])}, then ${this.arg(body.yields[i])}`, v.type.kind === "bool" ? booleanStyle : "", indent + "  ");
      this.edge(op.args[i], this.id(v), 'label="init"');
      this.edge(body.yields[i], this.id(v), 'label="next", style=dashed, constraint=false');
    });
    const parts: [string, Region][] = [["test", cond], ["body", body]];
    if (op.attrs.post) parts.reverse();
    for (const [part, region] of parts) {
      this.lines.push(`${indent}  subgraph ${quote(`cluster_${id}_${part}`)} {`);
      this.lines.push(`${indent}    label=${quote(part === "test" ? `while ${this.arg(cond.yields[0])}` : "body")}; ${clusterStyle}`);
      this.region(region, indent + "    ");
      this.lines.push(`${indent}  }`);
    }
    this.lines.push(`${indent}}`);
  }

  /** An operand as written in a label: its trace name, or the constant itself. */
  private arg(v: Value): string {
    const constant = this.constants.get(v);
    if (constant) return typeof constant.attrs.value === "number" ? formatNumber(constant.attrs.value) : String(constant.attrs.value);
    return this.display(v);
  }

  private id(v: Value): string {
    const own = this.aliases.get(v) ?? v;
    return this.names.get(own) ?? `v${own.id}`;
  }

  private display(v: Value): string {
    return pretty(this.id(v));
  }

  /** How a node's label starts: its name, and the source variable it is if any (`u₁ (s)`). */
  private heading(v: Value): string {
    return v.hint ? `${this.display(v)} (${v.hint})` : this.display(v);
  }

  private node(v: Value, text: string, attrs = "", indent = "  "): void {
    this.lines.push(`${indent}${quote(this.id(v))} [label=${quote(text)}${attrs ? `, ${attrs}` : ""}];`);
  }

  /** An edge from the node defining `from` (none for a constant) to the node `to`. */
  private edge(from: Value, to: string, attrs = ""): void {
    if (this.constants.has(from)) return;
    this.edges.add(`  ${quote(this.id(from))} -> ${quote(to)}${attrs ? ` [${attrs}]` : ""};`);
  }
}
