// Random programs in the array idioms of issue 9, for the property tests: array methods with
// callbacks written inline (arrows with expression or block bodies, function expressions) or bound
// to a local `const` (map, forEach, reduce/reduceRight with and without an initial value, filter,
// some/every/find/findIndex, indexOf/includes, Array.from of an array or of `{ length: n }`), local
// arrows and nested function declarations closing over the function's values, a helper of the
// module taking a callback (`sumBy(xs, f)`), arrays that grow (`const hs: number[] = []` with push
// and pop in a loop), a helper writing an output array it is passed, array and object literals as
// values and arguments, spreads (`[...x, y]`, `Math.max(...x)`), slice/concat/at, keys()/entries()
// in for…of, and a tuple parameter; number[][] literals read in loops and by a helper, push inside
// callbacks, arrays of objects (literals and a parameter) through callbacks, and closures over a
// `let` assigned after the closure is made. A third of the programs also check hvp and hessian on
// all their parameters. With `vector`, the function returns an array (a literal, a map's result,
// a Float64Array) or an object literal, and the oracle checks Jacobians in both modes and the
// dot-product test.
//
// As in program-gen.ts, a raw program is a tree of plain integers resolved against what is in
// scope, so every tree is valid; every value has a bound. Callbacks get their arguments within
// HELPER_ARG (arrays are fitted to it), and what accumulates (reduce, forEach, sumBy) adds terms
// fitted to 1 per element.
import fc from "fast-check";
import {
  CAP,
  HELPER_ARG,
  INPUT_BOUND,
  Prec,
  Scope,
  Writer,
  bin,
  exprArbs,
  fit,
  fresh,
  num,
  paren,
  primary,
  renderCond,
  renderExpr,
  type ArrayVar,
  type Callee,
  type Cond,
  type Expr,
  type FnContext,
  type Out,
  type RawOperator,
} from "./program-gen";
import { collectionStepArbs, renderCollectionStep, type CollectionStep, type PointsVar } from "./program-gen-collections";
import { freshNamed } from "./program-gen-loops";
import { OPERATOR_IMPORT, derivativeExports, reverseSpec } from "./program-gen-module";
import type { ParamSpec, Subject } from "./subjects";

// ---------------------------------------------------------------------------------------------
// Raw trees

/** How a callback is written: 0 `(v) => e`, 1 `(v: number) => e`, 2 `(v) => { const t = …; return e; }`, 3 `function (v: number) { return e; }`, 4 a local const arrow when there is one. */
export type Form = number;

export type CStep =
  /** `const r = a.reduce((acc, v) => acc ⊙ e, init?)` (reduceRight when `right`; ⊙ is +, * or Math.max by `op`). */
  | { readonly k: "reduce"; readonly a: number; readonly right: boolean; readonly init: Expr | null; readonly op: number; readonly e: Expr; readonly form: Form }
  /** `const m = a.map((v, i) => e)`. */
  | { readonly k: "map"; readonly a: number; readonly e: Expr; readonly form: Form }
  /** `Array.from(a, (v, i) => e)`, or `Array.from({ length: n }, (_, i) => e)` when `length`. */
  | { readonly k: "from"; readonly a: number; readonly length: boolean; readonly e: Expr }
  /** `let s = 0; a.forEach((v, i) => { s += e; });` */
  | { readonly k: "forEach"; readonly a: number; readonly e: Expr }
  /** `const fl = a.filter((v) => c)`, used by reduce, for…of or its length. */
  | { readonly k: "filter"; readonly a: number; readonly c: Cond; readonly use: number; readonly e: Expr }
  /** some / every / findIndex / find ?? / indexOf(Math.max(...a)) / includes, by `kind`. */
  | { readonly k: "search"; readonly a: number; readonly kind: number; readonly c: Cond; readonly e: Expr; readonly e2: Expr }
  /** A local function of two numbers closing over the function's values: arrow, block arrow, function expression or nested declaration. */
  | { readonly k: "local"; readonly form: number; readonly e: Expr; readonly pre: Expr | null }
  /** `sumBy(a, (v, i) => e)` of the module's callback-taking helper; of a literal `[e₁, e₂, …]` when `lit`. */
  | { readonly k: "sumBy"; readonly a: number; readonly e: Expr; readonly lit: readonly Expr[] | null; readonly form: Form }
  /** `const hs: number[] = []` pushed in a for…of (under a condition when `c`), popped when `pop`. */
  | { readonly k: "grow"; readonly a: number; readonly e: Expr; readonly pop: boolean; readonly c: Cond | null }
  /** A helper of the module writing an output array it is passed (and updating it in place when `inPlace`). */
  | { readonly k: "out"; readonly a: number; readonly e: Expr; readonly inPlace: boolean }
  /** 0 `[e₁, …]`, 1 `[...a, e₁]`, 2 `{ u: e₁, w: e₂ }`, 3 `const [p, q] = [e₁, e₂]`, 4 `const p: [number, number] = [e₁, e₂]`. */
  | { readonly k: "literal"; readonly form: number; readonly a: number; readonly es: readonly Expr[] }
  /** 0 `a.slice(1)`, 1 `a.concat(b, e)`, 2 `a.at(-1)!`, 3 `Math.max(...a)`, 4 `Math.min(...a, e)`, 5 entries()/keys() in for…of. */
  | { readonly k: "array"; readonly a: number; readonly form: number; readonly e: Expr }
  /** `const v = e`. */
  | { readonly k: "decl"; readonly e: Expr }
  /** Number[][] literals, push in callbacks, arrays of objects, closures over variables assigned later (program-gen-collections.ts). */
  | CollectionStep;

