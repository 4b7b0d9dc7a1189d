// Constant folding and the algebraic identities that are exact in IEEE arithmetic (x·1, x+0, …),
// plus `if` on a constant condition and reads of literals nothing writes (literals.ts). Never
// folds 0·x (NaN and ∞ must survive).
import type { Op, Region, Value } from "../ir/types";
import { primitives } from "../ir/primitives";
import { Builder } from "../ir/builder";
import { isWholeSize } from "../ir/sizes";
import { definedIn } from "../ir/walk";
import { literalReads, type LiteralRead } from "./literals";

type Replacements = Map<Value, Value>;

export function fold(body: Region, b: Builder): void {
  foldRegion(body, new Map(), new Map(), b, literalReads(body));
}

function foldRegion(
  region: Region,
  consts: Map<Value, number | boolean>,
  replace: Replacements,
  b: Builder,
  literal: LiteralRead,
  negated = new Map<Value, Value>(),
  lengths = new Map<Value, Value>(),
  sizes = new Set<Value>(),
): void {
  const out: Op[] = [];
  const sub = (v: Value) => replace.get(v) ?? v;
  for (const op of region.ops) {
    for (let i = 0; i < op.args.length; i++) op.args[i] = sub(op.args[i]);
    if (op.prim === "const") {
      consts.set(op.results[0], op.attrs.value!);
      out.push(op);
      continue;
    }
    if (op.prim === "if") {
      // Values are SSA: one defined in a branch is only ever used there, so facts need no scoping.
      op.regions.forEach((r) => foldRegion(r, consts, replace, b, literal, negated, lengths, sizes));
      const cond = consts.get(op.args[0]);
      if (cond !== undefined) {
        const taken = op.regions[cond ? 0 : 1];
        out.push(...taken.ops);
        op.results.forEach((r, i) => alias(replace, r, taken.yields[i]));
        continue;
      }
      // A result both branches yield from outside is that value (`if (c) { x } else { x }`).
      const [then, otherwise] = op.regions;
      op.results.forEach((r, i) => {
        const v = then.yields[i];
        if (v === otherwise.yields[i] && !definedIn(then).has(v)) alias(replace, r, v);
      });
      out.push(op);
      continue;
    }
    if (op.regions.length > 0) {
      op.regions.forEach((r) => foldRegion(r, consts, replace, b, literal, negated, lengths, sizes));
      out.push(op);
      continue;
    }
    // An array allocated with length n (never growing) has length n, as the frontend assumes: a
    // helper's `v.length`, once inlined, is the caller's size, which loops hoisted out can use.
    // `new Array(n)` throws unless n is whole; a typed array's size is its length only when whole (ir/sizes.ts).
    const exact = op.prim === "alloc" && (op.attrs.container === "Array" || isWholeSize(sizes.has(op.args[0]), consts.get(op.args[0])));
    if (exact && !op.attrs.growable && op.args.length === 1) lengths.set(op.results[0], op.args[0]);
    if (op.prim === "length") sizes.add(op.results[0]);
    const known = op.prim === "length" ? lengths.get(op.args[0]) : undefined;
    if (known) {
      alias(replace, op.results[0], known);
      continue;
    }
    const element = op.prim === "load" ? literal(op, consts) : undefined;
    if (element) {
      alias(replace, op.results[0], element);
      continue;
    }
    if (op.prim === "add" && op.args[0] === op.args[1]) {
      // x + x = 2·x exactly; reads better in adjoints (the two operands of x·x).
      const two = b.const(2);
      const c = b.region.ops.pop()!;
      consts.set(two, 2);
      out.push(c, { ...op, prim: "mul", args: [two, op.args[0]] });
      continue;
    }
    const simpler = simplify(op, consts, negated);
    if (simpler === undefined) {
      if (op.prim === "neg") negated.set(op.results[0], op.args[0]);
      out.push(op);
    } else if ("value" in simpler) {
      const c: Op = { ...op, prim: "const", args: [], attrs: { value: simpler.value }, regions: [] };
      consts.set(op.results[0], simpler.value);
      out.push(c);
    } else if ("alias" in simpler) {
      alias(replace, op.results[0], simpler.alias);
    } else {
      out.push({ ...op, prim: simpler.prim, args: simpler.args });
    }
  }
  region.ops = out;
  for (let i = 0; i < region.yields.length; i++) region.yields[i] = sub(region.yields[i]);
}

/** `from` is replaced by `to`. Names stay with `to`: it may be a primal value, so an adjoint's name must not move onto it. */
function alias(replace: Replacements, from: Value, to: Value): void {
  const target = replace.get(to) ?? to;
  if (target.hint === undefined && target.adjointOf === undefined && target.tangentOf === undefined && from.adjointOf === undefined && from.tangentOf === undefined) {
    target.hint = from.hint;
  }
  replace.set(from, target);
}

type Simplified = { value: number | boolean } | { alias: Value } | { prim: string; args: Value[] };

function simplify(op: Op, consts: Map<Value, number | boolean>, negated: Map<Value, Value>): Simplified | undefined {
  const p = primitives.get(op.prim);
  if (!p) return undefined;
  const cs = op.args.map((a) => consts.get(a));
  if (op.args.length > 0 && cs.every((c) => c !== undefined)) return { value: p.evaluate(...cs) };
  const [x, y] = op.args;
  const [cx, cy] = cs;

  switch (op.prim) {
    case "add":
      if (cy === 0) return { alias: x };
      if (cx === 0) return { alias: y };
      if (negated.has(y)) return { prim: "sub", args: [x, negated.get(y)!] }; // a + (−b) = a − b exactly
      break;
    case "sub":
      if (cy === 0) return { alias: x };
      if (cx === 0) return { prim: "neg", args: [y] };
      break;
    case "mul":
      if (cy === 1) return { alias: x };
      if (cx === 1) return { alias: y };
      if (cy === -1) return { prim: "neg", args: [x] };
      if (cx === -1) return { prim: "neg", args: [y] };
      break;
    case "neg":
      if (negated.has(x)) return { alias: negated.get(x)! }; // −(−a) = a
      break;
    case "and":
      if (cy === true) return { alias: x };
      if (cx === true) return { alias: y };
      break;
    case "or":
      if (cy === false) return { alias: x };
      if (cx === false) return { alias: y };
      break;
    case "div":
      if (cy === 1) return { alias: x };
      break;
    case "pow":
      if (cy === 1) return { alias: x };
      if (cy === 2) return { prim: "mul", args: [x, x] };
      break;
    case "select":
      if (cs[0] !== undefined) return { alias: cs[0] ? op.args[1] : op.args[2] };
      if (op.args[1] === op.args[2]) return { alias: op.args[1] };
      break;
  }
  return undefined;
}
