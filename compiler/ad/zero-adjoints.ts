// Which adjoints may be a structural zero. The reverse sweep gives a value the adjoint 0 where the
// forward run took no path that used it: a branch not taken (`a > 5 ? r · a : a²` at a = 2, with
// r = log(a − 5) computed before the branch), a loop that ran no iteration, the operand min/max or
// a select did not pick. Zero times a singular local derivative (1/(a − 5) at a = 5, or any factor
// that is ±∞ or NaN because the unused value is) is NaN, where the path taken has a finite
// derivative. So the contributions of such adjoints are guarded (guard.ts); an adjoint that every
// path gives a contribution needs no guard. (An array element never read again is the one case
// left out: see visitOp.)
//
// A backward analysis over the structured primal that mirrors where the reverse transform merges
// an adjoint with a placeholder zero (reverse-if.ts, reverse-loop.ts). "Touched": some path may
// give the value a contribution; "definite": every path through the rest of the function does.
import type { Op, Region, Value } from "../ir/types";
import { definedIn } from "../ir/walk";
import { ruleFor } from "./rules";
import { zero } from "./rules/rule";

interface Flow {
  readonly touched: Set<Value>;
  readonly definite: Set<Value>;
}

/** Primitives that pass the adjoint to one operand and 0 to the other (select's condition has none). */
const picking = new Set(["select", "min", "max"]);

/**
 * The values of `body` (op results and loop parameters, at any depth) whose adjoint, when the
 * reverse sweep reaches their definition, is a contribution of some path taken, given that the
 * `seeded` values (the result) have the seed as adjoint.
 */
export function definiteAdjoints(body: Region, seeded: readonly Value[]): Set<Value> {
  const definite = new Set<Value>();
  visit(body, { touched: new Set(seeded), definite: new Set(seeded) }, definite);
  return definite;
}

/** Walks `region` backwards from its end, where `flow` holds what its yields receive; records its definitions' status. */
function visit(region: Region, flow: Flow, result: Set<Value>): void {
  for (let i = region.ops.length - 1; i >= 0; i--) {
    const op = region.ops[i];
    if (op.prim === "if") visitIf(op, flow, result);
    else if (op.prim === "while") visitWhile(op, flow, result);
    else visitOp(op, flow);
  }
  // A loop body is visited again until its carried adjoints settle: the last visit decides.
  const record = (v: Value) => (flow.definite.has(v) ? result.add(v) : result.delete(v));
  region.params?.forEach(record);
  for (const op of region.ops) op.results.forEach(record);
}

function carriesAdjoint(v: Value): boolean {
  return v.type.kind === "f64" || v.type.kind === "tensor";
}

function visitOp(op: Op, flow: Flow): void {
  const give = (x: Value, sure: boolean) => {
    if (!carriesAdjoint(x)) return;
    flow.touched.add(x);
    if (sure) flow.definite.add(x);
  };
  // A stored value's adjoint is read back from shadow memory, and is zero if the element is never
  // read again. Counted as definite all the same: every element's adjoint would be guarded then,
  // and in loops over arrays (LSTM: +10% instructions) that costs more than the rare element
  // written, never read and NaN is worth. A known gap, documented in README.
  if (op.prim === "store") return give(op.args[2], true);
  if (op.prim === "fill") return give(op.args[1], true);
  if (!op.results.some((r) => flow.touched.has(r))) return;
  // A load's adjoint goes into shadow memory, not to an SSA operand.
  if (op.prim === "load" || ruleFor(op.prim) === zero) return;
  const sure = op.results.some((r) => flow.definite.has(r));
  op.args.forEach((x, k) => give(x, sure && !(picking.has(op.prim) && (op.prim !== "select" || k > 0))));
}

function visitIf(op: Op, flow: Flow, result: Set<Value>): void {
  const branches = op.regions.map((branch) => {
    const inner: Flow = { touched: new Set(), definite: new Set() };
    op.results.forEach((r, i) => {
      if (flow.touched.has(r)) inner.touched.add(branch.yields[i]);
      if (flow.definite.has(r)) inner.definite.add(branch.yields[i]);
    });
    visit(branch, inner, result);
    return { inner, inside: definedIn(branch) };
  });
  // A value from outside: touched if a branch touches it, definite only if every branch makes it so.
  for (const { inner, inside } of branches) for (const v of inner.touched) if (!inside.has(v)) flow.touched.add(v);
  const [first, ...rest] = branches;
  for (const v of first.inner.definite) {
    if (!first.inside.has(v) && rest.every((b) => b.inner.definite.has(v))) flow.definite.add(v);
  }
}

function visitWhile(op: Op, flow: Flow, result: Set<Value>): void {
  const body = op.regions[1];
  const slots = op.args.map((_, j) => j);
  // Carried adjoints: definite if the loop's result is and every iteration passes it on; the
  // reverse loop starts from the results' adjoints and each iteration hands the previous one what
  // its parameters received.
  let sure = slots.filter((j) => flow.definite.has(op.results[j]));
  let reached = slots.filter((j) => flow.touched.has(op.results[j]));
  let inner: Flow;
  for (;;) {
    inner = { touched: new Set(reached.map((j) => body.yields[j])), definite: new Set(sure.map((j) => body.yields[j])) };
    visit(body, inner, result);
    const nextSure = sure.filter((j) => inner.definite.has(body.params![j]));
    const nextReached = slots.filter((j) => reached.includes(j) || inner.touched.has(body.params![j]));
    if (nextSure.length === sure.length && nextReached.length === reached.length) break;
    sure = nextSure;
    reached = nextReached;
  }
  const inside = definedIn(body);
  for (const v of inner.touched) if (!inside.has(v)) flow.touched.add(v);
  // Values from outside: a loop may run no iteration, unless it tests its condition after the body.
  if (op.attrs.post) for (const v of inner.definite) if (!inside.has(v)) flow.definite.add(v);
  for (const j of reached) if (carriesAdjoint(op.args[j])) flow.touched.add(op.args[j]);
  for (const j of sure) if (carriesAdjoint(op.args[j])) flow.definite.add(op.args[j]);
}
