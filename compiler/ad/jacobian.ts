// The Jacobian of a function returning a number or a tuple of m numbers, of n parameters.
//   forward: one vector-mode forward sweep carrying the n identity directions: column j is the
//            tangents of the results along e_j. Chosen when n ≤ m.
//   reverse: one reverse sweep per result (row i is the gradient of result i), in one body; the
//            sweeps' shared primal work is merged by CSE. Chosen when n > m.
import type { FunctionSpec, ResultSpec } from "../backend/emit";
import { Builder } from "../ir/builder";
import type { Func, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { substitute, walkOps } from "../ir/walk";
import { optimize } from "../opt";
import { forwardSweep } from "./forward";
import type { ForwardNames } from "./forward-functions";
import { reverseSweep } from "./reverse";

export type JacobianMode = "forward" | "reverse";

/**
 * Forward when f has no more parameters than results (n ≤ m); with arrays or objects, whose sizes
 * are known only at run time: forward when f takes only numbers (few, against an array of
 * results), else reverse.
 */
export function defaultJacobianMode(func: Func): JacobianMode {
  if (func.params.some((p) => isAggregate(p.value.type))) return "reverse";
  return func.body.yields.some((v) => isAggregate(v.type)) || func.params.length <= func.body.yields.length ? "forward" : "reverse";
}

export function jacobianFunction(func: Func, mode: JacobianMode, names: ForwardNames, what: string): FunctionSpec {
  const n = func.params.length;
  const m = func.body.yields.length;
  const all = func.params.map((_, i) => i);
  let body: Region;
  if (mode === "forward") {
    const sweep = forwardSweep(func, { wrt: all, directions: n, seed: "identity" });
    body = { ops: sweep.body.ops, yields: sweep.tangents.flat() };
  } else {
    const b = new Builder();
    body = { ops: [], yields: [] };
    for (let i = 0; i < m; i++) {
      const output: Func = { ...func, body: { ops: func.body.ops, yields: [func.body.yields[i]] } };
      const sweep = reverseSweep(output, { wrt: all, seed: "one" });
      const row: Region = { ops: [...sweep.forward.ops, ...sweep.reverse.ops], yields: [...sweep.adjoints] };
      // Each sweep copies the primal ops with their values: later copies get fresh values.
      if (i > 0) freshen(row, b);
      body.ops.push(...row.ops);
      body.yields.push(...row.yields);
    }
  }
  optimize(body);
  // A row has the gradient's shape: bare for a function of one parameter.
  const rows = Array.from({ length: m }, (_, i) => row(all.map((j) => body.yields[i * n + j])));
  return {
    name: names.fn,
    doc: `Jacobian of ${what} (${m}×${n}, ${mode} mode): row i is the gradient of result i.`,
    params: func.params.map((p) => ({ kind: "value" as const, value: p.value, name: p.name })),
    body,
    result: { kind: "tuple", items: rows },
  };
}

/** A row of a Jacobian or Hessian, shaped like the gradient: one entry per parameter, bare for one. */
export function row(values: readonly Value[]): ResultSpec {
  const items = values.map((value) => ({ kind: "value" as const, value }));
  return items.length === 1 ? items[0] : { kind: "tuple", items };
}

/** Gives every value a region defines a new identity (same type and names), in place. */
function freshen(region: Region, b: Builder): void {
  const map = new Map<Value, Value>();
  const renew = (v: Value) => map.set(v, b.value(v.type, v.hint));
  // Op results and the params of nested regions (a loop's carried values) get new identities.
  walkOps(region, (op) => {
    op.results.forEach(renew);
    op.regions.forEach((r) => r.params?.forEach(renew));
  });
  for (const [old, fresh] of map) {
    if (old.adjointOf) fresh.adjointOf = map.get(old.adjointOf) ?? old.adjointOf;
    if (old.tangentOf) fresh.tangentOf = map.get(old.tangentOf) ?? old.tangentOf;
  }
  walkOps(region, (op) => {
    op.results.forEach((v, i) => (op.results[i] = map.get(v)!));
    op.regions.forEach((r) => {
      if (r.params) r.params = r.params.map((v) => map.get(v)!);
    });
  });
  substitute(region, map);
}
