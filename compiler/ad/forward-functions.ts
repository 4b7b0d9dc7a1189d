// The forward-mode functions adc generates for a function, as IR plus a signature:
//   jvp      jvp(f): (primals, tangents) → [value, tangent], shaped like f's parameters and result;
//            jvp(f, { directions: k }): (primals, [tangents₁…tangentsₖ]) → [value, [tangent₁…tangentₖ]]
//   tangent  what callers' tangent code calls: g_tangent(x…, ẋ…) → [value, ẏ₁…ẏₖ], specialised to
//            the arguments that vary at the call site and to the number of directions k
import type { FunctionSpec, ResultSpec } from "../backend/emit";
import type { Func, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { optimize } from "../opt";
import { forwardSweep } from "./forward";

export interface ForwardNames {
  readonly fn: string;
  /** The name of a tangent parameter (`x1_dot`). */
  readonly field: (v: Value) => string;
}

const item = (value: Value, name: string) => ({ value, name });
const values = (vs: readonly Value[]): ResultSpec[] => vs.map((value) => ({ kind: "value", value }));
/** Shaped like f's value: a number, a tuple for a tuple-valued f, an array or object typed as f's result. */
const shaped = (func: Func, vs: readonly Value[]): ResultSpec =>
  vs.length > 1 ? { kind: "tuple", items: values(vs) } : { kind: "value", value: vs[0], typeText: func.resultText };

/** `directions` given: the vector form, k tangents in and out (even for k = 1). */
export function jvpFunction(func: Func, names: ForwardNames, what: string, vectorDirections?: number): FunctionSpec {
  const directions = vectorDirections ?? 1;
  // The receiver of a method reading `this` comes first, as it is: its fields are constants here.
  const fixed = func.receiver ? 1 : 0;
  const all = func.params.map((_, i) => i).slice(fixed);
  const sweep = forwardSweep(func, { wrt: all, directions, seed: "param" });
  const m = sweep.values.length;
  const perDirection = Array.from({ length: directions }, (_, d) => sweep.tangents.map((t) => t[d]));
  const body: Region = { ops: sweep.body.ops, yields: [...sweep.values, ...perDirection.flat()] };
  optimize(body);
  const tangentItems = sweep.seeds.map((row) => row.map((v) => item(v, names.field(v))));
  const tangentsOut = perDirection.map((_, d) => shaped(func, body.yields.slice(m * (d + 1), m * (d + 2))));
  const vector = vectorDirections !== undefined;
  return {
    name: names.fn,
    doc: vector
      ? `Value and directional derivatives of ${what} along ${directions} tangents at once (forward mode, vector).`
      : `Value and directional derivative of ${what} along the tangents (forward mode).`,
    params: [
      ...func.params.slice(0, fixed).map((p) => ({ kind: "value" as const, value: p.value, name: p.name, typeText: p.typeText })),
      { kind: "tuple", name: "primals", items: func.params.slice(fixed).map((p) => item(p.value, p.name)) },
      { kind: "tuple", name: "tangents", items: vector ? tangentItems : tangentItems[0] },
    ],
    body,
    result: { kind: "tuple", items: [shaped(func, body.yields.slice(0, m)), vector ? { kind: "tuple", items: tangentsOut } : tangentsOut[0]] },
  };
}

/** Its results: f's values, then for each direction their tangents (what a `jvp` call op's results are). */
export function tangentFunction(func: Func, wrt: readonly number[], directions: number, names: ForwardNames, what: string): FunctionSpec {
  const sweep = forwardSweep(func, { wrt, directions, seed: "param" });
  const perDirection = Array.from({ length: directions }, (_, d) => sweep.tangents.map((t) => t[d]));
  const body: Region = { ops: sweep.body.ops, yields: [...sweep.values, ...perDirection.flat()] };
  optimize(body);
  const wrtNames = wrt.map((i) => func.params[i].name).join(", ");
  const along = directions === 1 ? "" : ` in ${directions} directions at once`;
  return {
    name: names.fn,
    doc: `Tangent of ${what}: its value and ∂${func.name}/∂(${wrtNames}) · ẋ${along}.`,
    params: [
      ...func.params.map((p) => ({ kind: "value" as const, value: p.value, name: p.name })),
      ...sweep.seeds.flat().map((v) => ({ kind: "value" as const, value: v, name: names.field(v) })),
    ],
    body,
    result: { kind: "tuple", items: body.yields.map((value) => ({ kind: "value", value, typeText: isAggregate(value.type) ? func.resultText : undefined })) },
  };
}
