// Scalar programs as modules (program-gen.ts has their language): f with its helpers, module
// constants and `@grad` class, and the exports of the derivatives the oracle checks, as Subjects.
// The loop and tensor generators use the same operator exports.
import {
  CAP,
  HELPER_ARG,
  INPUT_BOUND,
  Scope,
  Writer,
  bin,
  fit,
  primary,
  renderBody,
  renderExpr,
  renderReturned,
  type Callee,
  type FnContext,
  type Helper,
  type RawOperator,
  type RawProgram,
} from "./program-gen";
import type { ParamSpec, ReverseSpec, Subject } from "./subjects";

/**
 * Parameter names of f: plain ones mostly, else ones close to what the backend generates
 * (`f_adjoint` hung adc naming its tangent once: test/regression-fixtures/fuzz-vector-naming-hang.ts).
 */
export const PARAM_NAMES = [
  ["x", "y", "z", "w"],
  ["seed", "value", "t1", "x_bar"],
  ["residuals", "a", "n", "f_adjoint"],
];

export interface RenderedFunctions {
  /** The program's declarations and exports, as TypeScript. */
  readonly text: string;
  /** f's subject first, then those of marked helpers. */
  readonly subjects: readonly Subject[];
}

/** How a helper is called: `h`, or `K_h.h` for a static method. */
export function helperCallee(h: Helper, name: string): string {
  return h.method ? `K_${name}.${name}` : name;
}

export function renderHelper(h: Helper, name: string, ctx: FnContext): { lines: string[]; bound: number } {
  const s = new Scope(null, ctx);
  const exported = h.marked ? "export " : "";
  let signature: string;
  let body: string[];
  let bound: number;
  if (h.k === "plain") {
    s.vars.push({ name: "a", bound: HELPER_ARG, assignable: true }, { name: "b", bound: HELPER_ARG, assignable: true });
    ctx.used.add("a").add("b");
    const w = new Writer();
    bound = renderBody(h.body, s, w);
    signature = `${name}(a: number, b: number): number {`;
    body = w.lines;
  } else {
    // r(a, n): the recursive call's result is bounded by CAP (induction), and so is every result.
    s.vars.push({ name: "a", bound: HELPER_ARG, assignable: false });
    const base = fit(renderReturned(h.base, s), CAP);
    const step = renderReturned(h.step, s);
    const arg = fit(renderExpr(h.arg, s), HELPER_ARG);
    const recur = primary(`${helperCallee(h, name)}(${arg.text}, n - 1)`, CAP);
    const combined = fit(bin(step, h.op, recur, h.op === "*" ? step.bound * CAP : step.bound + CAP), CAP);
    signature = `${name}(a: number, n: number): number {`;
    body = [`  if (n <= 0) return ${base.text};`, `  return ${combined.text};`];
    bound = CAP;
  }
  if (!h.method) return { lines: [`${exported}function ${signature}`, ...body, `}`], bound };
  return { lines: [`export class K_${name} {`, `  static ${signature}`, ...body.map((l) => `  ${l}`), `  }`, `}`], bound };
}

/**
 * A function with a registered derivative (defineDerivative), called like a helper: `q(a, b) =
 * a·tanh(b)` with a reverse rule (kind 1), a forward rule (2) or both (3), each hand-derived.
 */
export function renderCustom(kind: number, name: string): string[] {
  const rules = [
    ...(kind & 1 ? [`reverse: ${name}Reverse`] : []),
    ...(kind & 2 ? [`forward: ${name}Forward`] : []),
  ];
  return [
    `function ${name}(a: number, b: number): number {`,
    `  return a * Math.tanh(b);`,
    `}`,
    ...(kind & 1
      ? [`function ${name}Reverse(a: number, b: number, seed: number): [number, number] {`, `  const t = Math.tanh(b);`, `  return [seed * t, seed * a * (1 - t * t)];`, `}`]
      : []),
    ...(kind & 2
      ? [`function ${name}Forward(a: number, b: number, da: number, db: number): [number, number] {`, `  const t = Math.tanh(b);`, `  return [a * t, da * t + a * (1 - t * t) * db];`, `}`]
      : []),
    `defineDerivative(${name}, { ${rules.join(", ")} });`,
  ];
}

