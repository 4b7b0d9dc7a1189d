// A function's IR evaluated at a point, as the graph shows it: the value of everything computed,
// the branch each `if` took, and the chain-rule steps between values. Tangents (forward mode, one
// direction per parameter) and adjoints (reverse mode, seed 1) are sums over those steps.
import type { Scalar } from "../ir/interpret";
import { primitives } from "../ir/primitives";
import type { Func, Op, Region, Value } from "../ir/types";
import { isDifferentiable } from "../ir/types";
import { localPartials } from "./partials";

/** One differentiable result and its local partial derivative with respect to each input. */
export interface Step {
  readonly result: Value;
  readonly inputs: readonly Value[];
  readonly partials: readonly number[];
}

export interface Trace {
  readonly func: Func;
  readonly values: ReadonlyMap<Value, Scalar>;
  /** The region each evaluated `if` took: 0 (then) or 1 (else). */
  readonly taken: ReadonlyMap<Op, number>;
  /** In evaluation order: every step comes after the steps of its inputs. */
  readonly steps: readonly Step[];
  /** The returned value. */
  readonly output: Value;
}

/** The functions calls refer to, by callee key. */
export type Functions = ReadonlyMap<string, Func>;

export function evaluate(func: Func, args: readonly number[], functions: Functions): Trace {
  const values = new Map<Value, Scalar>();
  const taken = new Map<Op, number>();
  const steps: Step[] = [];
  func.params.forEach((p, i) => values.set(p.value, args[i]));
  const get = (v: Value): Scalar => {
    if (!values.has(v)) throw new Error(`adc internal error: value ${v.id} used before definition`);
    return values.get(v)!;
  };
  const run = (region: Region): void => {
    for (const op of region.ops) {
      const [result] = op.results;
      if (op.prim === "const") {
        values.set(result, op.attrs.value!);
      } else if (op.prim === "if") {
        const k = get(op.args[0]) ? 0 : 1;
        taken.set(op, k);
        const branch = op.regions[k];
        run(branch);
        op.results.forEach((r, i) => {
          values.set(r, get(branch.yields[i]));
          if (isDifferentiable(r.type)) steps.push({ result: r, inputs: [branch.yields[i]], partials: [1] });
        });
      } else if (op.prim === "call") {
        // A call is one step: its partials are the callee's gradient at the arguments.
        const callee = functions.get(op.attrs.callee!);
        if (!callee) throw new Error(`adc internal error: no function '${op.attrs.callee}'`);
        const inner = evaluate(callee, op.args.map(get) as number[], functions);
        const gradient = adjoints(inner);
        values.set(result, inner.values.get(inner.output)!);
        steps.push({ result, inputs: op.args, partials: callee.params.map((p) => gradient.get(p.value) ?? 0) });
      } else {
        const primitive = primitives.get(op.prim);
        if (!primitive) throw new Error(`adc internal error: cannot evaluate '${op.prim}'`);
        const xs = op.args.map(get);
        const y = primitive.evaluate(...xs);
        values.set(result, y);
        if (isDifferentiable(result.type)) steps.push({ result, inputs: op.args, partials: localPartials(op, xs, y) });
      }
    }
  };
  run(func.body);
  return { func, values, taken, steps, output: func.body.yields[0] };
}

/** Forward mode: for each value, its tangent in each direction ẋ = eᵢ (i.e. ∂v/∂xᵢ). */
export function tangents(trace: Trace): Map<Value, number[]> {
  const n = trace.func.params.length;
  const result = new Map<Value, number[]>();
  trace.func.params.forEach((p, i) => result.set(p.value, Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
  for (const step of trace.steps) {
    const t = new Array<number>(n).fill(0);
    step.inputs.forEach((x, k) => result.get(x)?.forEach((dx, j) => (t[j] += step.partials[k] * dx)));
    result.set(step.result, t);
  }
  return result;
}

/** Reverse mode: for each value the output depends on, its adjoint ∂output/∂v (seed 1). */
export function adjoints(trace: Trace): Map<Value, number> {
  const result = new Map<Value, number>([[trace.output, 1]]);
  for (let i = trace.steps.length - 1; i >= 0; i--) {
    const step = trace.steps[i];
    const g = result.get(step.result);
    if (g === undefined) continue;
    step.inputs.forEach((x, k) => result.set(x, (result.get(x) ?? 0) + step.partials[k] * g));
  }
  return result;
}
