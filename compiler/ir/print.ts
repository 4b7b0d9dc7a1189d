// The IR as text (`adc ir`, tests). Parameters are numbered u₋ₙ₊₁…u₀ and op results u1, u2, … in
// order, as in the evaluation traces of the AD literature; constants are printed inline.
import * as path from "node:path";
import type { Func, Op, Region, Value } from "./types";
import { walkOps } from "./walk";

/**
 * The trace names: parameters u₋ₙ₊₁…u₀, then the results of every op but constants u1, u2, … in
 * the order the ops are printed (an `if`'s results before the ops of its regions).
 */
export function traceNames(func: Pick<Func, "params" | "body">): Map<Value, string> {
  const names = new Map<Value, string>();
  const n = func.params.length;
  func.params.forEach((p, i) => names.set(p.value, `u${i - n + 1}`));
  let counter = 0;
  walkOps(func.body, (op) => {
    if (op.prim !== "const") for (const r of op.results) if (!names.has(r)) names.set(r, `u${++counter}`);
  });
  return names;
}

export function printFunction(func: Pick<Func, "name" | "params" | "body">): string {
  const names = traceNames(func);
  const consts = new Map<Value, string>();
  let counter = names.size - func.params.length;
  const name = (v: Value): string => {
    const c = consts.get(v);
    if (c !== undefined) return c;
    let s = names.get(v);
    if (s === undefined) {
      s = `u${++counter}`; // a value defined outside the body (a residual)
      names.set(v, s);
    }
    return s;
  };
  const lines: string[] = [];
  const params = func.params.map((p) => `${name(p.value)} ${p.name}: ${p.value.type.kind}`).join(", ");
  lines.push(`func ${func.name}(${params}) {`);
  const region = (r: Region, indent: string, closing: string) => {
    for (const op of r.ops) {
      if (op.prim === "const") {
        consts.set(op.results[0], String(op.attrs.value));
        continue;
      }
      lines.push(indent + opLine(op, name));
      if (op.prim === "if") {
        region(op.regions[0], indent + "  ", "yield");
        lines.push(`${indent}} else {`);
        region(op.regions[1], indent + "  ", "yield");
        lines.push(`${indent}}`);
      }
      if (op.prim === "while") {
        op.regions.forEach((r, i) => {
          lines.push(`${indent}  ${i === 0 ? "cond" : "body"}(${(r.params ?? []).map(name).join(", ")}):`);
          region(r, indent + "    ", "yield");
        });
        lines.push(`${indent}}`);
      }
    }
    lines.push(`${indent}${closing} ${r.yields.map(name).join(", ")}`);
  };
  region(func.body, "  ", "return");
  lines.push("}");
  return lines.join("\n") + "\n";
}

function opLine(op: Op, name: (v: Value) => string): string {
  const results = op.results.map(name).join(", ");
  const args = op.args.map(name).join(", ");
  const wrt = op.attrs.wrt ? `[${op.attrs.wrt.join(",")}]` : "";
  const callee = op.attrs.callee ? ` @${op.attrs.callee}${op.attrs.variant ? `.${op.attrs.variant}${wrt}` : ""}` : "";
  const hints = op.results.map((r) => r.hint ?? (r.adjointOf ? `${r.adjointOf.hint ?? name(r.adjointOf)}̄` : "")).filter(Boolean);
  const where = op.loc ? `${path.basename(op.loc.file)}:${op.loc.line}` : "";
  const comment = [hints.join(", "), where].filter(Boolean).join("  ");
  const field = op.attrs.field !== undefined ? ` .${op.attrs.field}` : "";
  const post = op.attrs.post ? " post" : "";
  const text = `${results ? `${results} = ` : ""}${op.prim}${callee}${field}${post} ${args}`.trimEnd() + (op.regions.length > 0 ? " {" : "");
  return comment ? `${text.padEnd(36)} ; ${comment}` : text;
}
