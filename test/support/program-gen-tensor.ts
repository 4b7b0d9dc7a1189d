// Random tensor programs, for the property tests and the fuzz command: float64 tensor parameters
// of one shape [R, C] (and numbers), locals made by elementwise operations (with broadcasting
// against rows, columns and numbers), unary functions, powers, matmul and transpose (through the
// square shapes [R, R] and [C, C]), reductions over an axis, softmax and logSoftmax, branches on a
// number and a short loop carrying a tensor; the result a reduction's `.item()` plus numbers.
//
// As in program-gen.ts, raw trees are resolved against what is in scope when rendered (every raw
// tree is a valid program), and every tensor carries a bound of its elements' magnitude so that
// arguments of exp stay small, log and sqrt see arguments ≥ 1, and divisions divide by ≥ 1.
import fc from "fast-check";
import { INPUT_BOUND, type RawOperator } from "./program-gen";
import { OPERATOR_IMPORT, derivativeExports, reverseSpec } from "./program-gen-module";
import type { ParamSpec, Subject } from "./subjects";

const CAP = 30;

export type TUnary = "relu" | "tanh" | "sigmoid" | "exp" | "log" | "sqrt" | "abs" | "softplus" | "square" | "neg";
const unaries: readonly TUnary[] = ["relu", "tanh", "sigmoid", "exp", "log", "sqrt", "abs", "softplus", "square", "neg"];

export type TExpr =
  /** A tensor variable in scope (a parameter or a local), by index modulo what is visible. */
  | { readonly k: "var"; readonly i: number }
  | { readonly k: "un"; readonly fn: TUnary; readonly a: TExpr; readonly method: boolean }
  /** `op(a, b')` where b' is b itself, its row (mean over axis 0), column (sum over axis 1, keepdims) or a number. */
  | { readonly k: "bin"; readonly op: "add" | "sub" | "mul" | "div"; readonly a: TExpr; readonly b: TExpr; readonly as: number; readonly method: boolean; readonly swap: boolean }
  | { readonly k: "pow"; readonly a: TExpr; readonly n: 2 | 3 }
  /** matmul(a, b) through an inner dimension R or C (by `inner`). */
  | { readonly k: "matmul"; readonly a: TExpr; readonly b: TExpr; readonly inner: number }
  | { readonly k: "transpose"; readonly a: TExpr }
  | { readonly k: "softmax"; readonly log: boolean; readonly a: TExpr }
  /** `add(matmul(a, L.w), L.b)` with the object parameter L (`a` alone without one). */
  | { readonly k: "dense"; readonly a: TExpr };

/** A scalar tail term: a reduction of a tensor to a number. */
export interface Reduction {
  readonly fn: "sum" | "mean" | "max" | "logsumexp" | "mse";
  readonly a: TExpr;
  readonly b: TExpr;
}

export type TStmt =
  | { readonly k: "decl"; readonly e: TExpr; readonly let: boolean }
  | { readonly k: "assign"; readonly t: number; readonly e: TExpr }
  /** if (p > c) { t = a } else { t = b } on a number parameter (a fresh `let` when there is no tensor to assign). */
  | { readonly k: "if"; readonly t: number; readonly c: number; readonly a: TExpr; readonly b: TExpr | null }
  /** for (let i = 0; i < n; i++) t = tanh(add(mul(t, 0.5), e)) */
  | { readonly k: "loop"; readonly t: number; readonly n: number; readonly e: TExpr };

