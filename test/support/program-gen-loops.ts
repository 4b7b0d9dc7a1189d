// Random programs with loops and arrays, for the property tests: the scalar language of
// program-gen.ts plus `for` (counted up or down, by 1 or 2, nested), `for…of`, `while` with a
// data-dependent condition and an iteration cap, `do…while`, break/continue (also to a labelled
// outer loop), return inside loops, array parameters (Float64Array, number[], readonly number[])
// and scratch arrays, element reads with indices always in range, element writes (also into the
// parameter) and `.fill`.
//
// Magnitudes stay bounded however often a loop runs: everything a loop assigns is *carried*
// (program-gen.ts, Carried) with a fixed bound for the whole loop. Which variables a loop assigns
// is known only once its body is rendered (targets are picked by index among what is in scope),
// so a loop is rendered until that set is stable, restoring the renderer's state in between.
import fc from "fast-check";
import {
  CAP,
  INPUT_BOUND,
  NAMES,
  Scope,
  Writer,
  bodyArb,
  carriedUpdate,
  exprArbs,
  fit,
  fresh,
  paren,
  primary,
  Prec,
  renderCond,
  renderExpr,
  renderIndex,
  renderReturned,
  renderStmt,
  type ArrayVar,
  type Callee,
  type Carried,
  type Cond,
  type Expr,
  type FnContext,
  type FunctionBody,
  type RawOperator,
  type Stmt,
  type Var,
} from "./program-gen";
import { guardArb } from "./program-gen-guarded";
import { OPERATOR_IMPORT, derivativeExports, renderHelper, reverseSpec } from "./program-gen-module";
import type { ParamSpec, Subject } from "./subjects";

/** A carried variable's values at loop entry and after a plain assignment stay within this (or its entry bound). */
const CARRIED_BASE = 30;

// ---------------------------------------------------------------------------------------------
// Raw trees

export type LoopHead =
  /** `for (let i = 0; i < N; i += step)`, or counting down; N is the length of an array (`src` picks it) or a literal. */
  | { readonly k: "for"; readonly src: number; readonly lit: number; readonly step: 1 | 2; readonly down: boolean; readonly incl: boolean }
  | { readonly k: "forOf"; readonly a: number }
  /** `let k = 0; while (k < cap && c) { k++; … }` (the cap first or last). */
  | { readonly k: "while"; readonly c: Cond; readonly cap: number; readonly capFirst: boolean }
  | { readonly k: "do"; readonly c: Cond; readonly cap: number };

export type LStmt =
  /** A scalar statement of program-gen.ts (declaration, assignment, ++, an if of those, an early return). */
  | { readonly k: "s"; readonly s: Stmt }
  /** `a[index] op e` into a writable array. */
  | { readonly k: "store"; readonly a: number; readonly ix: number; readonly off: number; readonly op: "=" | "+=" | "-=" | "*="; readonly e: Expr }
  | { readonly k: "fill"; readonly a: number; readonly e: Expr }
  /** A local array: `new Float64Array(n)`, `new Array(n).fill(e)`, `Array.from({ length: n }, () => e)`, a copy or a slice. */
  | { readonly k: "scratch"; readonly form: number; readonly a: number; readonly e: Expr }
  /** `checkpoint`: `// adc: checkpoint` on the line before (its reverse sweep recomputes instead of taping). */
  | { readonly k: "loop"; readonly head: LoopHead; readonly label: boolean; readonly checkpoint: boolean; readonly body: readonly LStmt[] }
  /** `if (c) { …; break; }` (or continue; to the labelled outer loop when `outer` and there is one). */
  | { readonly k: "jump"; readonly c: Cond; readonly kind: "break" | "continue"; readonly outer: boolean; readonly body: readonly LStmt[] }
  | { readonly k: "lif"; readonly c: Cond; readonly then: readonly LStmt[]; readonly else: readonly LStmt[] | null }
  | { readonly k: "lret"; readonly c: Cond; readonly e: Expr }
  /** `const [d0, , d2] = a` of an array (elements by `mask`), or `const { a: da, b: db } = w` when `w` is in scope. */
  | { readonly k: "destructure"; readonly a: number; readonly mask: number; readonly let: boolean };

/** 0: Float64Array, 1: number[], 2: readonly number[]. */
export type ArrayKind = 0 | 1 | 2;