/** What a vector-valued function returns (values category). */
export type CResult =
  /** `[e₁, …, eₘ]` as number[] (or a tuple type when `tuple`). */
  | { readonly k: "array"; readonly es: readonly Expr[]; readonly tuple: boolean }
  | { readonly k: "object"; readonly es: readonly Expr[] }
  /** `a.map((v, i) => e)` of an array in scope (its kind), or `Array.from({ length: n }, …)`. */
  | { readonly k: "map"; readonly a: number; readonly e: Expr; readonly from: boolean }
  /** An array a step made (new memory), the last one when `a` is out of range. */
  | { readonly k: "made"; readonly a: number };

export interface RawCallbackProgram {
  /** 0: Float64Array parameters, 1: number[], 2: readonly number[]. */
  readonly arrayKind: 0 | 1 | 2;
  readonly len: number;
  /** A second array parameter. */
  readonly second: boolean;
  /** A tuple parameter `t: [number, number]`. */
  readonly tuple: boolean;
  /** An array-of-objects parameter `ps: readonly { w: number; x: number }[]` of this many points (0: none). */
  readonly records: number;
  /** Second derivatives too (scalar results): hvp and hessian of f over all its parameters. */
  readonly hessian: boolean;
  readonly scalars: number;
  readonly steps: readonly CStep[];
  readonly tail: Expr;
  readonly result: CResult | null;
  readonly operator: RawOperator;
  readonly directions: number;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

export interface CallbackGenOptions {
  /** Vector-valued results: arrays and objects (jacobian in both modes, jvp, the dot-product test). */
  readonly vector?: boolean;
}

export function rawCallbackProgramArb(options: CallbackGenOptions = {}): fc.Arbitrary<RawCallbackProgram> {
  const { expr: exprs, cond: conds } = exprArbs(2, true);
  const e = exprs[2];
  const small = exprs[1];
  const c = conds[1];
  const a = fc.nat(5);
  const form = fc.nat(4);
  const step: fc.Arbitrary<CStep> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("reduce" as const), a, right: fc.boolean(), init: fc.option(small, { nil: null, freq: 3 }), op: fc.nat(3), e, form }), weight: 4 },
    { arbitrary: fc.record({ k: fc.constant("map" as const), a, e, form }), weight: 4 },
    { arbitrary: fc.record({ k: fc.constant("from" as const), a, length: fc.boolean(), e }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("forEach" as const), a, e }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("filter" as const), a, c, use: fc.nat(2), e }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("search" as const), a, kind: fc.nat(5), c, e: small, e2: small }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("local" as const), form: fc.nat(3), e, pre: fc.option(small, { nil: null }) }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant("sumBy" as const), a, e, lit: fc.option(fc.array(small, { minLength: 2, maxLength: 3 }), { nil: null, freq: 3 }), form }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("grow" as const), a, e, pop: fc.boolean(), c: fc.option(c, { nil: null, freq: 3 }) }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("out" as const), a, e, inPlace: fc.boolean() }), weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("literal" as const), form: fc.nat(4), a, es: fc.array(small, { minLength: 1, maxLength: 3 }) }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant("array" as const), a, form: fc.nat(5), e: small }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant("decl" as const), e }), weight: 1 },
    ...collectionStepArbs(small, c, a),
  );
  const result: fc.Arbitrary<CResult | null> = options.vector
    ? fc.oneof(
        { arbitrary: fc.record({ k: fc.constant("array" as const), es: fc.array(small, { minLength: 2, maxLength: 3 }), tuple: fc.boolean() }), weight: 3 },
        { arbitrary: fc.record({ k: fc.constant("object" as const), es: fc.array(small, { minLength: 2, maxLength: 3 }) }), weight: 3 },
        { arbitrary: fc.record({ k: fc.constant("map" as const), a, e: small, from: fc.boolean() }), weight: 2 },
        { arbitrary: fc.record({ k: fc.constant("made" as const), a }), weight: 1 },
      )
    : fc.constant(null);
  return fc.record({
    arrayKind: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    len: fc.integer({ min: 3, max: 4 }),
    second: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    tuple: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    records: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 }),
    hessian: options.vector ? fc.constant(false) : fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
    scalars: fc.nat(2),
    steps: fc.array(step, { minLength: 1, maxLength: 5 }),
    tail: small,
    result,
    operator: fc.record({
      kind: fc.constantFrom("grad" as const, "grad" as const, "valueAndGrad" as const, "vjp" as const),
      wrtMask: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 15 }), weight: 1 }),
      byName: fc.boolean(),
      bare: fc.boolean(),
      reversed: fc.boolean(),
    }),
    directions: fc.constantFrom(0, 0, 2),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

