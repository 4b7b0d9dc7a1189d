// A reference interpreter for the IR: tests run passes and rules through it without the backend,
// and `adc graph` evaluates derivative rules with it.
import { primitives } from "./primitives";
import type { Func, Region, Value } from "./types";

export type Scalar = number | boolean;

export function interpret(func: Pick<Func, "params" | "body">, args: readonly Scalar[]): Scalar[] {
  const env = new Map<Value, Scalar>();
  func.params.forEach((p, i) => env.set(p.value, args[i]));
  return run(func.body, env);
}

function run(region: Region, env: Map<Value, Scalar>): Scalar[] {
  const get = (v: Value) => {
    if (!env.has(v)) throw new Error(`value ${v.id} used before definition`);
    return env.get(v)!;
  };
  for (const op of region.ops) {
    if (op.prim === "const") env.set(op.results[0], op.attrs.value!);
    else if (op.prim === "if") {
      const out = run(op.regions[get(op.args[0]) ? 0 : 1], env);
      op.results.forEach((r, i) => env.set(r, out[i]));
    } else {
      const p = primitives.get(op.prim);
      if (!p) throw new Error(`cannot interpret ${op.prim}`);
      env.set(op.results[0], p.evaluate(...op.args.map(get)));
    }
  }
  return region.yields.map(get);
}