/** The reverse-mode operator call on `callee` (exported as `name`) and the layout of its result. */
export function reverseSpec(op: RawOperator, name: string, params: readonly string[], callee: string): ReverseSpec {
  const arity = params.length;
  // vjp takes no options: it covers every parameter.
  let wrt = Array.from({ length: arity }, (_, i) => i).filter((i) => op.kind !== "vjp" && (op.wrtMask >> i) & 1);
  let options = "";
  let bare = arity === 1;
  if (wrt.length > 0) {
    if (op.reversed) wrt = wrt.reverse();
    const items = wrt.map((i) => (op.byName ? JSON.stringify(params[i]) : String(i)));
    bare = op.bare && wrt.length === 1;
    options = `, { wrt: ${bare ? items[0] : `[${items.join(", ")}]`} }`;
  } else {
    wrt = params.map((_, i) => i);
  }
  return { name, operator: op.kind, wrt, bare, call: `${op.kind}(${callee}${options})` };
}

/** The `export const … = operator(callee)` lines of a subject's derivatives. */
export function derivativeExports(s: Subject, callee: string): string[] {
  const lines: string[] = [];
  if (s.reverse) lines.push(`export const ${s.reverse.name} = ${s.reverse.call};`);
  if (s.jvp) lines.push(`export const ${s.jvp} = jvp(${callee});`);
  if (s.hvp) lines.push(`export const ${s.hvp} = hvp(${callee});`);
  if (s.hessian) lines.push(`export const ${s.hessian} = hessian(${callee});`);
  if (s.grad2) lines.push(`export const ${s.grad2} = grad(grad(${callee}));`);
  if (s.jvpK) lines.push(`export const ${s.jvpK.name} = jvp(${callee}, { directions: ${s.jvpK.k} });`);
  if (s.jacobian) {
    lines.push(`export const ${s.jacobian.forward} = jacobian(${callee});`);
    lines.push(`export const ${s.jacobian.reverse} = jacobian(${callee}, { mode: "reverse" });`);
  }
  return lines;
}

/** Every operator a generated module may use. */
export const OPERATOR_IMPORT = `import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";`;

const numbers = (n: number): ParamSpec[] => Array.from({ length: n }, () => ({ k: "num" }) as const);

/**
 * Renders one program, named with `suffix` (f{suffix}, h{suffix}, …). Without operators, the
 * module runs untransformed: no operator exports and no decorator.
 */