const ARRAY_TYPES = ["Float64Array", "number[]", "readonly number[]"];

/** What the module's helpers of one program need: the callback-taking `sumBy` and output writers, by array kind. */
export interface Helpers {
  readonly suffix: string;
  readonly lines: string[];
  readonly made: Set<string>;
}

/** `sumBy` over a Float64Array or a readonly number[]: the sum of a callback of each element and its index. */
function sumByHelper(h: Helpers, typed: boolean): string {
  const name = `sumBy${typed ? "F" : ""}${h.suffix}`;
  if (h.made.has(name)) return name;
  h.made.add(name);
  h.lines.push(
    `function ${name}(xs: ${typed ? "Float64Array" : "readonly number[]"}, f: (v: number, i: number) => number): number {`,
    `  let s = 0;`,
    `  for (let i = 0; i < xs.length; i++) s += f(xs[i], i);`,
    `  return s;`,
    `}`,
  );
  return name;
}

/**
 * `fill(out, a, k)`: out[i] = a bounded function of a[i] and k (then, `inPlace`, out[i] updated
 * from what it holds). Writes only; its callers' pullbacks tape what it overwrites.
 */
function outHelper(h: Helpers, typed: boolean, e: Expr, inPlace: boolean, index: number): string {
  const name = `fill${index}${h.suffix}`;
  const ctx: FnContext = { callees: [], prefix: "t", next: 0, used: new Set([name, "out", "a", "k", "i", "v"]), consts: [], refs: 0 };
  const s = new Scope(null, ctx);
  s.vars.push({ name: "v", bound: HELPER_ARG, assignable: false }, { name: "k", bound: HELPER_ARG, assignable: false });
  const value = fit(renderExpr(e, s), HELPER_ARG / 2);
  const [out, arr] = typed ? ["Float64Array", "Float64Array"] : ["number[]", "readonly number[]"];
  h.lines.push(
    `function ${name}(out: ${out}, a: ${arr}, k: number): void {`,
    `  for (let i = 0; i < a.length; i++) {`,
    `    const v = a[i];`,
    `    out[i] = ${value.text};`,
    ...(inPlace ? [`    out[i] = 0.5 * out[i] + Math.tanh(out[i] * v);`] : []),
    `  }`,
    `}`,
  );
  return name;
}

export interface Made {
  /** Arrays steps made (new memory), for a vector result. */
  readonly arrays: ArrayVar[];
  /** Scalars steps made: each is read by the result. */
  readonly scalars: { name: string; bound: number }[];
  /** Local functions declared so far (callees of `call` expressions, and callbacks). */
  readonly locals: Callee[];
  /** Arrays of `{ w, x }` objects in scope (the records parameter, literals), each field within its bound. */
  readonly points: PointsVar[];
  /** Whether f's Hessian is checked too. */
  readonly hessian: boolean;
}

/** An array in scope by index whose methods may be called, its elements within HELPER_ARG (callbacks take them). */
function pickArray(s: Scope, i: number, pred: (a: ArrayVar) => boolean = () => true): ArrayVar | undefined {
  const arrays = s.allArrays().filter((a) => a.bound <= HELPER_ARG && pred(a));
  if (arrays.length === 0) return undefined;
  const a = arrays[i % arrays.length];
  s.use(a.name);
  return a;
}

/**
 * A callback taking `params` (names, each with its bound; a counter `hi` for an index), whose body
 * is `body(scope)`; written in `form`. A local function of two numbers replaces it (form 4) when
 * one exists and the callback's arguments fit it.
 */
function callback(
  s: Scope,
  params: readonly { name: string; bound: number; index?: number }[],
  body: (inner: Scope) => Out,
  form: Form,
  locals: readonly Callee[],
): { text: string; bound: number } {
  if (form === 4 && locals.length > 0 && params.every((p) => p.bound <= HELPER_ARG)) {
    const local = locals[params.length % locals.length];
    return { text: local.name, bound: local.bound };
  }
  const inner = new Scope(s, s.fn);
  // `_` (Array.from's unused element) is no number to read.
  for (const p of params.filter((q) => q.name !== "_")) {
    inner.vars.push({ name: p.name, bound: p.bound, assignable: false, ...(p.index !== undefined ? { counter: { hi: p.index } } : {}) });
  }
  const names = params.map((p) => p.name);
  const out = body(inner);
  switch (form % 4) {
    case 0:
      return { text: `(${names.join(", ")}) => ${paren(out, Prec.Assign)}`, bound: out.bound };
    case 1:
      return { text: `(${names.map((n) => `${n}: number`).join(", ")}) => ${paren(out, Prec.Assign)}`, bound: out.bound };
    case 2: {
      const t = fresh(s);
      return { text: `(${names.join(", ")}) => {\n    const ${t} = ${out.text};\n    return ${t};\n  }`, bound: out.bound };
    }
    default:
      return { text: `function (${names.map((n) => `${n}: number`).join(", ")}) {\n    return ${out.text};\n  }`, bound: out.bound };
  }
}

