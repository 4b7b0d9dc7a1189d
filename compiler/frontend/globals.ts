// Module-level `const` bindings that differentiated code reads: data arrays (`const xs = [1, 2, 3]`),
// tables, configuration objects, tensors, and numbers the compiler cannot fold (`const n = xs.length`).
// Each read is a `global` op naming the binding, printed as the name itself where the generated code
// runs, so the function sees the binding's contents at the time of the call. They are constants of
// the derivative (no adjoint, no tangent) and never written: a write through one is refused, since
// the reverse sweep may read it again.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import type { Attrs, Op, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { moduleConstant } from "./constants";
import type { Lowerer } from "./lowerer";
import { irType } from "./types";

/** A variable declared at the top level of a source file (`const`, `let` or `var`), with its declaration list. */
function moduleVariable(symbol: ts.Symbol | undefined): { decl: ts.VariableDeclaration; list: ts.VariableDeclarationList } | undefined {
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent) || !ts.isSourceFile(list.parent.parent)) return undefined;
  return { decl, list };
}

/** The declaration of a module-level `const` binding in a source file of the program, if `symbol` is one. */
export function moduleBinding(symbol: ts.Symbol | undefined): ts.VariableDeclaration | undefined {
  const found = moduleVariable(symbol);
  if (!found || !(found.list.flags & ts.NodeFlags.Const)) return undefined;
  const { decl } = found;
  // `declare const` (a library's ambient binding) has no module generated code could import it from.
  if (decl.getSourceFile().isDeclarationFile || ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Ambient) return undefined;
  return decl;
}

/** The `global` attribute: where the binding is declared, by file and name (IR attributes are plain data). */
export function globalAttrs(decl: ts.VariableDeclaration): Attrs {
  return { global: { file: decl.getSourceFile().fileName, name: (decl.name as ts.Identifier).text } };
}

/**
 * The value of a module-level constant that differentiated code reads: a number folded at compile
 * time (constants.ts), or a `global` op of the binding's declared type; undefined for anything else.
 */
export function moduleValue(l: Lowerer, symbol: ts.Symbol | undefined, at: ts.Identifier): Value | undefined {
  const constant = symbol && moduleConstant(l.checker, symbol);
  if (constant !== undefined) return l.b.const(constant);
  const decl = moduleBinding(symbol);
  if (!decl) return undefined;
  const type = irType(l.checker, l.checker.getTypeAtLocation(decl.name), at, `module constant '${at.text}'`);
  return l.b.op("global", [], type, globalAttrs(decl));
}

/**
 * A module binding whose memory a reference may reach (through rows and fields, and through the
 * arrays and objects a literal holds: `[data][0]` is `data`), if any: writes through it are refused.
 */
export function globalRoot(v: Value, defs: ReadonlyMap<Value, Op>, seen = new Set<Value>()): Op | undefined {
  if (seen.has(v)) return undefined;
  seen.add(v);
  const def = defs.get(v);
  if (!def) return undefined;
  if (def.prim === "global") return def;
  if (def.prim === "load" && isAggregate(def.results[0].type)) return globalRoot(def.args[0], defs, seen);
  if (def.prim === "array" || def.prim === "struct") {
    // A spread element is copied into the literal, not held by it.
    for (const [i, a] of def.args.entries()) {
      const found = isAggregate(a.type) && !def.attrs.spread?.[i] ? globalRoot(a, defs, seen) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses a write into memory reached from a module binding. */
export function refuseGlobalWrite(target: Value, defs: ReadonlyMap<Value, Op>, at: ts.Node): void {
  const root = globalRoot(target, defs);
  if (!root) return;
  const name = root.attrs.global!.name;
  const type = root.results[0].type;
  const copy =
    type.kind !== "array" ? "copy the array it writes into a local first" :
    type.element.kind === "array" ? `copy it first (\`const local = ${name}.map((row) => row.slice())\`)` :
    `copy it first (\`const local = ${name}.slice()\`)`;
  throw new Refusal(Codes.FreeVariable, `'${name}' is a module constant: differentiated code may read it but not write it; ${copy}`, at);
}

/** Why a module-level binding that is not a constant cannot be read: `let` and `var` may change between the sweeps. */
export function mutableModuleBinding(symbol: ts.Symbol | undefined): string | undefined {
  const found = moduleVariable(symbol);
  if (!found || found.list.flags & ts.NodeFlags.Const) return undefined;
  return `a module-level ${found.list.flags & ts.NodeFlags.Let ? "let" : "var"}; differentiated code reads module-level constants only (declare it const, or pass it as a parameter)`;
}