export function renderFunctions(p: RawProgram, suffix = "", withOperators = true): RenderedFunctions {
  const consts = p.consts.map((value, i) => ({ name: `K${suffix}_${i}`, value }));
  const constLines = consts.map((c) => `const ${c.name} = ${c.value};`);
  const helperLines: string[] = [];
  const callees: Callee[] = [];
  const subjects: Subject[] = [];
  const exports: string[] = [];
  const guarded = { rendered: false };
  const custom = `q${suffix}`;
  if (p.custom > 0) {
    helperLines.push(...renderCustom(p.custom, custom));
    callees.push({ name: custom, rec: false, bound: HELPER_ARG });
  }
  p.helpers.forEach((h, i) => {
    // Named h, r, … or like the functions the backend generates for f.
    const name = p.generatedLikeNames
      ? `f${suffix}_${i === 0 ? "grad" : "pullback"}`
      : `${h.k === "rec" ? "r" : "h"}${suffix}${i === 0 ? "" : `_${i}`}`;
    // A helper may call the helpers before it.
    const ctx: FnContext = { callees: [...callees], prefix: "t", next: 0, used: new Set([name]), consts, refs: 0, guarded };
    const { lines, bound } = renderHelper(h, name, ctx);
    helperLines.push(...lines);
    const qualified = helperCallee(h, name);
    callees.push({ name: qualified, rec: h.k === "rec", bound });
    if (h.marked) {
      // Differentiated itself as well as called by f: a rec helper with respect to `a` only.
      const op: RawOperator =
        h.k === "rec"
          ? { kind: "grad", wrtMask: 1, byName: true, bare: true, reversed: false }
          : { kind: "grad", wrtMask: 0, byName: false, bare: false, reversed: false };
      const subject: Subject = {
        f: qualified,
        params: numbers(2),
        results: 0,
        reverse: reverseSpec(op, `g${name}`, h.k === "rec" ? ["a", "n"] : ["a", "b"], qualified),
        jvp: `jg${name}`,
        ...(p.extras & 8 ? { hvp: `hvg${name}` } : {}),
      };
      subjects.push(subject);
      exports.push(...derivativeExports(subject, qualified));
    }
  });
  const f = `f${suffix}`;
  const params = PARAM_NAMES[p.paramNames].slice(0, p.arity);
  const results = p.results;
  const ctx: FnContext = { callees, prefix: "v", next: 0, used: new Set([f, ...params]), consts, refs: 0, results, guarded };
  const s = new Scope(null, ctx);
  for (const name of params) s.vars.push({ name, bound: INPUT_BOUND, assignable: true });
  const w = new Writer();
  renderBody(p.body, s, w);
  const resultType = results === 0 ? "number" : `[${Array.from({ length: results }, () => "number").join(", ")}]`;
  const signature = `${f}(${params.map((n) => `${n}: number`).join(", ")}): ${resultType} {`;
  let fLines: string[];
  let callee = f;
  if (p.decorator && results === 0) {
    // A static method marked with @grad; the module exports it as f for the primal.
    const cls = `C${suffix}`;
    callee = `${cls}.${f}`;
    fLines = [
      `export class ${cls} {`,
      ...(withOperators ? ["  @grad"] : []),
      `  static ${signature}`,
      ...w.lines.map((l) => `  ${l}`),
      `  }`,
      `}`,
      `export const ${f} = ${callee};`,
    ];
  } else {
    fLines = [`export function ${signature}`, ...w.lines, `}`];
  }
  const g = `g${suffix}`;
  const hvp = (p.extras & 8) !== 0;
  const extras = {
    ...((p.extras & 6) === 6 ? { jvpK: { name: `jk${g}`, k: 2 + (p.extras & 1) } } : {}),
    ...(hvp ? { hvp: `hv${g}` } : {}),
    ...(hvp && p.extras & 1 && results === 0 ? { hessian: `he${g}` } : {}),
    ...(hvp && p.extras & 4 && results === 0 && p.arity === 1 ? { grad2: `gg${g}` } : {}),
  };
  const main: Subject =
    results === 0
      ? { f, params: numbers(p.arity), results, reverse: reverseSpec(p.operator, g, params, callee), jvp: `j${g}`, ...extras }
      : { f, params: numbers(p.arity), results, jvp: `j${g}`, jacobian: { forward: `jf${g}`, reverse: `jr${g}` }, ...(extras.jvpK ? { jvpK: extras.jvpK } : {}) };
  subjects.unshift(main);
  exports.unshift(...derivativeExports(main, callee));
  const lines = [
    ...constLines,
    ...(p.helpersAfter ? [] : helperLines),
    ...fLines,
    ...(p.helpersAfter ? helperLines : []),
    ...(withOperators ? exports : []),
  ];
  // Second derivatives through a function with a registered derivative are refused (ADC2004):
  // none where the custom function is called.
  const callsCustom = p.custom > 0 && [...fLines, ...helperLines].some((l) => l.includes(`${custom}(`) && !l.startsWith(`function ${custom}(`) && !l.startsWith("defineDerivative"));
  const firstOrder = (x: Subject): Subject => (callsCustom ? { ...x, hvp: undefined, hessian: undefined, grad2: undefined } : x);
  const checked = subjects.map(firstOrder).map((x) => (guarded.rendered ? { ...x, guarded: true } : x));
  const text = lines.join("\n");
  return { text: callsCustom ? text.replace(/^export const \w+ = (hvp|hessian|grad\(grad)\(.*$\n?/gm, "") : text, subjects: checked };
}

/**
 * A whole module: the import, then each program's declarations and `export const g… = grad(f…)`
 * (or `valueAndGrad`, `vjp`, `jacobian`, …). `withOperators: false` leaves the operators out, to
 * run the primal untransformed.
 */
export function renderModule(programs: readonly RawProgram[], withOperators = true): { text: string; functions: RenderedFunctions[] } {
  const functions = programs.map((p, i) => renderFunctions(p, programs.length === 1 ? "" : String(i), withOperators));
  const parts: string[] = [];
  if (withOperators) parts.push(OPERATOR_IMPORT, "");
  for (const fn of functions) parts.push(fn.text, "");
  return { text: parts.join("\n"), functions };
}
