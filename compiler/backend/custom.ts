// The derivative functions of a function with a registered derivative (defineDerivative): small
// fixed adapters that call the user's rules with the signatures every caller of a pullback or a
// tangent function expects. Either rule gives both modes: the reverse rule at seed 1 is the
// gradient, dotted with ẋ for a tangent; the forward rule along eᵢ is the i-th partial.

export interface AdapterNames {
  readonly fn: string;
  /** How generated code calls the function itself and its rules. */
  readonly primal: string;
  readonly forward?: string;
  readonly reverse?: string;
  /** The function's parameter names, then fresh names for the adapter's own locals. */
  readonly params: readonly string[];
  readonly fresh: (base: string) => string;
  readonly doc: string;
}

const num = (n: number) => (n === 1 ? "number" : `[${Array(n).fill("number").join(", ")}]`);
const signature = (names: readonly string[]) => names.map((p) => `${p}: number`).join(", ");

/** g_pullback(x…, seed): seed × ∂g/∂x_wrt, bare for one wrt parameter. */
export function pullbackAdapter(wrt: readonly number[], names: AdapterNames): string {
  const { params } = names;
  const seed = names.fresh("seed");
  const n = params.length;
  let body: string[];
  if (names.reverse) {
    const call = `${names.reverse}(${[...params, seed].join(", ")})`;
    const identity = wrt.length === n && wrt.every((w, i) => w === i);
    if (identity) body = [`return ${call};`];
    else {
      const grads = names.fresh("grads");
      const picks = wrt.map((i) => `${grads}[${i}]`);
      body = [`const ${grads} = ${call};`, `return ${picks.length === 1 ? picks[0] : `[${picks.join(", ")}]`};`];
    }
  } else {
    const partial = (i: number) => `${seed} * ${names.forward}(${[...params, ...params.map((_, j) => (j === i ? "1" : "0"))].join(", ")})[1]`;
    const parts = wrt.map(partial);
    body = [`return ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`};`];
  }
  return [
    `/** ${names.doc} */`,
    `function ${names.fn}(${signature([...params, seed])}): ${num(wrt.length)} {`,
    ...body.map((l) => `  ${l}`),
    `}`,
  ].join("\n");
}

/** g_tangent(x…, ẋ_wrt per direction…): [g(x), ∇g·ẋ for each direction]. */
export function tangentAdapter(wrt: readonly number[], directions: number, names: AdapterNames): string {
  const { params } = names;
  const dots = Array.from({ length: directions }, () => wrt.map((i) => names.fresh(`${params[i]}_dot`)));
  // Direction d's full tangent vector, zero for the parameters that do not vary.
  const full = (d: number) => params.map((_, i) => (wrt.includes(i) ? dots[d][wrt.indexOf(i)] : "0"));
  let body: string[];
  if (names.forward) {
    const calls = dots.map((_, d) => `${names.forward}(${[...params, ...full(d)].join(", ")})`);
    if (directions === 1) body = [`return ${calls[0]};`];
    else {
      const locals = calls.map(() => names.fresh("direction"));
      body = [
        ...calls.map((c, d) => `const ${locals[d]} = ${c};`),
        `return [${[`${locals[0]}[0]`, ...locals.map((l) => `${l}[1]`)].join(", ")}];`,
      ];
    }
  } else {
    const grads = names.fresh("grads");
    const g = (i: number) => (params.length === 1 ? grads : `${grads}[${i}]`);
    const dot = (d: number) => wrt.map((i, j) => `${g(i)} * ${dots[d][j]}`).join(" + ");
    body = [
      `const ${grads} = ${names.reverse}(${[...params, "1"].join(", ")});`,
      `return [${[`${names.primal}(${params.join(", ")})`, ...dots.map((_, d) => dot(d))].join(", ")}];`,
    ];
  }
  return [
    `/** ${names.doc} */`,
    `function ${names.fn}(${signature([...params, ...dots.flat()])}): [${Array(directions + 1).fill("number").join(", ")}] {`,
    ...body.map((l) => `  ${l}`),
    `}`,
  ].join("\n");
}
