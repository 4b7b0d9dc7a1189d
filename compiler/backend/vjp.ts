// The two small fixed pieces of a vjp that are not IR: the residual record's type and the
// wrapper that pairs the forward sweep's value with a pullback closure over its residuals.
import generate from "@babel/generator";
import { typeAnnotation, type FunctionSpec } from "./emit";

export function residualType(typeName: string, adjoint: FunctionSpec, runtime: (name: string) => string): string {
  const struct = adjoint.params[0];
  if (struct.kind !== "struct") throw new Error("adc internal error: adjoint without residuals");
  const fields = struct.fields.map((f) => `  readonly ${f.name}: ${f.typeText ?? generate(typeAnnotation(f.value.type, runtime)).code};`);
  return `/** What ${adjoint.name} needs from the forward sweep. */\ninterface ${typeName} {\n${fields.join("\n")}\n}`;
}

export interface VjpNames {
  readonly fn: string;
  readonly forward: string;
  readonly adjoint: string;
  /** Locals of the wrapper, distinct from its parameters. */
  readonly value: string;
  readonly residuals: string;
  readonly seed: string;
}

/** A parameter of the wrapper: its name and its type as written. */
export interface WrapperParam {
  readonly name: string;
  readonly type: string;
}

/**
 * `output`: the type of f's value, which the seed shares (`number`, `[number, number]`,
 * `Float64Array`, `Point`): pullback(ȳ) is ȳᵀ·J, the gradient of ⟨ȳ, f⟩.
 */
export function vjpWrapper(key: string, params: readonly WrapperParam[], grads: readonly string[], output: string, names: VjpNames): string {
  const { value, residuals, seed } = names;
  const result = grads.length === 1 ? grads[0] : `[${grads.join(", ")}]`;
  const what = output === "number" ? "seed × the gradient" : `seedᵀ · the Jacobian (a seed has the shape of ${key}'s value)`;
  return [
    `/** vjp(${key}): its value and a pullback mapping a seed to ${what}. */`,
    `function ${names.fn}(${params.map((p) => `${p.name}: ${p.type}`).join(", ")}): [${output}, (${seed}: ${output}) => ${result}] {`,
    `  const [${value}, ${residuals}] = ${names.forward}(${params.map((p) => p.name).join(", ")});`,
    `  return [${value}, (${seed}: ${output}) => ${names.adjoint}(${residuals}, ${seed})];`,
    `}`,
  ].join("\n");
}