export interface RawLoopProgram {
  readonly arrayKind: ArrayKind;
  /** Length of the array parameter(s). */
  readonly len: number;
  /** A second array parameter (of the same kind and length). */
  readonly second: boolean;
  /** A parameter `m: number[][]` of 2 rows (read as `m[r][…]`, rows also written), after the arrays. */
  readonly matrix: boolean;
  /** A last parameter `w` of an object type `{ a: <array>; b: number }` (read only). */
  readonly struct: boolean;
  /** …with a nested object field `n: { c: number; m: readonly number[] }`. */
  readonly nested: boolean;
  /** Number of scalar parameters after the arrays, 0–2. */
  readonly scalars: number;
  readonly helper: FunctionBody | null;
  /**
   * A helper `s(a, k)` summing a function of each element of the array it is passed (read only),
   * called from f's expressions: of Float64Array when the parameters are, else of readonly number[].
   */
  readonly reducer: { readonly e: Expr; readonly forOf: boolean } | null;
  readonly passWritten: boolean;
  readonly body: readonly LStmt[];
  readonly tail: Expr;
  readonly operator: RawOperator;
  /** 0, or k for `jvp(f, { directions: k })` (vector mode) as well. */
  readonly directions: number;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

export interface LoopGenOptions {
  /** Domain-restricted values used only under a condition, also inside loop bodies (issue 13). */
  readonly guards?: boolean;
  /** vjp as well as grad and valueAndGrad. */
  readonly vjp?: boolean;
  /** Arrays the function writes may be passed to its array helper (FnContext.passWritten). */
  readonly passWritten?: boolean;
}

export function rawLoopProgramArb(options: LoopGenOptions = {}): fc.Arbitrary<RawLoopProgram> {
  const { expr: exprs, cond: conds } = exprArbs(2, true);
  const expr = exprs[2];
  const small = exprs[1];
  const cond = conds[1];
  const guards: fc.WeightedArbitrary<Stmt>[] = options.guards ? [{ arbitrary: guardArb(small, cond), weight: 3 }] : [];
  const scalar: fc.Arbitrary<Stmt> = fc.oneof(
    ...guards,
    {
      arbitrary: fc.record({ k: fc.constant("decl" as const), let: fc.boolean(), typed: fc.boolean(), nm: fc.nat(NAMES.length * 3), e: expr }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        k: fc.constant("assign" as const),
        t: fc.nat(5),
        op: fc.constantFrom("=" as const, "+=" as const, "+=" as const, "-=" as const, "*=" as const, "=" as const, "/=" as const),
        e: expr,
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({ k: fc.constant("incr" as const), t: fc.nat(5), op: fc.constantFrom("++" as const, "--" as const), prefix: fc.boolean() }),
      weight: 1,
    },
  );
  const store: fc.Arbitrary<LStmt> = fc.record({
    k: fc.constant("store" as const),
    a: fc.nat(3),
    ix: fc.nat(5),
    off: fc.nat(11),
    op: fc.constantFrom("=" as const, "+=" as const, "=" as const, "-=" as const, "*=" as const),
    e: expr,
  });
  const simple: fc.Arbitrary<LStmt> = fc.oneof(
    { arbitrary: scalar.map((s): LStmt => ({ k: "s", s })), weight: 6 },
    { arbitrary: store, weight: 4 },
    { arbitrary: fc.record({ k: fc.constant("fill" as const), a: fc.nat(3), e: small }), weight: 1 },
  );
  const scalarIf: fc.Arbitrary<LStmt> = fc
    .record({
      k: fc.constant("if" as const),
      c: cond,
      then: fc.array(scalar, { minLength: 1, maxLength: 2 }),
      else: fc.option(fc.array(scalar, { minLength: 1, maxLength: 2 }), { nil: null }),
      braces: fc.boolean(),
    })
    .map((s): LStmt => ({ k: "s", s }));
  const scalarRet: fc.Arbitrary<LStmt> = fc
    .record({ k: fc.constant("ret" as const), c: cond, body: fc.array(scalar, { maxLength: 1 }), e: small, bare: fc.boolean() })
    .map((s): LStmt => ({ k: "s", s }));
  const jump: fc.Arbitrary<LStmt> = fc.record({
    k: fc.constant("jump" as const),
    c: cond,
    kind: fc.constantFrom("break" as const, "continue" as const),
    outer: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
    body: fc.array(simple, { maxLength: 1 }),
  });
  const lret: fc.Arbitrary<LStmt> = fc.record({ k: fc.constant("lret" as const), c: cond, e: small });
  const lif: fc.Arbitrary<LStmt> = fc.record({
    k: fc.constant("lif" as const),
    c: cond,
    then: fc.array(fc.oneof({ arbitrary: simple, weight: 4 }, { arbitrary: jump, weight: 1 }), { minLength: 1, maxLength: 2 }),
    else: fc.option(fc.array(simple, { minLength: 1, maxLength: 2 }), { nil: null }),
  });
  const head: fc.Arbitrary<LoopHead> = fc.oneof(
    {
      arbitrary: fc.record({
        k: fc.constant("for" as const),
        src: fc.nat(3),
        lit: fc.integer({ min: 2, max: 5 }),
        step: fc.oneof({ arbitrary: fc.constant(1 as const), weight: 3 }, { arbitrary: fc.constant(2 as const), weight: 1 }),
        down: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
        incl: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
      }),
      weight: 6,
    },
    { arbitrary: fc.record({ k: fc.constant("forOf" as const), a: fc.nat(3) }), weight: 2 },
    {
      arbitrary: fc.record({ k: fc.constant("while" as const), c: cond, cap: fc.integer({ min: 2, max: 6 }), capFirst: fc.boolean() }),
      weight: 2,
    },
    { arbitrary: fc.record({ k: fc.constant("do" as const), c: cond, cap: fc.integer({ min: 1, max: 5 }) }), weight: 1 },
  );
  const checkpoint = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });
  const innerLoop: fc.Arbitrary<LStmt> = fc.record({
    k: fc.constant("loop" as const),
    head,
    label: fc.constant(false),
    checkpoint,
    body: fc.array(
      fc.oneof(
        { arbitrary: simple, weight: 8 },
        { arbitrary: jump, weight: 2 },
        { arbitrary: lif, weight: 2 },
        { arbitrary: lret, weight: 1 },
        { arbitrary: scalarIf, weight: 1 },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  });
  const outerLoop: fc.Arbitrary<LStmt> = fc.record({
    k: fc.constant("loop" as const),
    head,
    label: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    checkpoint,
    body: fc.array(
      fc.oneof(
        { arbitrary: simple, weight: 7 },
        { arbitrary: jump, weight: 2 },
        { arbitrary: lif, weight: 2 },
        { arbitrary: lret, weight: 1 },
        { arbitrary: scalarIf, weight: 1 },
        { arbitrary: innerLoop, weight: 3 },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  });
  const scratch: fc.Arbitrary<LStmt> = fc.record({ k: fc.constant("scratch" as const), form: fc.nat(6), a: fc.nat(3), e: small });
  const destructure: fc.Arbitrary<LStmt> = fc.record({ k: fc.constant("destructure" as const), a: fc.nat(3), mask: fc.integer({ min: 1, max: 7 }), let: fc.boolean() });
  const top: fc.Arbitrary<LStmt> = fc.oneof(
    { arbitrary: simple, weight: 4 },
    { arbitrary: scratch, weight: 3 },
    { arbitrary: destructure, weight: 1 },
    { arbitrary: outerLoop, weight: 4 },
    { arbitrary: scalarIf, weight: 1 },
    { arbitrary: scalarRet, weight: 1 },
  );
  const body = fc
    .tuple(fc.array(fc.oneof(simple, scratch, destructure), { maxLength: 2 }), outerLoop, fc.array(top, { maxLength: 3 }))
    .map(([pre, loop, post]) => [...pre, loop, ...post]);
  const helper = bodyArb(small, cond, 2, small, options.guards ? guardArb(small, cond) : undefined);
  return fc.record({
    arrayKind: fc.constantFrom<ArrayKind>(0, 0, 1, 2),
    len: fc.integer({ min: 3, max: 4 }),
    second: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    scalars: fc.nat(2),
    matrix: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    struct: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    nested: fc.boolean(),
    helper: fc.option(helper, { nil: null, freq: 4 }),
    reducer: fc.option(fc.record({ e: small, forOf: fc.boolean() }), { nil: null, freq: 2 }),
    passWritten: fc.constant(options.passWritten ?? false),
    body,
    tail: expr,
    directions: fc.constantFrom(0, 0, 0, 2, 3),
    operator: fc.record({
      kind: fc.oneof(
        { arbitrary: fc.constant("grad" as const), weight: 3 },
        { arbitrary: fc.constant("valueAndGrad" as const), weight: 2 },
        ...(options.vjp ? [{ arbitrary: fc.constant("vjp" as const), weight: 3 }] : []),
      ),
      wrtMask: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 15 }), weight: 1 }),
      byName: fc.boolean(),
      bare: fc.boolean(),
      reversed: fc.boolean(),
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The loops enclosing a statement, innermost last. */
interface LoopCtx {
  readonly loops: readonly { readonly label?: string }[];
}

/** What a loop may change in the renderer, to render it again from the same state. */
interface Snapshot {
  readonly vars: Map<Var, { bound: number; carried?: Carried }>;
  readonly arrays: Map<ArrayVar, { bound: number; carried?: Carried }>;
  readonly next: number;
  readonly used: Set<string>;
  readonly refs: number;
  readonly returned?: boolean;
  readonly referenced: Map<Scope, Set<string>>;
  readonly declared: number;
  readonly declaredArrays: number;
}

function snapshot(s: Scope): Snapshot {
  const copy = (c?: Carried) => (c ? { ...c } : undefined);
  const referenced = new Map<Scope, Set<string>>();
  for (let t: Scope | null = s; t; t = t.parent) referenced.set(t, new Set(t.referenced));
  return {
    vars: new Map(s.all().map((v) => [v, { bound: v.bound, carried: copy(v.carried) }])),
    arrays: new Map(s.allArrays().map((a) => [a, { bound: a.bound, carried: copy(a.carried) }])),
    next: s.fn.next,
    used: new Set(s.fn.used),
    refs: s.fn.refs,
    returned: s.fn.returned,
    referenced,
    declared: s.vars.length,
    declaredArrays: s.arrays.length,
  };
}

function restoreSnapshot(s: Scope, snap: Snapshot): void {
  const copy = (c?: Carried) => (c ? { ...c } : undefined);
  for (const [v, x] of snap.vars) (v.bound = x.bound), (v.carried = copy(x.carried));
  for (const [a, x] of snap.arrays) (a.bound = x.bound), (a.carried = copy(x.carried));
  s.fn.next = snap.next;
  s.fn.used.clear();
  for (const n of snap.used) s.fn.used.add(n);
  s.fn.refs = snap.refs;
  s.fn.returned = snap.returned;
  for (const [t, set] of snap.referenced) {
    t.referenced.clear();
    for (const n of set) t.referenced.add(n);
  }
  s.vars.length = snap.declared;
  s.arrays.length = snap.declaredArrays;
}

/** Bounds of every visible variable and array (to merge branches). */
function allBounds(s: Scope): Map<Var | ArrayVar, number> {
  return new Map<Var | ArrayVar, number>([...s.all(), ...s.allArrays()].map((v) => [v, v.bound]));
}

function restoreAll(m: Map<Var | ArrayVar, number>): void {
  for (const [v, b] of m) v.bound = b;
}

function mergeAll(s: Scope, outcomes: Map<Var | ArrayVar, number>[]): void {
  for (const v of [...s.all(), ...s.allArrays()]) v.bound = Math.max(...outcomes.map((o) => o.get(v) ?? v.bound));
}

/** A fresh name starting with `base` (i, j, k, …). */
export function freshNamed(s: Scope, base: string): string {
  for (let n = 0; ; n++) {
    const name = n === 0 ? base : `${base}${n + 1}`;
    if (!s.fn.used.has(name) && !s.fn.callees.some((c) => c.name === name)) {
      s.fn.used.add(name);
      return name;
    }
  }
}

function renderLStmts(list: readonly LStmt[], s: Scope, w: Writer, depth: number, ctx: LoopCtx): void {
  for (const st of list) renderLStmt(st, s, w, depth, ctx);
}

function renderLStmt(st: LStmt, s: Scope, w: Writer, depth: number, ctx: LoopCtx): void {
  switch (st.k) {
    case "s":
      if (st.s.k === "ret") s.fn.returned = true;
      renderStmt(st.s, s, w, depth);
      return;
    case "store": {
      const arrays = s.allArrays().filter((a) => a.writable);
      if (arrays.length === 0) return;
      const a = arrays[st.a % arrays.length];
      s.use(a.name);
      s.fn.assigned?.add(a);
      const target = `${a.name}[${renderIndex(a, st.ix, st.off, s)}]`;
      const e = renderExpr(st.e, s);
      if (a.carried) {
        const r = carriedUpdate(a, a.carried, st.op, e, s.fn.loopMult ?? 1, target);
        w.line(depth, `${target}${r.text};`);
        // Other elements keep their bound; the carried bound is CAP anyway.
        return;
      }
      if (st.op === "=") {
        const r = fit(e, CAP);
        w.line(depth, `${target} = ${r.text};`);
        a.bound = Math.max(a.bound, r.bound);
        return;
      }
      const room = st.op === "*=" ? CAP / Math.max(a.bound, 1e-9) : CAP - a.bound;
      if (room >= 1) {
        const r = fit(e, room);
        w.line(depth, `${target} ${st.op} ${r.text};`);
        a.bound = st.op === "*=" ? a.bound * Math.max(1, r.bound) : a.bound + r.bound;
        return;
      }
      const r = fit(e, 1);
      w.line(depth, `${target} = 0.5 * ${target} ${st.op[0]} ${r.text};`);
      a.bound = st.op === "*=" ? 0.5 * a.bound * r.bound : 0.5 * a.bound + r.bound;
      return;
    }
    case "fill": {
      const arrays = s.allArrays().filter((a) => a.writable);
      if (arrays.length === 0) return;
      const a = arrays[st.a % arrays.length];
      s.use(a.name);
      s.fn.assigned?.add(a);
      const e = fit(renderExpr(st.e, s), a.carried ? a.carried.base : CAP);
      w.line(depth, `${a.name}.fill(${e.text});`);
      if (!a.carried) a.bound = e.bound;
      return;
    }
    case "scratch": {
      const sources = s.allArrays();
      const name = fresh(s);
      const src = sources.length > 0 ? sources[st.a % sources.length] : undefined;
      const len = src ? src.len : 3;
      const n = src ? `${src.name}.length` : "3";
      let text: string;
      let bound = 0;
      let size = len;
      const form = src ? st.form : [0, 1, 2, 6][st.form % 4];
      switch (form) {
        case 0:
          text = `new Float64Array(${n})`;
          break;
        case 1: {
          const e = renderExpr(st.e, s);
          text = `new Array(${n}).fill(${e.text})`;
          bound = e.bound;
          w.line(depth, `const ${name}: number[] = ${text};`);
          s.arrays.push({ name, len, bound, writable: true, typed: false });
          return;
        }
        case 2:
          text = `new Array(${n}).fill(0)`;
          w.line(depth, `const ${name}: number[] = ${text};`);
          s.arrays.push({ name, len, bound, writable: true, typed: false });
          return;
        case 6: {
          const e = renderExpr(st.e, s);
          w.line(depth, `const ${name} = Array.from({ length: ${n} }, () => ${e.text});`);
          s.arrays.push({ name, len, bound: e.bound, writable: true, typed: false });
          return;
        }
        case 3:
          text = `new Float64Array(${src!.name})`;
          bound = src!.bound;
          break;
        case 4:
          text = `${src!.name}.slice(1)`;
          bound = src!.bound;
          size = len - 1;
          break;
        default:
          text = `${src!.name}.slice()`;
          bound = src!.bound;
          break;
      }
      w.line(depth, `const ${name} = ${text};`);
      // new Float64Array(…) is one; a slice is of its source's kind.
      s.arrays.push({ name, len: size, bound, writable: true, typed: form === 0 || form === 3 || Boolean(src?.typed) });
      return;
    }
    case "loop":
      renderLoop(st, s, w, depth, ctx);
      return;
    case "jump": {
      if (ctx.loops.length === 0) return;
      const c = renderCond(st.c, s);
      const before = allBounds(s);
      const outer = st.outer ? ctx.loops.slice(0, -1).reverse().find((l) => l.label) : undefined;
      const jump = `${st.kind}${outer ? ` ${outer.label}` : ""};`;
      if (st.body.length === 0) {
        w.line(depth, `if (${c.text}) ${jump}`);
      } else {
        w.line(depth, `if (${c.text}) {`);
        renderLStmts(st.body, new Scope(s, s.fn), w, depth + 1, ctx);
        w.line(depth + 1, jump);
        w.line(depth, `}`);
      }
      restoreAll(before);
      return;
    }
    case "lif": {
      const c = renderCond(st.c, s);
      const before = allBounds(s);
      w.line(depth, `if (${c.text}) {`);
      renderLStmts(st.then, new Scope(s, s.fn), w, depth + 1, ctx);
      const afterThen = allBounds(s);
      restoreAll(before);
      if (st.else) {
        w.line(depth, `} else {`);
        renderLStmts(st.else, new Scope(s, s.fn), w, depth + 1, ctx);
      }
      w.line(depth, `}`);
      mergeAll(s, [afterThen, allBounds(s)]);
      return;
    }
    case "destructure": {
      const struct = s.allArrays().find((a) => a.name === "w.a");
      const keyword = st.let ? "let" : "const";
      if (struct && st.a % 2 === 0) {
        const [da, db] = [fresh(s), fresh(s)];
        w.line(depth, `${keyword} { a: ${da}, b: ${db} } = w;`);
        s.arrays.push({ name: da, len: struct.len, bound: struct.bound, writable: false, typed: struct.typed });
        s.vars.push({ name: db, bound: INPUT_BOUND, assignable: st.let });
        return;
      }
      const arrays = s.allArrays();
      if (arrays.length === 0) return;
      const a = arrays[st.a % arrays.length];
      s.use(a.name);
      // Elements 0–2 by the mask's bits; holes keep the positions (`const [d0, , d2] = a`).
      const picked = [0, 1, 2].filter((i) => i < a.len && (st.mask >> i) & 1);
      if (picked.length === 0) return;
      const slots = Array.from({ length: picked[picked.length - 1] + 1 }, (_, i) => (picked.includes(i) ? fresh(s) : ""));
      w.line(depth, `${keyword} [${slots.join(", ")}] = ${a.name};`);
      for (const name of slots.filter(Boolean)) s.vars.push({ name, bound: a.bound, assignable: st.let });
      return;
    }
    case "lret": {
      s.fn.returned = true;
      const c = renderCond(st.c, s);
      w.line(depth, `if (${c.text}) return ${renderReturned(st.e, s).text};`);
      return;
    }
  }
}

/**
 * Renders a loop until the set of outer variables and arrays it assigns is stable: those are
 * carried (bound CAP, fitted updates) from the loop's entry on.
 */
function renderLoop(st: Extract<LStmt, { k: "loop" }>, s: Scope, w: Writer, depth: number, ctx: LoopCtx): void {
  const widened = new Set<Var | ArrayVar>();
  for (let pass = 0; ; pass++) {
    const snap = snapshot(s);
    const marked: (Var | ArrayVar)[] = [];
    for (const v of widened) {
      if (v.carried) continue;
      const base = Math.max(v.bound, CARRIED_BASE);
      v.carried = { base, budget: CAP - base };
      v.bound = CAP;
      marked.push(v);
    }
    const outerAssigned = s.fn.assigned;
    s.fn.assigned = new Set();
    const tmp = new Writer();
    renderLoopOnce(st, s, tmp, depth, ctx);
    const hit = [...s.fn.assigned].filter((v) => snap.vars.has(v as Var) || snap.arrays.has(v as ArrayVar));
    const stable = hit.every((v) => v.carried !== undefined);
    for (const v of s.fn.assigned) outerAssigned?.add(v);
    s.fn.assigned = outerAssigned;
    if (stable || pass > 6) {
      if (!stable) throw new Error("generator bug: the variables a loop assigns do not settle");
      for (const v of marked) v.carried = undefined;
      // However often the loop ran (maybe never), what it assigns is within CAP, no tighter.
      for (const v of hit) v.bound = CAP;
      w.lines.push(...tmp.lines);
      return;
    }
    restoreSnapshot(s, snap);
    for (const v of hit) if (!snap.vars.get(v as Var)?.carried && !snap.arrays.get(v as ArrayVar)?.carried) widened.add(v);
  }
}

function renderLoopOnce(st: Extract<LStmt, { k: "loop" }>, s: Scope, w: Writer, depth: number, ctx: LoopCtx): void {
  const fn = s.fn;
  const header = new Scope(s, fn);
  const label = st.label ? freshNamed(s, "outer") : undefined;
  const prefix = label ? `${label}: ` : "";
  const h = st.head;
  let trips: number;
  let open: string;
  let close = "}";
  /** Statements at the top of the body. */
  const first: string[] = [];
  switch (h.k) {
    case "for": {
      const arrays = s.allArrays();
      const src = h.src < 2 && arrays.length > 0 ? arrays[h.src % arrays.length] : undefined;
      const n = src ? src.len : h.lit;
      const limit = src ? `${src.name}.length` : String(h.lit);
      const i = freshNamed(s, ctx.loops.length === 0 ? "i" : "j");
      trips = Math.ceil(n / h.step);
      const step = h.step === 1 ? (h.down ? `${i}--` : `${i}++`) : `${i} ${h.down ? "-=" : "+="} 2`;
      const test = h.down ? `${i} >= 0` : h.incl ? `${i} <= ${limit} - 1` : `${i} < ${limit}`;
      open = `for (let ${i} = ${h.down ? `${limit} - 1` : "0"}; ${test}; ${step}) {`;
      if (n > 0) header.vars.push({ name: i, bound: n - 1, assignable: false, counter: { hi: n - 1 } });
      break;
    }
    case "forOf": {
      const arrays = s.allArrays();
      if (arrays.length === 0) return renderLoopOnce({ ...st, head: { k: "for", src: 2, lit: 3, step: 1, down: false, incl: false } }, s, w, depth, ctx);
      const a = arrays[h.a % arrays.length];
      s.use(a.name);
      const v = freshNamed(s, "e");
      trips = a.len;
      open = `for (const ${v} of ${a.name}) {`;
      header.vars.push({ name: v, bound: a.bound, assignable: false });
      break;
    }
    case "while":
    case "do": {
      const k = freshNamed(s, "k");
      w.line(depth, `let ${k} = 0;`);
      s.vars.push({ name: k, bound: h.cap, assignable: false, counter: { hi: h.cap } });
      trips = h.cap;
      first.push(`${k}++;`);
      const c = renderCond(h.c, header);
      const cap = `${k} < ${h.cap}`;
      const test = h.k === "while" && !h.capFirst ? `${c.text.includes("||") ? `(${c.text})` : c.text} && ${cap}` : `${cap} && ${c.text.includes("||") ? `(${c.text})` : c.text}`;
      if (h.k === "while") {
        open = `while (${test}) {`;
      } else {
        open = "do {";
        close = `} while (${test});`;
      }
      break;
    }
  }
  const mult = fn.loopMult ?? 1;
  fn.loopMult = mult * trips;
  if (st.checkpoint) w.line(depth, `// adc: checkpoint`);
  w.line(depth, `${prefix}${open}`);
  for (const line of first) w.line(depth + 1, line);
  const body = new Scope(header, fn);
  // `k++` heads the body: a declaration there must not shadow k (its temporal dead zone).
  for (const line of first) body.referenced.add(line.slice(0, -3));
  renderLStmts(st.body, body, w, depth + 1, { loops: [...ctx.loops, { label }] });
  w.line(depth, close);
  fn.loopMult = mult;
}

export interface RenderedLoopProgram {
  readonly text: string;
  readonly subjects: readonly Subject[];
}

const ARRAY_TYPES = ["Float64Array", "number[]", "readonly number[]"];

/** Elements passed to a reducer are within CAP; each term is fitted to 1, and arrays are short. */
const REDUCER_BOUND = 8;

/** `s(a, k)`: the sum over the elements of a (of any length) of a bounded function of the element and k. */
function renderReducer(r: NonNullable<RawLoopProgram["reducer"]>, name: string, typed: boolean, guarded: { rendered: boolean }): string[] {
  const ctx: FnContext = { callees: [], prefix: "t", next: 0, used: new Set([name, "a", "k", "acc", "i", "v"]), consts: [], refs: 0, guarded };
  const s = new Scope(null, ctx);
  s.vars.push({ name: "v", bound: CAP, assignable: false }, { name: "k", bound: 10, assignable: false });
  const term = fit(renderReturned(r.e, s), 1);
  const head = r.forOf ? "for (const v of a) {" : "for (let i = 0; i < a.length; i++) {";
  return [
    `function ${name}(a: ${typed ? "Float64Array" : "readonly number[]"}, k: number): number {`,
    `  let acc = 0;`,
    `  ${head}`,
    ...(r.forOf ? [] : [`    const v = a[i];`]),
    `    acc += ${term.text};`,
    `  }`,
    `  return acc;`,
    `}`,
  ];
}

/** What else the oracle checks of each loop program. */
export interface LoopChecks {
  /** hvp and hessian of f over all its parameters (arrays, number[][], objects). */
  readonly hessian?: boolean;
}

export function renderLoopFunction(p: RawLoopProgram, suffix = "", withOperator = true, checks: LoopChecks = {}): RenderedLoopProgram {
  const lines: string[] = [];
  const callees: Callee[] = [];
  const guarded = { rendered: false };
  if (p.helper) {
    const name = `h${suffix}`;
    const ctx: FnContext = { callees: [], prefix: "t", next: 0, used: new Set([name]), consts: [], refs: 0, guarded };
    const { lines: hl, bound } = renderHelper({ k: "plain", body: p.helper, marked: false, method: false }, name, ctx);
    lines.push(...hl);
    callees.push({ name, rec: false, bound });
  }
  const arrayCallees: { name: string; typed: boolean; bound: number }[] = [];
  if (p.reducer) {
    const name = `s${suffix}`;
    const typed = p.arrayKind === 0;
    lines.push(...renderReducer(p.reducer, name, typed, guarded));
    arrayCallees.push({ name, typed, bound: REDUCER_BOUND });
  }
  const f = `f${suffix}`;
  const arrays = [...(p.second ? ["x", "u"] : ["x"]), ...(p.matrix ? ["m"] : [])];
  const scalars = ["p", "q"].slice(0, p.scalars);
  const params = [...arrays, ...scalars, ...(p.struct ? ["w"] : [])];
  const specs: ParamSpec[] = [
    ...arrays.map((a): ParamSpec => (a === "m" ? { k: "matrix", rows: 2, len: p.len } : { k: "array", kind: p.arrayKind, len: p.len })),
    ...scalars.map((): ParamSpec => ({ k: "num" })),
    ...(p.struct && p.nested
      ? [
          {
            k: "object" as const,
            fields: {
              a: { k: "array", kind: p.arrayKind, len: p.len },
              b: { k: "num" },
              n: { k: "object", fields: { c: { k: "num" }, m: { k: "array", kind: 2, len: p.len } } },
            } satisfies Record<string, ParamSpec>,
          },
        ]
      : p.struct
        ? [{ k: "struct" as const, kind: p.arrayKind, len: p.len }]
        : []),
  ];
  const structType = `S${suffix}`;
  const inner = p.nested ? "; n: { c: number; m: readonly number[] }" : "";
  if (p.struct) lines.push(`type ${structType} = { a: ${ARRAY_TYPES[p.arrayKind]}; b: number${inner} };`);
  const ctx: FnContext = { callees, arrayCallees, passWritten: p.passWritten, prefix: "v", next: 0, used: new Set([f, ...params]), consts: [], refs: 0, loopMult: 1, assigned: new Set(), guarded };
  const s = new Scope(null, ctx);
  for (const a of arrays) {
    if (a === "m") for (const r of [0, 1]) s.arrays.push({ name: `m[${r}]`, len: p.len, bound: INPUT_BOUND, writable: true, typed: false });
    else s.arrays.push({ name: a, len: p.len, bound: INPUT_BOUND, writable: p.arrayKind !== 2, typed: p.arrayKind === 0 });
  }
  for (const name of scalars) s.vars.push({ name, bound: INPUT_BOUND, assignable: true });
  if (p.struct) {
    s.arrays.push({ name: "w.a", len: p.len, bound: INPUT_BOUND, writable: false, typed: p.arrayKind === 0 });
    s.vars.push({ name: "w.b", bound: INPUT_BOUND, assignable: false });
    if (p.nested) {
      s.vars.push({ name: "w.n.c", bound: INPUT_BOUND, assignable: false });
      s.arrays.push({ name: "w.n.m", len: p.len, bound: INPUT_BOUND, writable: false, typed: false });
    }
  }
  const w = new Writer();
  renderLStmts(p.body, s, w, 1, { loops: [] });
  // The result reads something a loop computed (the last carried variable or array still in
  // scope) so that the loops rarely end up dead code.
  const tail = renderReturned(p.tail, s);
  const computed = [...ctx.assigned!].filter((v) => s.all().includes(v as Var) || s.allArrays().includes(v as ArrayVar));
  if (computed.length > 0) {
    const v = computed[computed.length - 1];
    const read = "len" in v ? `${v.name}[${tail.text.length % v.len}]` : v.name;
    const term = fit(primary(read, v.bound), 10);
    w.line(1, `return ${paren(tail, Prec.Add)} + ${paren(term, Prec.Add + 0.5)};`);
  } else {
    w.line(1, `return ${tail.text};`);
  }
  const signature = params
    .map((n, i) => `${n}: ${n === "m" ? "number[][]" : i < arrays.length ? ARRAY_TYPES[p.arrayKind] : n === "w" ? structType : "number"}`)
    .join(", ");
  lines.push(`export function ${f}(${signature}): number {`, ...w.lines, `}`);
  const g = `g${suffix}`;
  const subject: Subject = {
    f,
    params: specs,
    results: 0,
    reverse: reverseSpec(p.operator, g, params, f),
    jvp: `j${g}`,
    ...(p.directions > 0 ? { jvpK: { name: `jk${g}`, k: p.directions } } : {}),
    ...(guarded.rendered ? { guarded: true } : {}),
    ...(checks.hessian ? { hvp: `hv${g}`, hessian: `he${g}` } : {}),
  };
  if (withOperator) lines.push(...derivativeExports(subject, f));
  return { text: lines.join("\n"), subjects: [subject] };
}

export function renderLoopModule(
  programs: readonly RawLoopProgram[],
  withOperators = true,
  checks: LoopChecks = {},
): { text: string; functions: RenderedLoopProgram[] } {
  const functions = programs.map((p, i) => renderLoopFunction(p, programs.length === 1 ? "" : String(i), withOperators, checks));
  const parts: string[] = [];
  if (withOperators) parts.push(OPERATOR_IMPORT, "");
  for (const fn of functions) parts.push(fn.text, "");
  return { text: parts.join("\n"), functions };
}