const REDUCE_OPS = ["+", "*", "max"] as const;

function renderStep(st: CStep, s: Scope, w: Writer, h: Helpers, made: Made): void {
  const scalar = (name: string, bound: number) => {
    s.vars.push({ name, bound, assignable: false });
    made.scalars.push({ name, bound });
  };
  const array = (x: ArrayVar) => {
    // An empty array (a slice or pop of one element) has nothing to read.
    if (x.len < 1) return;
    s.arrays.push(x);
    made.arrays.push(x);
  };
  const elementParams = (a: ArrayVar, index: boolean) => [
    { name: freshNamed(s, "v"), bound: a.bound },
    ...(index ? [{ name: freshNamed(s, "i"), bound: a.len - 1, index: a.len - 1 }] : []),
  ];
  switch (st.k) {
    case "reduce": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const op = REDUCE_OPS[st.op % REDUCE_OPS.length];
      const init = st.init ? fit(renderExpr(st.init, s), op === "*" ? 1 : HELPER_ARG) : undefined;
      const start = init ? init.bound : a.bound;
      // Within HELPER_ARG whatever the number of elements: the local functions accept it.
      const bound = op === "+" ? Math.min(start + a.len, CAP) : Math.max(start, op === "max" ? 1 : 0);
      const accName = freshNamed(s, "acc");
      const [v] = elementParams(a, false);
      const cb = callback(
        s,
        [{ name: accName, bound }, v],
        (inner) => {
          const term = fit(renderExpr(st.e, inner), 1);
          const acc = primary(accName, bound);
          if (op === "max") return primary(`Math.max(${accName}, ${term.text})`, bound);
          return bin(acc, op, term, bound);
        },
        st.form,
        made.locals,
      );
      const name = fresh(s);
      const method = st.right ? "reduceRight" : "reduce";
      w.line(1, `const ${name} = ${a.name}.${method}(${cb.text}${init ? `, ${init.text}` : ""});`);
      scalar(name, Math.max(cb.bound, bound));
      return;
    }
    case "map": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const cb = callback(s, elementParams(a, st.form % 2 === 0), (inner) => fit(renderExpr(st.e, inner), HELPER_ARG), st.form, made.locals);
      const name = fresh(s);
      w.line(1, `const ${name} = ${a.name}.map(${cb.text});`);
      array({ name, len: a.len, bound: cb.bound, writable: false, typed: a.typed });
      return;
    }
    case "from": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const name = fresh(s);
      if (st.length) {
        const i = freshNamed(s, "i");
        const cb = callback(s, [{ name: "_", bound: 0 }, { name: i, bound: a.len - 1, index: a.len - 1 }], (inner) => fit(renderExpr(st.e, inner), HELPER_ARG), 0, []);
        w.line(1, `const ${name} = Array.from({ length: ${a.name}.length }, ${cb.text});`);
        array({ name, len: a.len, bound: cb.bound, writable: false, typed: false });
      } else {
        const cb = callback(s, elementParams(a, true), (inner) => fit(renderExpr(st.e, inner), HELPER_ARG), 0, []);
        w.line(1, `const ${name} = Array.from(${a.name}, ${cb.text});`);
        array({ name, len: a.len, bound: cb.bound, writable: false, typed: false });
      }
      return;
    }
    case "forEach": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const name = fresh(s);
      const [v, i] = elementParams(a, true);
      const inner = new Scope(s, s.fn);
      inner.vars.push({ name: v.name, bound: v.bound, assignable: false }, { name: i.name, bound: i.bound, assignable: false, counter: { hi: a.len - 1 } });
      const term = fit(renderExpr(st.e, inner), 1);
      w.line(1, `let ${name} = 0;`);
      w.line(1, `${a.name}.forEach((${v.name}, ${i.name}) => {`);
      w.line(2, `${name} += ${term.text};`);
      w.line(1, `});`);
      scalar(name, a.len);
      return;
    }
    case "filter": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const fl = fresh(s);
      const v = freshNamed(s, "v");
      const test = new Scope(s, s.fn);
      test.vars.push({ name: v, bound: a.bound, assignable: false });
      w.line(1, `const ${fl} = ${a.name}.filter((${v}) => ${renderCond(st.c, test).text});`);
      // Of a length known only at run time: used whole, never indexed.
      const name = fresh(s);
      const body = new Scope(s, s.fn);
      const u = freshNamed(s, "u");
      body.vars.push({ name: u, bound: a.bound, assignable: false });
      const term = fit(renderExpr(st.e, body), 1);
      if (st.use === 0) {
        w.line(1, `const ${name} = ${fl}.reduce((acc, ${u}) => acc + ${paren(term, Prec.Add + 0.5)}, 0);`);
      } else if (st.use === 1) {
        w.line(1, `let ${name} = 0;`);
        w.line(1, `for (const ${u} of ${fl}) ${name} += ${term.text};`);
      } else {
        const k = fit(renderExpr(st.e, s), 1);
        w.line(1, `const ${name} = ${fl}.length * ${paren(k, Prec.Mul + 0.5)};`);
      }
      scalar(name, a.len);
      return;
    }
    case "search": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const v = freshNamed(s, "v");
      const test = new Scope(s, s.fn);
      test.vars.push({ name: v, bound: a.bound, assignable: false });
      const pred = `(${v}) => ${renderCond(st.c, test).text}`;
      const x = renderExpr(st.e, s);
      const y = renderExpr(st.e2, s);
      const name = fresh(s);
      const kind = st.kind % 6;
      if (kind <= 1) {
        w.line(1, `const ${name} = ${a.name}.${kind === 0 ? "some" : "every"}(${pred}) ? ${paren(x, Prec.Or)} : ${paren(y, Prec.Or)};`);
        scalar(name, Math.max(x.bound, y.bound));
      } else if (kind === 2) {
        const k = freshNamed(s, "k");
        w.line(1, `const ${k} = ${a.name}.findIndex(${pred});`);
        const t = fit(x, 1);
        w.line(1, `const ${name} = ${k} >= 0 ? ${a.name}[${k}] * ${paren(t, Prec.Mul + 0.5)} : ${paren(y, Prec.Or)};`);
        scalar(name, Math.max(a.bound * t.bound, y.bound));
      } else if (kind === 3) {
        w.line(1, `const ${name} = ${a.name}.find(${pred}) ?? ${paren(y, Prec.Or)};`);
        scalar(name, Math.max(a.bound, y.bound));
      } else if (kind === 4) {
        const k = freshNamed(s, "k");
        w.line(1, `const ${k} = ${a.name}.indexOf(Math.max(...${a.name}));`);
        const t = fit(x, 1);
        w.line(1, `const ${name} = ${a.name}[${k}] * ${paren(t, Prec.Mul + 0.5)};`);
        scalar(name, a.bound * t.bound);
      } else {
        // Found exactly at an element (its own value), or not at all (a constant).
        const probe = st.c.k === "cmp" && st.c.op === "<" ? "0.5" : `${a.name}[${(x.text.length % a.len)}]`;
        w.line(1, `const ${name} = ${a.name}.includes(${probe}) ? ${paren(x, Prec.Or)} : ${paren(y, Prec.Or)};`);
        scalar(name, Math.max(x.bound, y.bound));
      }
      return;
    }
    case "local": {
      const name = freshNamed(s, "q");
      const [p, r] = [freshNamed(s, "p"), freshNamed(s, "r")];
      const inner = new Scope(s, s.fn);
      inner.vars.push({ name: p, bound: HELPER_ARG, assignable: false }, { name: r, bound: HELPER_ARG, assignable: false });
      const lines: string[] = [];
      if (st.pre) {
        const t = fresh(s);
        const pre = renderExpr(st.pre, inner);
        lines.push(`const ${t} = ${pre.text};`);
        inner.vars.push({ name: t, bound: pre.bound, assignable: false });
      }
      const body = fit(renderExpr(st.e, inner), HELPER_ARG);
      const sig = `(${p}: number, ${r}: number)`;
      const form = st.pre ? Math.max(1, st.form) : st.form;
      if (form === 0) w.line(1, `const ${name} = ${sig} => ${paren(body, Prec.Assign)};`);
      else {
        const head = form === 1 ? `const ${name} = ${sig}: number => {` : form === 2 ? `const ${name} = function ${sig}: number {` : `function ${name}${sig}: number {`;
        w.line(1, head);
        for (const l of lines) w.line(2, l);
        w.line(2, `return ${body.text};`);
        w.line(1, form === 3 ? `}` : `};`);
      }
      made.locals.push({ name, rec: false, bound: body.bound });
      return;
    }
    case "sumBy": {
      const name = fresh(s);
      if (st.lit) {
        const items = st.lit.map((x) => fit(renderExpr(x, s), HELPER_ARG));
        const helper = sumByHelper(h, false);
        const cb = callback(s, [{ name: freshNamed(s, "v"), bound: HELPER_ARG }], (inner) => fit(renderExpr(st.e, inner), 1), st.form, made.locals);
        w.line(1, `const ${name} = ${helper}([${items.map((x) => x.text).join(", ")}], ${cb.text});`);
        scalar(name, items.length * Math.min(cb.bound, HELPER_ARG));
        return;
      }
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const helper = sumByHelper(h, Boolean(a.typed));
      const cb = callback(s, elementParams(a, true), (inner) => fit(renderExpr(st.e, inner), 1), st.form, made.locals);
      w.line(1, `const ${name} = ${helper}(${a.name}, ${cb.text});`);
      scalar(name, a.len * Math.min(cb.bound, HELPER_ARG));
      return;
    }
    case "grow": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const hs = freshNamed(s, "hs");
      const hv = freshNamed(s, "h");
      const v = freshNamed(s, "v");
      w.line(1, `const ${hs}: number[] = [];`);
      w.line(1, `let ${hv} = 0;`);
      const body = new Scope(s, s.fn);
      body.vars.push({ name: v, bound: a.bound, assignable: false }, { name: hv, bound: 1, assignable: false });
      const next = fit(renderExpr(st.e, body), 3);
      w.line(1, `for (const ${v} of ${a.name}) {`);
      w.line(2, `${hv} = Math.tanh(${next.text});`);
      if (st.c) w.line(2, `if (${renderCond(st.c, body).text}) ${hs}.push(${hv});`);
      else w.line(2, `${hs}.push(${hv});`);
      w.line(1, `}`);
      if (st.pop) w.line(1, `${hs}.pop();`);
      if (st.c) {
        // Of a length known only at run time: summed whole.
        const name = fresh(s);
        w.line(1, `const ${name} = ${hs}.reduce((acc, u) => acc + u, ${hv});`);
        scalar(name, a.len + 1);
      } else if (!st.pop || a.len > 1) {
        // (Popped from one element, it is empty: nothing to read.)
        array({ name: hs, len: st.pop ? a.len - 1 : a.len, bound: 1, writable: false, typed: false });
      }
      return;
    }
    case "out": {
      const a = pickArray(s, st.a);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const typed = Boolean(a.typed);
      const helper = outHelper(h, typed, st.e, st.inPlace, h.made.size);
      h.made.add(helper);
      const o = fresh(s);
      const k = fit(renderExpr(st.e, s), HELPER_ARG);
      w.line(1, typed ? `const ${o} = new Float64Array(${a.name}.length);` : `const ${o}: number[] = new Array(${a.name}.length).fill(0);`);
      w.line(1, `${helper}(${o}, ${a.name}, ${k.text});`);
      array({ name: o, len: a.len, bound: st.inPlace ? HELPER_ARG / 4 + 1 : HELPER_ARG / 2, writable: true, typed });
      return;
    }
    case "literal": {
      const items = st.es.map((x) => fit(renderExpr(x, s), HELPER_ARG));
      const bound = Math.max(...items.map((x) => x.bound));
      const form = st.form % 5;
      if (form === 0) {
        const name = fresh(s);
        const parts = items.length === 1 ? [items[0], num(1)] : items;
        w.line(1, `const ${name} = [${parts.map((x) => x.text).join(", ")}];`);
        array({ name, len: parts.length, bound: Math.max(bound, 1), writable: false, typed: false });
      } else if (form === 1) {
        const a = pickArray(s, st.a);
        if (!a) return renderStep({ k: "literal", form: 0, a: 0, es: st.es }, s, w, h, made);
        const name = fresh(s);
        w.line(1, `const ${name} = [...${a.name}, ${items[0].text}];`);
        array({ name, len: a.len + 1, bound: Math.max(a.bound, items[0].bound), writable: false, typed: false });
      } else if (form === 2) {
        const name = freshNamed(s, "o");
        const [u, v] = [items[0], items[1] ?? num(2)];
        w.line(1, `const ${name} = { u: ${u.text}, w: ${v.text} };`);
        s.vars.push({ name: `${name}.u`, bound: u.bound, assignable: false }, { name: `${name}.w`, bound: v.bound, assignable: false });
        made.scalars.push({ name: `${name}.u`, bound: u.bound });
      } else if (form === 3) {
        const [p, q] = [fresh(s), fresh(s)];
        const [u, v] = [items[0], items[1] ?? num(0.5)];
        w.line(1, `const [${p}, ${q}] = [${u.text}, ${v.text}];`);
        s.vars.push({ name: q, bound: v.bound, assignable: false });
        scalar(p, u.bound);
      } else {
        const name = fresh(s);
        const [u, v] = [items[0], items[1] ?? num(0.5)];
        w.line(1, `const ${name}: [number, number] = [${u.text}, ${v.text}];`);
        const tuple: ArrayVar = { name, len: 2, bound: Math.max(u.bound, v.bound), writable: false, typed: false };
        array(tuple);
      }
      return;
    }
    case "array": {
      const form = st.form % 6;
      const a = pickArray(s, st.a, (x) => form !== 1 || !x.typed);
      if (!a) return renderStep({ k: "decl", e: st.e }, s, w, h, made);
      const name = fresh(s);
      switch (form) {
        case 0:
          w.line(1, `const ${name} = ${a.name}.slice(1);`);
          array({ name, len: a.len - 1, bound: a.bound, writable: false, typed: a.typed });
          return;
        case 1: {
          const others = s.allArrays().filter((x) => !x.typed && x.bound <= HELPER_ARG);
          const b = others[st.a % others.length] ?? a;
          s.use(b.name);
          const x = fit(renderExpr(st.e, s), HELPER_ARG);
          w.line(1, `const ${name} = ${a.name}.concat(${b.name}, ${x.text});`);
          array({ name, len: a.len + b.len + 1, bound: Math.max(a.bound, b.bound, x.bound), writable: false, typed: false });
          return;
        }
        case 2:
          w.line(1, `const ${name} = ${a.name}.at(-1)!;`);
          scalar(name, a.bound);
          return;
        case 3:
          w.line(1, `const ${name} = Math.max(...${a.name});`);
          scalar(name, a.bound);
          return;
        case 4: {
          const x = renderExpr(st.e, s);
          w.line(1, `const ${name} = Math.min(...${a.name}, ${x.text});`);
          scalar(name, Math.max(a.bound, x.bound));
          return;
        }
        default: {
          const [i, v] = [freshNamed(s, "i"), freshNamed(s, "v")];
          w.line(1, `let ${name} = 0;`);
          const x = fit(renderExpr(st.e, s), 1);
          if (st.e.k === "num") w.line(1, `for (const ${i} of ${a.name}.keys()) ${name} += ${a.name}[${i}] * ${paren(x, Prec.Mul + 0.5)};`);
          else w.line(1, `for (const [${i}, ${v}] of ${a.name}.entries()) ${name} += ${v} * ${paren(x, Prec.Mul + 0.5)} / (1 + ${i});`);
          scalar(name, a.len * a.bound);
          return;
        }
      }
    }
    case "matrix":
    case "collect":
    case "points":
    case "capture":
      return renderCollectionStep(st, { s, w, h, made, scalar, array, pick: (i, pred) => pickArray(s, i, pred), decl: (e) => renderStep({ k: "decl", e }, s, w, h, made) });
    case "decl": {
      const name = fresh(s);
      const x = renderExpr(st.e, s);
      w.line(1, `const ${name} = ${x.text};`);
      scalar(name, x.bound);
      return;
    }
  }
}

