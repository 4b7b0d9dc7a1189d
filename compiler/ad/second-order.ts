// Second derivatives by forward mode over reverse mode: the fused gradient's IR (forward sweep +
// reverse sweep) is ordinary IR, so the forward transform applies to it. Its tangent along v is
// H·v; with the n identity directions at once (vector mode) it is the whole Hessian.
import type { FunctionSpec } from "../backend/emit";
import type { Func, Region } from "../ir/types";
import { optimize } from "../opt";
import { forwardSweep } from "./forward";
import type { ForwardNames } from "./forward-functions";
import { reverseSweep } from "./reverse";

/** ∇f as a function of f's parameters: the optimised fused gradient. */
export function gradientFunc(func: Func): Func {
  const sweep = reverseSweep(func, { wrt: func.params.map((_, i) => i), seed: "one" });
  const body: Region = { ops: [...sweep.forward.ops, ...sweep.reverse.ops], yields: [...sweep.adjoints] };
  optimize(body);
  return { name: `${func.name}_grad`, params: func.params, body, loc: func.loc };
}

const valueParams = (func: Func) => func.params.map((p) => ({ kind: "value" as const, value: p.value, name: p.name }));

export function hessianFunction(func: Func, names: ForwardNames, what: string): FunctionSpec {
  const n = func.params.length;
  const all = func.params.map((_, i) => i);
  const sweep = forwardSweep(gradientFunc(func), { wrt: all, directions: n, seed: "identity" });
  const body: Region = { ops: sweep.body.ops, yields: sweep.tangents.flat() };
  optimize(body);
  const rows = all.map((i) => ({
    kind: "tuple" as const,
    items: all.map((j) => ({ kind: "value" as const, value: body.yields[i * n + j] })),
  }));
  return {
    name: names.fn,
    doc: `Hessian of ${what}: forward mode over the reverse sweep, n directions at once.`,
    params: valueParams(func),
    body,
    result: { kind: "tuple", items: rows },
  };
}

export function hvpFunction(func: Func, names: ForwardNames, what: string): FunctionSpec {
  const all = func.params.map((_, i) => i);
  const sweep = forwardSweep(gradientFunc(func), { wrt: all, directions: 1, seed: "param" });
  const body: Region = { ops: sweep.body.ops, yields: sweep.tangents.map((t) => t[0]) };
  optimize(body);
  return {
    name: names.fn,
    doc: `Hessian-vector product of ${what}: the tangent of its gradient along v (forward over reverse).`,
    params: [
      { kind: "tuple", name: "primals", items: func.params.map((p) => ({ value: p.value, name: p.name })) },
      { kind: "tuple", name: "v", items: sweep.seeds[0].map((v) => ({ value: v, name: names.field(v) })) },
    ],
    body,
    result: { kind: "tuple", items: body.yields.map((value) => ({ kind: "value" as const, value })) },
  };
}

/** grad(grad(f)) for f of one parameter: f″(x). */
export function secondDerivativeFunction(func: Func, names: ForwardNames, what: string): FunctionSpec {
  const sweep = forwardSweep(gradientFunc(func), { wrt: [0], directions: 1, seed: "identity" });
  const body: Region = { ops: sweep.body.ops, yields: [sweep.tangents[0][0]] };
  optimize(body);
  return {
    name: names.fn,
    doc: `Second derivative of ${what}: grad(grad(${func.name})), forward mode over the reverse sweep.`,
    params: valueParams(func),
    body,
    result: { kind: "value", value: body.yields[0] },
  };
}
