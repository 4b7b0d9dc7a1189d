// The two small fixed pieces of a vjp that are not IR: the residual record's type and the
// wrapper that pairs the forward sweep's value with a pullback closure over its residuals.
import generate from "@babel/generator";
import { typeAnnotation, type FunctionSpec } from "./emit";

export function residualType(typeName: string, adjoint: FunctionSpec): string {
  const struct = adjoint.params[0];
  if (struct.kind !== "struct") throw new Error("adc internal error: adjoint without residuals");
  const fields = struct.fields.map((f) => `  readonly ${f.name}: ${generate(typeAnnotation(f.value.type)).code};`);
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

export function vjpWrapper(key: string, params: readonly string[], names: VjpNames): string {
  const { value, residuals, seed } = names;
  const grads = params.length === 1 ? "number" : `[${params.map(() => "number").join(", ")}]`;
  return [
    `/** vjp(${key}): its value and a pullback mapping a seed to seed × the gradient. */`,
    `function ${names.fn}(${params.map((p) => `${p}: number`).join(", ")}): [number, (${seed}: number) => ${grads}] {`,
    `  const [${value}, ${residuals}] = ${names.forward}(${params.join(", ")});`,
    `  return [${value}, (${seed}: number) => ${names.adjoint}(${residuals}, ${seed})];`,
    `}`,
  ].join("\n");
}