export interface RenderedCallbackProgram {
  readonly text: string;
  readonly subjects: readonly Subject[];
}

/** The sum of the tail and of every scalar the steps made, each fitted to 10: no step is dead code. */
function scalarResult(p: RawCallbackProgram, s: Scope, made: Made): Out {
  let sum = fit(renderExpr(p.tail, s), 10);
  for (const v of made.scalars) sum = bin(sum, "+", fit(primary(v.name, v.bound), 10), sum.bound + Math.min(v.bound, 10));
  for (const a of made.arrays) {
    const read = fit(primary(`${a.name}[${a.name.length % a.len}]`, a.bound), 10);
    sum = bin(sum, "+", read, sum.bound + read.bound);
  }
  return sum;
}

export function renderCallbackFunction(p: RawCallbackProgram, suffix = "", withOperator = true): RenderedCallbackProgram {
  const f = `f${suffix}`;
  const arrays = p.second ? ["x", "y"] : ["x"];
  const scalars = ["p", "q"].slice(0, p.scalars);
  const records = p.records > 0 ? ["ps"] : [];
  const params = [...arrays, ...(p.tuple ? ["t"] : []), ...records, ...scalars];
  const specs: ParamSpec[] = [
    ...arrays.map((): ParamSpec => ({ k: "array", kind: p.arrayKind, len: p.len })),
    ...(p.tuple ? [{ k: "array", kind: 1, len: 2 } as const] : []),
    ...records.map((): ParamSpec => ({ k: "records", len: p.records, keys: ["w", "x"] })),
    ...scalars.map((): ParamSpec => ({ k: "num" })),
  ];
  const helpers: Helpers = { suffix, lines: [], made: new Set() };
  const made: Made = { arrays: [], scalars: [], locals: [], points: records.map((name) => ({ name, len: p.records, bound: INPUT_BOUND })), hessian: p.hessian };
  const ctx: FnContext = { callees: made.locals, prefix: "v", next: 0, used: new Set([f, ...params, "acc", "u", "_"]), consts: [], refs: 0 };
  const s = new Scope(null, ctx);
  for (const a of arrays) s.arrays.push({ name: a, len: p.len, bound: INPUT_BOUND, writable: false, typed: p.arrayKind === 0 });
  if (p.tuple) {
    const t: ArrayVar = { name: "t", len: 2, bound: INPUT_BOUND, writable: false, typed: false };
    s.arrays.push(t);
  }
  for (const name of scalars) s.vars.push({ name, bound: INPUT_BOUND, assignable: false });
  const w = new Writer();
  for (const st of p.steps) renderStep(st, s, w, helpers, made);
  const sum = scalarResult(p, s, made);
  let resultType = "number";
  let results = 0;
  if (p.result) {
    const r = renderResult(p.result, s, w, made, sum);
    resultType = r.type;
    results = r.results;
  } else {
    w.line(1, `return ${sum.text};`);
  }
  const paramType = (n: string) =>
    n === "t" ? "[number, number]" : n === "ps" ? "readonly { w: number; x: number }[]" : arrays.includes(n) ? ARRAY_TYPES[p.arrayKind] : "number";
  const lines = [...helpers.lines, `export function ${f}(${params.map((n) => `${n}: ${paramType(n)}`).join(", ")}): ${resultType} {`, ...w.lines, `}`];
  const g = `g${suffix}`;
  const subject: Subject =
    results === 0
      ? {
          f,
          params: specs,
          results: 0,
          reverse: reverseSpec(p.operator, g, params, f),
          jvp: `j${g}`,
          ...(p.directions > 0 ? { jvpK: { name: `jk${g}`, k: p.directions } } : {}),
          ...(p.hessian ? { hvp: `hv${g}`, hessian: `he${g}` } : {}),
        }
      : { f, params: specs, results, jvp: `j${g}`, jacobian: { forward: `jf${g}`, reverse: `jr${g}` } };
  if (withOperator) lines.push(...derivativeExports(subject, f));
  return { text: lines.join("\n"), subjects: [subject] };
}