export interface RawTensorProgram {
  readonly rows: number;
  readonly cols: number;
  /** Tensor parameters (1–3) and number parameters (0–2). */
  readonly tensors: number;
  readonly scalars: number;
  /** A last parameter `L: { w: Tensor; b: Tensor }` (a layer: w is [C, C], b is [C]). */
  readonly layer: boolean;
  readonly body: readonly TStmt[];
  readonly tail: readonly Reduction[];
  readonly operator: RawOperator;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

export function rawTensorProgramArb(): fc.Arbitrary<RawTensorProgram> {
  const leaf: fc.Arbitrary<TExpr> = fc.record({ k: fc.constant("var" as const), i: fc.nat(5) });
  const exprs: fc.Arbitrary<TExpr>[] = [leaf];
  for (let d = 1; d <= 3; d++) {
    const sub = exprs[d - 1];
    exprs.push(
      fc.oneof(
        { arbitrary: leaf, weight: 3 },
        { arbitrary: fc.record({ k: fc.constant("un" as const), fn: fc.constantFrom(...unaries), a: sub, method: fc.boolean() }), weight: 5 },
        {
          arbitrary: fc.record({
            k: fc.constant("bin" as const),
            op: fc.constantFrom("add" as const, "sub" as const, "mul" as const, "mul" as const, "div" as const),
            a: sub,
            b: sub,
            as: fc.nat(4),
            method: fc.boolean(),
            swap: fc.boolean(),
          }),
          weight: 6,
        },
        { arbitrary: fc.record({ k: fc.constant("pow" as const), a: sub, n: fc.constantFrom(2 as const, 3 as const) }), weight: 1 },
        { arbitrary: fc.record({ k: fc.constant("matmul" as const), a: sub, b: sub, inner: fc.nat(1) }), weight: 2 },
        { arbitrary: fc.record({ k: fc.constant("transpose" as const), a: sub }), weight: 1 },
        { arbitrary: fc.record({ k: fc.constant("softmax" as const), log: fc.boolean(), a: sub }), weight: 1 },
        { arbitrary: fc.record({ k: fc.constant("dense" as const), a: sub }), weight: 2 },
      ),
    );
  }
  const expr = exprs[3];
  const small = exprs[2];
  const stmt: fc.Arbitrary<TStmt> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("decl" as const), e: expr, let: fc.boolean() }), weight: 4 },
    { arbitrary: fc.record({ k: fc.constant("assign" as const), t: fc.nat(4), e: expr }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("if" as const), t: fc.nat(4), c: fc.constantFrom(0, 0.5, -1), a: small, b: fc.option(small, { nil: null }) }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("loop" as const), t: fc.nat(4), n: fc.integer({ min: 1, max: 3 }), e: small }), weight: 1 },
  );
  const reduction: fc.Arbitrary<Reduction> = fc.record({
    fn: fc.constantFrom("sum" as const, "mean" as const, "sum" as const, "max" as const, "logsumexp" as const, "mse" as const),
    a: expr,
    b: small,
  });
  return fc.record({
    rows: fc.integer({ min: 2, max: 3 }),
    cols: fc.integer({ min: 2, max: 3 }),
    tensors: fc.integer({ min: 1, max: 3 }),
    scalars: fc.nat(2),
    layer: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
    body: fc.array(stmt, { maxLength: 4 }),
    tail: fc.array(reduction, { minLength: 1, maxLength: 2 }),
    operator: fc.record({
      kind: fc.oneof({ arbitrary: fc.constant("grad" as const), weight: 3 }, { arbitrary: fc.constant("valueAndGrad" as const), weight: 1 }),
      wrtMask: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 31 }), weight: 1 }),
      byName: fc.boolean(),
      bare: fc.boolean(),
      reversed: fc.boolean(),
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Dimensions are named: "R" or "C". */
type Dim = "R" | "C";
type Shape2 = readonly [Dim, Dim];

interface T {
  readonly text: string;
  /** Bound of every element's magnitude. */
  readonly bound: number;
}

interface TVar {
  readonly name: string;
  bound: number;
}

interface Ctx {
  readonly tensors: TVar[];
  readonly scalars: readonly string[];
  /** The layer parameter's name, if there is one. */
  readonly layer?: string;
  readonly used: Set<string>;
  next: number;
}

function fresh(ctx: Ctx, base = "h"): string {
  let name: string;
  do name = `${base}${ctx.next++}`;
  while (ctx.used.has(name));
  ctx.used.add(name);
  return name;
}

const same = (a: Shape2, b: Shape2) => a[0] === b[0] && a[1] === b[1];

