// Jacobians and Hessians of functions of arrays and objects, as small fixed functions: their sizes
// are known only at run time, so the rows come from the runtime's loops over the generated vjp, jvp
// or hvp (runtime/rows.ts), one call per row or column.

export interface RowsNames {
  readonly fn: string;
  /** The generated function each row or column calls: f_vjp (reverse), f_jvp (forward), f_hvp (Hessian). */
  readonly via: string;
  /** The runtime helper's local name. */
  readonly helper: string;
  /** Locals of the function, distinct from its parameters. */
  readonly value: string;
  readonly pullback: string;
}

export interface RowsSpec {
  readonly doc: string;
  readonly kind: "reverse" | "forward" | "hessian";
  readonly params: readonly { readonly name: string; readonly type: string }[];
  /** The type of one row (the gradient's) and of all of them (`[Row]`, `[Row, Row]`, `Row[]`). */
  readonly rows: string;
  /** A single parameter: a row is its gradient, bare. */
  readonly bare: boolean;
}

export function rowsFunction(spec: RowsSpec, names: RowsNames): string {
  const params = spec.params.map((p) => `${p.name}: ${p.type}`).join(", ");
  const args = spec.params.map((p) => p.name).join(", ");
  const body =
    spec.kind === "reverse"
      ? [`  const [${names.value}, ${names.pullback}] = ${names.via}(${args});`, `  return ${names.helper}(${names.value}, ${names.pullback}) as ${spec.rows};`]
      : [`  return ${names.helper}([${args}], ${names.via}, ${spec.bare}) as ${spec.rows};`];
  return [`/** ${spec.doc} */`, `function ${names.fn}(${params}): ${spec.rows} {`, ...body, `}`].join("\n");
}