/** A vector-valued result, each part reading the scalars the steps made (`sum`). */
function renderResult(r: CResult, s: Scope, w: Writer, made: Made, sum: Out): { type: string; results: number } {
  const total = fresh(s);
  w.line(1, `const ${total} = ${sum.text};`);
  const t = fit(primary(total, sum.bound), 10);
  const parts = (es: readonly Expr[]) =>
    es.map((x, k) => {
      const e = renderExpr(x, s);
      // Each part reads the total in its own way, so the rows of the Jacobian differ.
      const mixed = k % 2 === 0 ? bin(e, "+", t, e.bound + t.bound) : bin(fit(e, 3), "*", primary(`Math.tanh(${t.text})`, 1), Math.min(e.bound, 3));
      return mixed;
    });
  switch (r.k) {
    case "array": {
      const ps = parts(r.es);
      w.line(1, `return [${ps.map((x) => x.text).join(", ")}];`);
      return { type: r.tuple ? `[${ps.map(() => "number").join(", ")}]` : "number[]", results: ps.length };
    }
    case "object": {
      const ps = parts(r.es);
      // Fields in key order: the Jacobian's rows follow the result's fields as written, the oracle's leaves sort them.
      const keys = ["a", "b", "c"].slice(0, ps.length);
      w.line(1, `return { ${keys.map((k, i) => `${k}: ${ps[i].text}`).join(", ")} };`);
      return { type: `{ ${keys.map((k) => `${k}: number`).join("; ")} }`, results: ps.length };
    }
    case "map": {
      const a = pickArray(s, r.a);
      if (!a) return renderResult({ k: "array", es: [r.e, r.e], tuple: false }, s, w, made, sum);
      const v = freshNamed(s, "v");
      const i = freshNamed(s, "i");
      const inner = new Scope(s, s.fn);
      inner.vars.push({ name: v, bound: a.bound, assignable: false }, { name: i, bound: a.len - 1, assignable: false, counter: { hi: a.len - 1 } });
      const e = fit(renderExpr(r.e, inner), 10);
      const body = bin(e, "+", bin(primary(v, a.bound), "*", t, a.bound * t.bound), e.bound + a.bound * t.bound);
      if (r.from) {
        // No element parameter here: only the index.
        const indexOnly = new Scope(s, s.fn);
        indexOnly.vars.push({ name: i, bound: a.len - 1, assignable: false, counter: { hi: a.len - 1 } });
        const term = fit(renderExpr(r.e, indexOnly), 10);
        w.line(1, `return Array.from({ length: ${a.name}.length }, (_, ${i}) => ${a.name}[${i}] * ${paren(t, Prec.Mul + 0.5)} + ${paren(term, Prec.Add + 0.5)});`);
        return { type: "number[]", results: a.len };
      }
      w.line(1, `return ${a.name}.map((${v}, ${i}) => ${body.text});`);
      return { type: a.typed ? "Float64Array" : "number[]", results: a.len };
    }
    case "made": {
      const candidates = made.arrays.filter((a) => a.bound <= CAP);
      if (candidates.length === 0) return renderResult({ k: "object", es: [{ k: "var", i: r.a }, { k: "var", i: r.a + 1 }] }, s, w, made, sum);
      const a = candidates[r.a % candidates.length];
      // The made array is the result: a scaled copy keeps the total in it.
      w.line(1, `return ${a.name}.map((e) => e * ${paren(t, Prec.Mul + 0.5)});`);
      return { type: a.typed ? "Float64Array" : "number[]", results: a.len };
    }
  }
}

export function renderCallbackModule(programs: readonly RawCallbackProgram[], withOperators = true): { text: string; functions: RenderedCallbackProgram[] } {
  const functions = programs.map((p, i) => renderCallbackFunction(p, programs.length === 1 ? "" : String(i), withOperators));
  const parts: string[] = [];
  if (withOperators) parts.push(OPERATOR_IMPORT, "");
  for (const fn of functions) parts.push(fn.text, "");
  return { text: parts.join("\n"), functions };
}