/** Brings a tensor within `limit`: scaled by a power of ten, or through tanh (by the text's length, deterministic). */
function fitT(t: T, limit: number): T {
  if (t.bound <= limit) return t;
  if (t.text.length % 2 === 0 && limit >= 1) return { text: `tanh(${t.text})`, bound: 1 };
  const k = Math.ceil(Math.log10(t.bound / limit) + 1e-12);
  const scale = 10 ** -k;
  return { text: `mul(${t.text}, ${scale})`, bound: t.bound * scale };
}

/** A number operand: a number parameter, or a constant. */
function scalarOperand(ctx: Ctx, pick: number): { text: string; bound: number } {
  if (ctx.scalars.length > 0 && pick % 2 === 0) return { text: ctx.scalars[pick % ctx.scalars.length], bound: INPUT_BOUND };
  const c = [0.5, 2, 1.5, -0.75][pick % 4];
  return { text: String(c), bound: Math.abs(c) };
}

/** Renders `e` as a tensor of shape `want` (a variable's shape [R, C], transposed or square by matmul). */
function renderT(e: TExpr, want: Shape2, ctx: Ctx, dims: Record<Dim, number>): T {
  return fitT(renderRawT(e, want, ctx, dims), CAP);
}

function renderRawT(e: TExpr, want: Shape2, ctx: Ctx, dims: Record<Dim, number>): T {
  const sub = (x: TExpr, shape: Shape2 = want) => renderT(x, shape, ctx, dims);
  switch (e.k) {
    case "var": {
      const v = ctx.tensors[e.i % ctx.tensors.length];
      const base: T = { text: v.name, bound: v.bound };
      if (same(want, ["R", "C"])) return base;
      if (same(want, ["C", "R"])) return { text: `transpose(${v.name})`, bound: v.bound };
      // A square shape from a product with a transposed variable.
      const w = ctx.tensors[(e.i + 1) % ctx.tensors.length];
      const inner = dims[want[0] === "R" ? "C" : "R"];
      const text = want[0] === "R" ? `matmul(${v.name}, transpose(${w.name}))` : `matmul(transpose(${v.name}), ${w.name})`;
      return fitT({ text, bound: v.bound * w.bound * inner }, CAP);
    }
    case "un": {
      const a = sub(e.a);
      const call = (fn: string, x: T, bound: number): T => ({ text: e.method ? `${x.text}.${fn}()` : `${fn}(${x.text})`, bound });
      switch (e.fn) {
        case "exp": {
          const x = fitT(a, 3);
          return call("exp", x, Math.exp(x.bound));
        }
        case "log":
        case "sqrt": {
          // Of 1 + x², which is ≥ 1.
          const x = fitT(a, 10);
          const arg: T = { text: `add(square(${x.text}), 1)`, bound: 1 + x.bound * x.bound };
          return call(e.fn, arg, e.fn === "log" ? Math.log(arg.bound) : Math.sqrt(arg.bound));
        }
        case "square": {
          const x = fitT(a, 5);
          return call("square", x, x.bound * x.bound);
        }
        case "tanh":
        case "sigmoid":
          return call(e.fn, a, 1);
        case "softplus":
          return call("softplus", a, a.bound + Math.LN2);
        default:
          return call(e.fn, a, a.bound);
      }
    }
    case "bin": {
      const a = sub(e.a);
      let b: T;
      // The second operand broadcast: the same shape, a row, a column, or a number.
      switch (e.as % 4) {
        case 0:
          b = sub(e.b);
          break;
        case 1:
          b = { text: `mean(${sub(e.b).text}, 0)`, bound: sub(e.b).bound };
          break;
        case 2:
          b = { text: `sum(${sub(e.b).text}, 1, true)`, bound: sub(e.b).bound * dims[want[1]] };
          break;
        default:
          b = scalarOperand(ctx, (e.swap ? 1 : 0) + (e.method ? 2 : 0));
      }
      const isTensor = (x: T) => !/^-?[\d.]+$/.test(x.text) && !ctx.scalars.includes(x.text);
      if (e.op === "div") {
        // Divide by 1 + b² ≥ 1.
        const x = fitT(b, 10);
        b = isTensor(x) ? { text: `add(square(${x.text}), 1)`, bound: 1 + x.bound * x.bound } : { text: `1 + ${x.text} * ${x.text}`, bound: 1 + x.bound * x.bound };
        return e.method ? { text: `${a.text}.div(${b.text})`, bound: a.bound } : { text: `div(${a.text}, ${b.text})`, bound: a.bound };
      }
      const bound = e.op === "mul" ? a.bound * b.bound : a.bound + b.bound;
      // A number on the left (sub(2, x)) or a row or column first: broadcasting is symmetric.
      const [l, r] = e.swap ? [b, a] : [a, b];
      if (e.method && isTensor(l)) return { text: `${l.text}.${e.op}(${r.text})`, bound };
      return { text: `${e.op}(${l.text}, ${r.text})`, bound };
    }
    case "pow": {
      const x = fitT(sub(e.a), 4);
      return { text: `pow(${x.text}, ${e.n})`, bound: x.bound ** e.n };
    }
    case "matmul": {
      const k: Dim = e.inner % 2 === 0 ? "R" : "C";
      const a = fitT(sub(e.a, [want[0], k]), 5);
      const b = fitT(sub(e.b, [k, want[1]]), 5);
      return { text: `matmul(${a.text}, ${b.text})`, bound: a.bound * b.bound * dims[k] };
    }
    case "transpose": {
      const a = sub(e.a, [want[1], want[0]]);
      return { text: `transpose(${a.text})`, bound: a.bound };
    }
    case "dense": {
      const a = sub(e.a);
      if (!ctx.layer || !same(want, ["R", "C"])) return a;
      const x = fitT(a, 5);
      return { text: `add(matmul(${x.text}, ${ctx.layer}.w), ${ctx.layer}.b)`, bound: x.bound * INPUT_BOUND * dims.C + INPUT_BOUND };
    }
    case "softmax": {
      const a = sub(e.a);
      if (!e.log) return { text: `softmax(${a.text})`, bound: 1 };
      return { text: `logSoftmax(${a.text})`, bound: 2 * a.bound + Math.log(dims[want[1]]) };
    }
  }
}

