// Second derivatives by forward mode over reverse mode: the fused gradient's IR (forward sweep +
// reverse sweep) is ordinary IR, so the forward transform applies to it. Its tangent along v is
// H·v; with the n identity directions at once (vector mode) it is the whole Hessian.
import type { FunctionSpec } from "../backend/emit";
import type { Func, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { optimize } from "../opt";
import { forwardSweep } from "./forward";
import type { ForwardNames } from "./forward-functions";
import { row } from "./jacobian";
import { reverseSweep } from "./reverse";

/** ∇f as a function of f's parameters: the optimised fused gradient. */
export function gradientFunc(func: Func): Func {
  const sweep = reverseSweep(func, { wrt: func.params.map((_, i) => i), seed: "one" });
  const body: Region = { ops: [...sweep.forward.ops, ...sweep.reverse.ops], yields: [...sweep.adjoints] };
  optimize(body);
  return { name: `${func.name}_grad`, params: func.params, body, loc: func.loc };
}

/**
 * g's pullback as a function of (x…, shadows…, seeds…): what a reverse sweep's call of g_pullback
 * computes (its number adjoints; it adds into the shadows of its array and object arguments).
 */
export function pullbackFunc(func: Func, wrt: readonly number[], seedName: (seed: Value) => string): Func {
  const sweep = reverseSweep(func, { wrt, seed: "param", shadowParams: true });
  const body: Region = { ops: [...sweep.forward.ops, ...sweep.reverse.ops], yields: [...sweep.adjoints] };
  optimize(body);
  const shadowed = wrt.filter((i) => isAggregate(func.params[i].value.type));
  const shadows = sweep.shadowParams.map((value, k) => ({ value, name: `${func.params[shadowed[k]].name}_bar`, typeText: func.params[shadowed[k]].typeText }));
  const seeds = sweep.seeds.map((value) => ({ value, name: seedName(value) }));
  return { name: `${func.name}_pullback`, params: [...func.params, ...shadows, ...seeds], body, loc: func.loc };
}

/**
 * The tangent of g's pullback, for forward mode over a reverse sweep that calls g: its adjoints,
 * then for each direction the adjoints' tangents along the (x…, seed) arguments in `tangentWrt`.
 */
export function pullbackTangentFunction(
  func: Func,
  wrt: readonly number[],
  tangentWrt: readonly number[],
  directions: number,
  names: ForwardNames & { readonly seed: string; readonly bind: (v: Value, name: string) => void },
  what: string,
): FunctionSpec {
  // Shadows and seeds are parameters like the others: their tangents are named after them (`seed_dot`).
  const single = func.body.yields.length === 1;
  const pullback = pullbackFunc(func, wrt, (seed) => (single ? names.seed : names.field(seed)));
  for (const p of pullback.params.slice(func.params.length)) names.bind(p.value, p.name);
  const sweep = forwardSweep(pullback, { wrt: tangentWrt, directions, seed: "param" });
  const along = tangentWrt.map((i) => pullback.params[i].name).join(", ");
  const tangents = Array.from({ length: directions }, (_, d) => sweep.tangents.map((t) => t[d]));
  const body: Region = { ops: sweep.body.ops, yields: [...sweep.values, ...tangents.flat()] };
  optimize(body);
  const wrtNames = wrt.map((i) => func.params[i].name).join(", ");
  return {
    name: names.fn,
    doc: `Tangent of the pullback of ${what}: seed × ∂${func.name}/∂(${wrtNames}) and its derivative along (${along})${directions === 1 ? "" : ` in ${directions} directions`}.`,
    params: [
      // The shadows (after f's parameters) and their tangents are added into.
      ...pullback.params.map((p, i) => ({ kind: "value" as const, value: p.value, name: p.name, typeText: p.typeText, writable: i >= func.params.length && isAggregate(p.value.type) })),
      ...sweep.seeds.flat().map((v, i) => {
        const of = pullback.params[tangentWrt[i % tangentWrt.length]];
        return { kind: "value" as const, value: v, name: names.field(v), typeText: of.typeText, writable: isAggregate(v.type) };
      }),
    ],
    body,
    result: { kind: "tuple", items: body.yields.map((value) => ({ kind: "value" as const, value })) },
  };
}

const valueParams = (func: Func) => func.params.map((p) => ({ kind: "value" as const, value: p.value, name: p.name }));

export function hessianFunction(func: Func, names: ForwardNames, what: string): FunctionSpec {
  const n = func.params.length;
  const all = func.params.map((_, i) => i);
  const sweep = forwardSweep(gradientFunc(func), { wrt: all, directions: n, seed: "identity" });
  const body: Region = { ops: sweep.body.ops, yields: sweep.tangents.flat() };
  optimize(body);
  const rows = all.map((i) => row(all.map((j) => body.yields[i * n + j])));
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
      { kind: "tuple", name: "primals", items: func.params.map((p) => ({ value: p.value, name: p.name, typeText: p.typeText })) },
      { kind: "tuple", name: "v", items: sweep.seeds[0].map((v, i) => ({ value: v, name: names.field(v), typeText: func.params[i].typeText })) },
    ],
    body,
    result: { kind: "tuple", items: body.yields.map((value, i) => ({ kind: "value" as const, value, typeText: func.params[i].typeText })) },
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
