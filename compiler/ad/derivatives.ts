// The derivative functions adc generates for a function, as IR plus a signature for the backend:
//   grad          fused forward + reverse sweep, seed 1, returns the gradient
//   valueAndGrad  the same, returning the value too
//   pullback      fused, seed as a parameter; what callers' reverse sweeps call
//   forward / adjoint  the split used by vjp: the forward sweep returns the value and the residuals
//                 the adjoint reads; the adjoint runs the reverse sweep from the residuals and a seed.
// and, in forward mode (forward-functions.ts, jacobian.ts, second-order.ts):
//   jvp, tangent, jacobian, hessian, hvp, grad2 (grad(grad(f))).
import type { FunctionSpec, ParamSpec, ResultSpec } from "../backend/emit";
import type { Func, Region, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { constantDefs, freeValues, walkOps } from "../ir/walk";
import { optimize } from "../opt";
import { prunePushesWithoutPops } from "../opt/tape";
import { reuseScratch } from "../opt/reuse-scratch";
import { Builder } from "../ir/builder";
import { reverseSweep } from "./reverse";
import { jvpFunction, tangentFunction } from "./forward-functions";
import { defaultJacobianMode, jacobianFunction, type JacobianMode } from "./jacobian";
import { hessianFunction, hvpFunction, pullbackTangentFunction, secondDerivativeFunction } from "./second-order";

export type Kind = "grad" | "valueAndGrad" | "pullback" | "vjp" | "jvp" | "tangent" | "jacobian" | "hessian" | "hvp" | "grad2" | "pullbackTangent";

export interface DerivativeRequest {
  readonly kind: Kind;
  /** Parameter indices differentiated, in result order. */
  readonly wrt: readonly number[];
  /** Return a single gradient bare instead of in a one-element tuple. */
  readonly bare: boolean;
  /** tangent, pullbackTangent: the number of directions carried at once. */
  readonly directions?: number;
  /** pullbackTangent: the pullback arguments (x…, seed) that carry tangents. */
  readonly tangentWrt?: readonly number[];
  /** jacobian: forward or reverse mode. */
  readonly mode?: JacobianMode;
}

export interface Names {
  readonly fn: string;
  /** For vjp: the forward, adjoint and residual type names. */
  readonly forward?: string;
  readonly adjoint?: string;
  readonly residuals?: string;
  /** The seed parameter's name (pullback and adjoint), distinct from every other name. */
  readonly seed: string;
  /** Names for the residual fields: the locals they are bound to on both sides. */
  readonly field: (v: Value) => string;
  /** Gives a value a name chosen in advance (a parameter). */
  readonly bind: (v: Value, name: string) => void;
}

const valueParams = (func: Func) =>
  func.params.map((p) => ({ kind: "value" as const, value: p.value, name: p.name, typeText: p.typeText }));

function fused(func: Func, wrt: readonly number[], seed: "one" | "param", withValue: boolean, shadowParams = false) {
  const sweep = reverseSweep(func, { wrt, seed, shadowParams, seedMemory: "consume" });
  const body: Region = {
    ops: [...sweep.forward.ops, ...sweep.reverse.ops],
    yields: withValue ? [...sweep.values, ...sweep.adjoints] : [...sweep.adjoints],
  };
  optimize(body);
  // Per-iteration scratch arrays and their shadows allocated once (opt/reuse-scratch.ts).
  reuseScratch(body, new Builder());
  return { sweep, body };
}

/**
 * The seed parameters of a pullback, one per result of f: `seed` for one, `seed1, seed2…` for a
 * tuple; an array or object seed is typed like f's result (and written: it is used up).
 */
function seedParams(func: Func, seeds: readonly Value[], names: Names): ParamSpec[] {
  return seeds.map((value) => ({
    kind: "value" as const,
    value,
    name: seeds.length === 1 ? names.seed : names.field(value),
    typeText: isAggregate(value.type) ? func.resultText : undefined,
    writable: isAggregate(value.type),
  }));
}

/** f's value as a result: a number, a tuple of numbers, or its array or object typed as written. */
export function valueResult(func: Func, values: readonly Value[]): ResultSpec {
  if (values.length === 1) return { kind: "value", value: values[0], typeText: func.resultText };
  return { kind: "tuple", items: values.map((value) => ({ kind: "value" as const, value })) };
}

/** The gradients as results: arrays and objects typed as their parameters were written. */
function gradients(values: readonly Value[], bare: boolean, func: Func, wrt: readonly number[]): ResultSpec {
  const items = values.map((value, i) => ({ kind: "value" as const, value, typeText: func.params[wrt[i]].typeText }));
  return bare && items.length === 1 ? items[0] : { kind: "tuple", items };
}

export function derivativeFunctions(func: Func, request: DerivativeRequest, names: Names, what: string): FunctionSpec[] {
  // A method's receiver (params[0] with `receiver`) is differentiated as the fields it reads.
  const wrtNames = request.wrt.map((i) => (func.receiver && i === 0 ? "the fields of this it reads" : func.params[i].name)).join(", ");
  switch (request.kind) {
    case "grad": {
      const { body } = fused(func, request.wrt, "one", false);
      return [{
        name: names.fn,
        doc: `Gradient of ${what} with respect to ${wrtNames}.`,
        params: valueParams(func),
        body,
        result: gradients(body.yields, request.bare, func, request.wrt),
        arena: usesTensors(body),
      }];
    }
    case "valueAndGrad": {
      const { body } = fused(func, request.wrt, "one", true);
      const [value, ...grads] = body.yields;
      return [{
        name: names.fn,
        doc: `Value and gradient of ${what} with respect to ${wrtNames}.`,
        params: valueParams(func),
        body,
        result: { kind: "tuple", items: [{ kind: "value", value }, gradients(grads, request.bare, func, request.wrt)] },
        arena: usesTensors(body),
      }];
    }
    case "pullback": {
      // Arrays and objects among the arguments come with their shadows, which the pullback adds into.
      const { sweep, body } = fused(func, request.wrt, "param", false, true);
      const aggregates = request.wrt.filter((i) => isAggregate(func.params[i].value.type));
      const numbers = request.wrt.filter((i) => !isAggregate(func.params[i].value.type));
      const shadowParams = aggregates.map((i, k) => ({
        kind: "value" as const,
        value: sweep.shadowParams[k],
        name: `${func.params[i].name}_bar`,
        typeText: func.params[i].typeText,
        writable: true,
      }));
      return [{
        name: names.fn,
        doc: `Pullback of ${what}: seed × ∂${func.name}/∂(${wrtNames}), recomputing the forward sweep${aggregates.length > 0 ? "; adds into the shadows of its array arguments" : ""}.`,
        params: [...valueParams(func), ...shadowParams, ...seedParams(func, sweep.seeds, names)],
        body,
        result: numbers.length === 1 ? gradients(body.yields, true, func, numbers) : { kind: "tuple", items: body.yields.map((value) => ({ kind: "value" as const, value })) },
      }];
    }
    case "vjp":
      return splitForVjp(func, request, names, what);
    case "jvp":
      return [jvpFunction(func, names, what, request.directions)];
    case "tangent":
      return [tangentFunction(func, request.wrt, request.directions ?? 1, names, what)];
    case "jacobian":
      return [jacobianFunction(func, request.mode ?? defaultJacobianMode(func), names, what)];
    case "hessian":
      return [hessianFunction(func, names, what)];
    case "hvp":
      return [hvpFunction(func, names, what)];
    case "grad2":
      return [secondDerivativeFunction(func, names, what)];
    case "pullbackTangent":
      return [pullbackTangentFunction(func, request.wrt, request.tangentWrt!, request.directions ?? 1, names, what)];
  }
}

/** Whether a body computes with tensors (its gradient function then reuses buffers between calls). */
function usesTensors(body: Region): boolean {
  let found = false;
  walkOps(body, (op) => {
    if (op.prim.startsWith("tensor.")) found = true;
  });
  return found;
}

function splitForVjp(func: Func, request: DerivativeRequest, names: Names, what: string): FunctionSpec[] {
  // The user's seed is theirs to use again (a Jacobian calls the pullback once per row): copied.
  const sweep = reverseSweep(func, { wrt: request.wrt, seed: "param", seedMemory: "copy", runsMany: true });
  const adjointBody = sweep.reverse;
  if (sweep.tape) {
    // The forward sweep's pushes leave the tape as a residual; each pullback call puts them back.
    const b = new Builder();
    const mark = b.op("tapeMark", [], { kind: "opaque", name: "TapeMark" });
    const markOp = b.region.ops.pop()!;
    const segment = b.op("tapeTake", [mark], { kind: "opaque", name: "TapeSegment" });
    segment.hint = "taped";
    const takeOp = b.region.ops.pop()!;
    sweep.forward.ops.unshift(markOp);
    sweep.forward.ops.push(takeOp);
    b.emit("tapeRestore", [segment], []);
    adjointBody.ops.unshift(...b.region.ops);
  }
  optimize(adjointBody);
  // Constants are recomputed by the adjoint rather than stored.
  const constants = constantDefs(sweep.forward);
  const free = freeValues(adjointBody).filter((v) => !sweep.seeds.includes(v));
  adjointBody.ops.unshift(...free.filter((v) => constants.has(v)).map((v) => ({ ...constants.get(v)!, regions: [] })));
  const residuals = free.filter((v) => !constants.has(v));
  // A parameter kept as a residual keeps its written type (`readonly number[]`).
  const fields = residuals.map((value) => ({ name: names.field(value), value, typeText: func.params.find((p) => p.value === value)?.typeText }));
  const m = sweep.values.length;
  const forwardBody: Region = { ops: sweep.forward.ops, yields: [...sweep.values, ...residuals] };
  // The adjoint may have dropped pops it no longer reads: their pushes go with them.
  prunePushesWithoutPops(forwardBody, adjointBody);
  optimize(forwardBody);
  const values = forwardBody.yields.slice(0, m);
  const kept = forwardBody.yields.slice(m);
  const wrtNames = request.wrt.map((i) => func.params[i].name).join(", ");
  return [
    {
      name: names.forward!,
      doc: `Forward sweep of ${what}: its value and the residuals its adjoint reads.`,
      params: valueParams(func),
      body: forwardBody,
      result: {
        kind: "tuple",
        items: [
          valueResult(func, values),
          { kind: "struct", typeName: names.residuals!, fields: kept.map((v, i) => ({ name: fields[i].name, value: v })) },
        ],
      },
    },
    {
      name: names.adjoint!,
      doc: `Reverse sweep of ${what}: seed × ∂${func.name}/∂(${wrtNames}) from the forward sweep's residuals.`,
      params: [
        { kind: "struct", name: "residuals", typeName: names.residuals!, fields },
        // The pullback takes one seed shaped like f's result: a tuple's arrives as one.
        m === 1
          ? { kind: "value", value: sweep.seeds[0], name: names.seed, typeText: func.resultText }
          : { kind: "tuple", name: names.seed, items: sweep.seeds.map((value) => ({ value, name: names.field(value) })) },
      ],
      body: adjointBody,
      result: gradients(adjointBody.yields, true, func, request.wrt),
    },
  ];
}