export interface RenderedTensorProgram {
  readonly text: string;
  readonly subjects: readonly Subject[];
}

const RC: Shape2 = ["R", "C"];

export function renderTensorFunction(p: RawTensorProgram, suffix = ""): RenderedTensorProgram {
  const dims: Record<Dim, number> = { R: p.rows, C: p.cols };
  const tensorParams = ["x", "y", "z"].slice(0, p.tensors);
  const scalarParams = ["p", "q"].slice(0, p.scalars);
  const f = `f${suffix}`;
  const layer = p.layer ? "L" : undefined;
  const ctx: Ctx = {
    tensors: tensorParams.map((name) => ({ name, bound: INPUT_BOUND })),
    scalars: scalarParams,
    layer,
    used: new Set([f, ...tensorParams, ...scalarParams, ...(layer ? [layer] : [])]),
    next: 0,
  };
  const lets: TVar[] = [];
  const lines: string[] = [];
  for (const st of p.body) {
    switch (st.k) {
      case "decl": {
        const e = renderT(st.e, RC, ctx, dims);
        const name = fresh(ctx);
        lines.push(`  ${st.let ? "let" : "const"} ${name} = ${e.text};`);
        const v = { name, bound: e.bound };
        ctx.tensors.push(v);
        if (st.let) lets.push(v);
        break;
      }
      case "assign": {
        if (lets.length === 0) break;
        const v = lets[st.t % lets.length];
        const e = renderT(st.e, RC, ctx, dims);
        lines.push(`  ${v.name} = ${e.text};`);
        v.bound = Math.max(v.bound, e.bound);
        break;
      }
      case "if": {
        const c = scalarParams.length > 0 ? `${scalarParams[st.t % scalarParams.length]} > ${st.c}` : `sum(${ctx.tensors[0].name}).item() > ${st.c}`;
        let v: TVar;
        if (lets.length > 0) v = lets[st.t % lets.length];
        else {
          v = { name: fresh(ctx), bound: ctx.tensors[0].bound };
          lines.push(`  let ${v.name} = ${ctx.tensors[0].name};`);
          ctx.tensors.push(v);
          lets.push(v);
        }
        const a = renderT(st.a, RC, ctx, dims);
        const b = st.b ? renderT(st.b, RC, ctx, dims) : undefined;
        lines.push(`  if (${c}) {`, `    ${v.name} = ${a.text};`);
        if (b) lines.push(`  } else {`, `    ${v.name} = ${b.text};`);
        lines.push(`  }`);
        v.bound = Math.max(v.bound, a.bound, b?.bound ?? 0);
        break;
      }
      case "loop": {
        let v: TVar;
        if (lets.length > 0) v = lets[st.t % lets.length];
        else {
          v = { name: fresh(ctx), bound: ctx.tensors[0].bound };
          lines.push(`  let ${v.name} = ${ctx.tensors[0].name};`);
          ctx.tensors.push(v);
          lets.push(v);
        }
        const e = fitT(renderT(st.e, RC, ctx, dims), 5);
        const i = fresh(ctx, "i");
        // tanh keeps the carried tensor within 1 however often the loop runs.
        lines.push(`  for (let ${i} = 0; ${i} < ${st.n}; ${i}++) {`, `    ${v.name} = tanh(add(mul(${v.name}, 0.5), ${e.text}));`, `  }`);
        v.bound = Math.max(v.bound, 1);
        break;
      }
    }
  }
  const terms = p.tail.map((r) => {
    const a = renderT(r.a, RC, ctx, dims);
    switch (r.fn) {
      case "mse":
        return `mse(${a.text}, ${renderT(r.b, RC, ctx, dims).text}).item()`;
      case "logsumexp":
        return `logsumexp(${fitT(a, 10).text}).item()`;
      default:
        return `${r.fn}(${a.text}).item()`;
    }
  });
  // Numbers join the result so that their gradients are rarely zero.
  const numbersTerm = scalarParams.map((s, i) => (i === 0 ? ` + Math.sin(${s})` : ` * Math.cos(${s})`)).join("");
  lines.push(`  return ${terms.map((t, i) => (i === 0 ? t : `0.5 * ${t}`)).join(" + ")}${numbersTerm};`);
  const params = [...tensorParams, ...scalarParams, ...(layer ? [layer] : [])];
  const layerType = `Layer${suffix}`;
  const typeOf = (i: number) => (i < tensorParams.length ? "Tensor" : i < tensorParams.length + scalarParams.length ? "number" : layerType);
  const signature = params.map((n, i) => `${n}: ${typeOf(i)}`).join(", ");
  const specs: ParamSpec[] = params.map((_, i): ParamSpec => {
    if (i < tensorParams.length) return { k: "tensor", shape: [p.rows, p.cols] };
    if (i < tensorParams.length + scalarParams.length) return { k: "num" };
    return { k: "object", fields: { b: { k: "tensor", shape: [p.cols] }, w: { k: "tensor", shape: [p.cols, p.cols] } } };
  });
  const g = `g${suffix}`;
  const subject: Subject = { f, params: specs, results: 0, reverse: reverseSpec(p.operator, g, params, f), jvp: `j${g}` };
  const text = [
    ...(layer ? [`type ${layerType} = { w: Tensor; b: Tensor };`] : []),
    `export function ${f}(${signature}): number {`,
    ...lines,
    `}`,
    ...derivativeExports(subject, f),
  ].join("\n");
  return { text, subjects: [subject] };
}

const TENSOR_IMPORT =
  `import { Tensor, abs, add, div, exp, log, logSoftmax, logsumexp, matmul, max, mean, mse, mul, neg, pow, relu, ` +
  `sigmoid, softmax, softplus, sqrt, square, sub, sum, tanh, transpose } from "adc";`;

export function renderTensorModule(programs: readonly RawTensorProgram[]): { text: string; programs: (readonly Subject[])[] } {
  const functions = programs.map((p, i) => renderTensorFunction(p, programs.length === 1 ? "" : String(i)));
  const text = [OPERATOR_IMPORT, TENSOR_IMPORT, "", ...functions.flatMap((f) => [f.text, ""])].join("\n");
  return { text, programs: functions.map((f) => f.subjects) };
}
