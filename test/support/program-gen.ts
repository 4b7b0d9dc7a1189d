// Random scalar programs in adc's supported language, for the property tests.
//
// fast-check generates a *raw* program: a tree whose variable references and assignment targets
// are plain integers. Rendering resolves them against the variables in scope at that point (modulo
// their count), so every raw tree is a valid program and shrinking any part of it stays valid.
//
// Rendering also keeps the domain safe by construction and the magnitudes moderate, so central
// differences are accurate:
// - sqrt, log and log1p only see positive arguments (`1 + e*e`, `Math.exp(e)`, `2 + Math.sin(e)`);
//   division is only by `1 + e*e` or by a nonzero constant; `**` only has small integer exponents
//   (negative ones only on bases ≥ 1); `Math.hypot` always has one argument `Math.exp(e)` > 0.
// - Every expression carries an upper bound of its magnitude (interval arithmetic on |·|, with
//   the inputs in [-INPUT_BOUND, INPUT_BOUND]). A node whose bound exceeds CAP is fitted: scaled by
//   a power of ten or passed through Math.atan / Math.tanh. Arguments of exp, sin, cos, tanh are
//   fitted to small bounds too, so nothing overflows and nothing oscillates fast.
import fc from "fast-check";

export const INPUT_BOUND = 2;
/** Largest magnitude any expression or variable may reach. */
const CAP = 100;
/** Bounds fitted onto the arguments of the elementary functions. */
const EXP_ARG = 3;
const TRIG_ARG = 6;
const ATAN_ARG = 20;
const SQUARED_ARG = 30;
const HELPER_ARG = 10;

// ---------------------------------------------------------------------------------------------
// Raw trees (what fast-check generates and shrinks)

export type UnaryFn = "exp" | "sin" | "cos" | "tanh" | "atan" | "sqrt" | "log" | "log1p" | "abs";
export type BinaryFn = "min" | "max" | "hypot";
export type CmpOp = "<" | "<=" | ">" | ">=";

export type Expr =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "pi" }
  | { readonly k: "var"; readonly i: number }
  | { readonly k: "neg"; readonly a: Expr }
  | { readonly k: "bin"; readonly op: "+" | "-" | "*"; readonly a: Expr; readonly b: Expr }
  /** a / (1 + b*b) when `b` is an expression, a / b when it is a nonzero constant. */
  | { readonly k: "div"; readonly a: Expr; readonly b: Expr | number }
  | { readonly k: "pow"; readonly a: Expr; readonly n: number }
  /** `form` picks the safe wrapping of sqrt/log/log1p arguments. */
  | { readonly k: "un"; readonly fn: UnaryFn; readonly a: Expr; readonly form: number }
  | { readonly k: "bin2"; readonly fn: BinaryFn; readonly a: Expr; readonly b: Expr }
  | { readonly k: "ite"; readonly c: Cond; readonly a: Expr; readonly b: Expr }
  /** A call of the helper function h (a plain expression when there is none). */
  | { readonly k: "call"; readonly a: Expr; readonly b: Expr };

export type Cond =
  | { readonly k: "cmp"; readonly op: CmpOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: "and" | "or"; readonly a: Cond; readonly b: Cond }
  | { readonly k: "not"; readonly a: Cond };

export type Stmt =
  | { readonly k: "decl"; readonly let: boolean; readonly typed: boolean; readonly e: Expr }
  /** Assigns to the t-th assignable variable (a `let` or a parameter). */
  | { readonly k: "assign"; readonly t: number; readonly op: "=" | "+=" | "-=" | "*="; readonly e: Expr }
  | { readonly k: "if"; readonly c: Cond; readonly then: readonly Stmt[]; readonly else: readonly Stmt[] | null }
  /** `let v: number; if (c) { …; v = a; } else { …; v = b; }` */
  | {
      readonly k: "ifInit";
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly a: Expr;
      readonly else: readonly Stmt[];
      readonly b: Expr;
    }
  /** `if (c) { …; return e; }` (without braces when the block is empty and `bare`). */
  | { readonly k: "ret"; readonly c: Cond; readonly body: readonly Stmt[]; readonly e: Expr; readonly bare: boolean };

export type Tail =
  | { readonly k: "return"; readonly e: Expr }
  /** `if (c) { …; return a; } else { …; return b; }` as the last statement. */
  | {
      readonly k: "ifReturn";
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly a: Expr;
      readonly else: readonly Stmt[];
      readonly b: Expr;
    };

export interface FunctionBody {
  readonly stmts: readonly Stmt[];
  readonly tail: Tail;
}

export interface RawProgram {
  /** Number of parameters of f, 1–4. */
  readonly arity: number;
  readonly helper: FunctionBody | null;
  readonly body: FunctionBody;
  /** Whether the module takes `valueAndGrad(f)` instead of `grad(f)`. */
  readonly valueAndGrad: boolean;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const CONSTANTS = [0.5, 1, 2, 3, 0.25, 1.5, 2.5, 0.1, 0.75, 4, 1e-3, 10];

const unaryFns: readonly UnaryFn[] = ["exp", "sin", "cos", "tanh", "atan", "sqrt", "log", "log1p", "abs"];
const binaryFns: readonly BinaryFn[] = ["min", "max", "hypot"];
const cmpOps: readonly CmpOp[] = ["<", "<=", ">", ">="];

function exprArbs(maxDepth: number): { expr: fc.Arbitrary<Expr>[]; cond: fc.Arbitrary<Cond>[] } {
  const expr: fc.Arbitrary<Expr>[] = [];
  const cond: fc.Arbitrary<Cond>[] = [];
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("var" as const), i: fc.nat(7) }), weight: 6 },
    { arbitrary: fc.record({ k: fc.constant("num" as const), v: fc.constantFrom(...CONSTANTS) }), weight: 2 },
    { arbitrary: fc.constant({ k: "pi" as const }), weight: 1 },
  );
  for (let d = 0; d <= maxDepth; d++) {
    if (d === 0) {
      expr.push(leaf);
      cond.push(
        fc.record({ k: fc.constant("cmp" as const), op: fc.constantFrom(...cmpOps), a: leaf, b: leaf }),
      );
      continue;
    }
    const sub = expr[d - 1];
    const subCond = cond[d - 1];
    const e: fc.Arbitrary<Expr> = fc.oneof(
      { arbitrary: leaf, weight: 3 },
      { arbitrary: fc.record({ k: fc.constant("neg" as const), a: sub }), weight: 1 },
      {
        arbitrary: fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom("+" as const, "-" as const, "*" as const), a: sub, b: sub }),
        weight: 6,
      },
      {
        arbitrary: fc.record({
          k: fc.constant("div" as const),
          a: sub,
          b: fc.oneof(sub, fc.constantFrom(2, 3, 0.5, -4, 7)),
        }),
        weight: 2,
      },
      { arbitrary: fc.record({ k: fc.constant("pow" as const), a: sub, n: fc.constantFrom(2, 3, 1, 4, -1, -2) }), weight: 2 },
      {
        arbitrary: fc.record({ k: fc.constant("un" as const), fn: fc.constantFrom(...unaryFns), a: sub, form: fc.nat(2) }),
        weight: 6,
      },
      { arbitrary: fc.record({ k: fc.constant("bin2" as const), fn: fc.constantFrom(...binaryFns), a: sub, b: sub }), weight: 2 },
      { arbitrary: fc.record({ k: fc.constant("ite" as const), c: subCond, a: sub, b: sub }), weight: 1 },
      { arbitrary: fc.record({ k: fc.constant("call" as const), a: sub, b: sub }), weight: 1 },
    );
    expr.push(e);
    cond.push(
      fc.oneof(
        { arbitrary: fc.record({ k: fc.constant("cmp" as const), op: fc.constantFrom(...cmpOps), a: sub, b: sub }), weight: 5 },
        { arbitrary: fc.record({ k: fc.constantFrom("and" as const, "or" as const), a: subCond, b: subCond }), weight: 2 },
        { arbitrary: fc.record({ k: fc.constant("not" as const), a: subCond }), weight: 1 },
      ),
    );
  }
  return { expr, cond };
}

export interface GenOptions {
  /** Depth of expression trees. Default 3. */
  readonly exprDepth?: number;
  /** Most top-level statements in f. Default 6. */
  readonly maxStmts?: number;
}

function stmtArbs(expr: fc.Arbitrary<Expr>, cond: fc.Arbitrary<Cond>, maxStmts: number) {
  const simple: fc.Arbitrary<Stmt> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("decl" as const), let: fc.boolean(), typed: fc.boolean(), e: expr }), weight: 2 },
    {
      arbitrary: fc.record({
        k: fc.constant("assign" as const),
        t: fc.nat(5),
        op: fc.constantFrom("=" as const, "+=" as const, "-=" as const, "*=" as const),
        e: expr,
      }),
      weight: 3,
    },
  );
  const block = (inner: fc.Arbitrary<Stmt>, max: number) => fc.array(inner, { maxLength: max });
  // One level of nesting inside branches.
  const innerIf: fc.Arbitrary<Stmt> = fc.record({
    k: fc.constant("if" as const),
    c: cond,
    then: fc.array(simple, { minLength: 1, maxLength: 2 }),
    else: fc.option(fc.array(simple, { minLength: 1, maxLength: 2 }), { nil: null }),
  });
  const inner: fc.Arbitrary<Stmt> = fc.oneof({ arbitrary: simple, weight: 4 }, { arbitrary: innerIf, weight: 1 });
  const stmt: fc.Arbitrary<Stmt> = fc.oneof(
    { arbitrary: simple, weight: 6 },
    {
      arbitrary: fc.record({
        k: fc.constant("if" as const),
        c: cond,
        then: fc.array(inner, { minLength: 1, maxLength: 3 }),
        else: fc.option(fc.array(inner, { minLength: 1, maxLength: 3 }), { nil: null, freq: 3 }),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        k: fc.constant("ifInit" as const),
        c: cond,
        then: block(simple, 2),
        a: expr,
        else: block(simple, 2),
        b: expr,
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({ k: fc.constant("ret" as const), c: cond, body: block(simple, 2), e: expr, bare: fc.boolean() }),
      weight: 1,
    },
  );
  const tail: fc.Arbitrary<Tail> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("return" as const), e: expr }), weight: 4 },
    {
      arbitrary: fc.record({
        k: fc.constant("ifReturn" as const),
        c: cond,
        then: block(simple, 2),
        a: expr,
        else: block(simple, 2),
        b: expr,
      }),
      weight: 1,
    },
  );
  const body = (max: number): fc.Arbitrary<FunctionBody> => fc.record({ stmts: fc.array(stmt, { maxLength: max }), tail });
  return { body };
}

/** Raw programs: f of 1–4 parameters, sometimes with a helper h(a, b). */
export function rawProgramArb(options: GenOptions = {}): fc.Arbitrary<RawProgram> {
  const { expr, cond } = exprArbs(options.exprDepth ?? 3);
  const depth = expr.length - 1;
  const { body } = stmtArbs(expr[depth], cond[depth], options.maxStmts ?? 6);
  const helperArbs = stmtArbs(expr[Math.max(0, depth - 1)], cond[Math.max(0, depth - 1)], 3);
  return fc.record({
    arity: fc.integer({ min: 1, max: 4 }),
    helper: fc.option(helperArbs.body(3), { nil: null, freq: 2 }),
    body: body(options.maxStmts ?? 6),
    valueAndGrad: fc.boolean(),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** JS precedence levels used for parenthesization. */
const Prec = {
  Cond: 2,
  Or: 3,
  And: 4,
  Rel: 9,
  Add: 11,
  Mul: 12,
  Pow: 13,
  Unary: 14,
  Primary: 20,
} as const;

interface Out {
  readonly text: string;
  readonly prec: number;
  /** Upper bound of |value|. */
  readonly bound: number;
}

interface Var {
  readonly name: string;
  bound: number;
  readonly assignable: boolean;
}

class Scope {
  readonly vars: Var[];
  constructor(
    readonly parent: Scope | null,
    readonly fn: FnContext,
  ) {
    this.vars = [];
  }
  all(): Var[] {
    return this.parent ? [...this.parent.all(), ...this.vars] : [...this.vars];
  }
  /** Snapshot of every visible variable's bound (to merge branches). */
  bounds(): Map<Var, number> {
    return new Map(this.all().map((v) => [v, v.bound]));
  }
}

interface FnContext {
  /** The helper's name, or null (calls then render as a plain expression). */
  readonly helper: { readonly name: string; readonly bound: number } | null;
  next: number;
  readonly prefix: string;
}

function paren(o: Out, min: number): string {
  return o.prec >= min ? o.text : `(${o.text})`;
}

function num(v: number): Out {
  return { text: String(v), prec: Prec.Primary, bound: Math.abs(v) };
}

/**
 * Brings `o` within `limit` (≥ 1): scaled by a power of ten, or through atan/tanh. The choice is a
 * deterministic function of the text so rendering stays a pure function of the raw tree.
 */
function fit(o: Out, limit: number): Out {
  if (o.bound <= limit) return o;
  const style = o.text.length % 3;
  if (style === 1 && limit >= Math.PI / 2) return { text: `Math.atan(${o.text})`, prec: Prec.Primary, bound: Math.PI / 2 };
  if (style === 2 && o.bound <= 4 * limit) return { text: `Math.tanh(${o.text})`, prec: Prec.Primary, bound: 1 };
  const k = Math.ceil(Math.log10(o.bound / limit));
  const scale = 10 ** -k;
  return { text: `${scale} * ${paren(o, Prec.Mul + 0.5)}`, prec: Prec.Mul, bound: o.bound * scale };
}

function bin(a: Out, op: "+" | "-" | "*" | "/", b: Out, bound: number): Out {
  const p = op === "+" || op === "-" ? Prec.Add : Prec.Mul;
  // Left-associative: the right operand needs parentheses at equal precedence.
  return { text: `${paren(a, p)} ${op} ${paren(b, p + 0.5)}`, prec: p, bound };
}

function call(name: string, args: Out[], bound: number): Out {
  return { text: `${name}(${args.map((a) => a.text).join(", ")})`, prec: Prec.Primary, bound };
}

/** `1 + e*e` with e fitted to SQUARED_ARG; its value is ≥ 1. */
function onePlusSquare(e: Out): Out {
  const f = fit(e, SQUARED_ARG);
  const sq = paren(f, Prec.Mul + 0.5);
  return { text: `1 + ${paren(f, Prec.Mul)} * ${sq}`, prec: Prec.Add, bound: 1 + f.bound * f.bound };
}

function renderExpr(e: Expr, s: Scope): Out {
  return fit(renderRaw(e, s), CAP);
}

function renderRaw(e: Expr, s: Scope): Out {
  switch (e.k) {
    case "num":
      return num(e.v);
    case "pi":
      return { text: "Math.PI", prec: Prec.Primary, bound: Math.PI };
    case "var": {
      const vars = s.all();
      const v = vars[e.i % vars.length];
      return { text: v.name, prec: Prec.Primary, bound: v.bound };
    }
    case "neg": {
      const a = renderExpr(e.a, s);
      // `-(-x)`, never `--x`; a `**` operand must not be a bare unary expression either.
      return { text: `-${paren(a, Prec.Primary)}`, prec: Prec.Unary, bound: a.bound };
    }
    case "bin": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      return bin(a, e.op, b, e.op === "*" ? a.bound * b.bound : a.bound + b.bound);
    }
    case "div": {
      const a = renderExpr(e.a, s);
      if (typeof e.b === "number") return bin(a, "/", num(e.b), a.bound / Math.abs(e.b));
      return bin(a, "/", onePlusSquare(renderExpr(e.b, s)), a.bound);
    }
    case "pow": {
      const a = renderExpr(e.a, s);
      if (e.n < 0) {
        // Negative exponents only of a base ≥ 1.
        const base = onePlusSquare(a);
        return { text: `(${base.text}) ** ${e.n}`, prec: Prec.Pow, bound: 1 };
      }
      const base = fit(a, CAP ** (1 / e.n));
      // The base of ** must be a primary expression (unary minus is a syntax error there).
      return { text: `${paren(base, Prec.Primary)} ** ${e.n}`, prec: Prec.Pow, bound: base.bound ** e.n };
    }
    case "un":
      return renderUnary(e.fn, renderExpr(e.a, s), e.form);
    case "bin2": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      if (e.fn === "hypot") {
        // One argument strictly positive, so the derivative is defined everywhere.
        const pos = fit(b, EXP_ARG);
        const ex = call("Math.exp", [pos], Math.exp(pos.bound));
        return call("Math.hypot", e.a.k === "num" ? [ex, a] : [a, ex], a.bound + ex.bound);
      }
      return call(`Math.${e.fn}`, [a, b], Math.max(a.bound, b.bound));
    }
    case "ite": {
      const c = renderCond(e.c, s);
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      return {
        text: `${paren(c, Prec.Or)} ? ${paren(a, Prec.Or)} : ${paren(b, Prec.Or)}`,
        prec: Prec.Cond,
        bound: Math.max(a.bound, b.bound),
      };
    }
    case "call": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      const h = s.fn.helper;
      if (!h) return bin(a, "-", b, a.bound + b.bound);
      return call(h.name, [fit(a, HELPER_ARG), fit(b, HELPER_ARG)], h.bound);
    }
  }
}

function renderUnary(fn: UnaryFn, a: Out, form: number): Out {
  switch (fn) {
    case "exp": {
      const x = fit(a, EXP_ARG);
      return call("Math.exp", [x], Math.exp(x.bound));
    }
    case "sin":
    case "cos":
    case "tanh": {
      const x = fit(a, TRIG_ARG);
      return call(`Math.${fn}`, [x], 1);
    }
    case "atan":
      return call("Math.atan", [fit(a, ATAN_ARG)], Math.PI / 2);
    case "abs":
      return call("Math.abs", [a], a.bound);
    case "sqrt":
    case "log":
    case "log1p": {
      // A positive argument (for log1p: > -1), built three ways.
      let arg: Out;
      let argBound: number;
      if (form === 0) {
        arg = onePlusSquare(a);
        argBound = arg.bound;
        if (fn === "log1p") {
          const x = fit(a, SQUARED_ARG);
          arg = bin(x, "*", x, x.bound * x.bound);
          argBound = arg.bound;
        }
      } else if (form === 1) {
        const x = fit(a, EXP_ARG);
        arg = call("Math.exp", [x], Math.exp(x.bound));
        argBound = arg.bound;
      } else {
        const x = fit(a, TRIG_ARG);
        arg = { text: `2 + Math.sin(${x.text})`, prec: Prec.Add, bound: 3 };
        argBound = 3;
      }
      const bound = fn === "sqrt" ? Math.sqrt(argBound) : Math.log(1 + argBound) + 1;
      return call(`Math.${fn}`, [arg], bound);
    }
  }
}

function renderCond(c: Cond, s: Scope): Out {
  switch (c.k) {
    case "cmp": {
      const a = renderExpr(c.a, s);
      const b = renderExpr(c.b, s);
      return { text: `${paren(a, Prec.Rel + 1)} ${c.op} ${paren(b, Prec.Rel + 1)}`, prec: Prec.Rel, bound: 1 };
    }
    case "and":
    case "or": {
      const p = c.k === "and" ? Prec.And : Prec.Or;
      const a = renderCond(c.a, s);
      const b = renderCond(c.b, s);
      // Minimal parentheses: `a && b || c` relies on && binding tighter than ||.
      return { text: `${paren(a, p + 0.5)} ${c.k === "and" ? "&&" : "||"} ${paren(b, p + 0.5)}`, prec: p, bound: 1 };
    }
    case "not": {
      const a = renderCond(c.a, s);
      return { text: `!${paren(a, Prec.Primary)}`, prec: Prec.Unary, bound: 1 };
    }
  }
}

class Writer {
  readonly lines: string[] = [];
  line(depth: number, text: string): void {
    this.lines.push(`${"  ".repeat(depth)}${text}`);
  }
}

function fresh(s: Scope): string {
  return `${s.fn.prefix}${s.fn.next++}`;
}

function renderStmts(stmts: readonly Stmt[], s: Scope, w: Writer, depth: number): void {
  for (const st of stmts) renderStmt(st, s, w, depth);
}

/** Merges the variable bounds after branches: the max over the branches that fall through. */
function mergeBounds(s: Scope, outcomes: Map<Var, number>[]): void {
  for (const v of s.all()) {
    const bs = outcomes.map((o) => o.get(v) ?? v.bound);
    v.bound = Math.max(...bs);
  }
}

function restore(snapshot: Map<Var, number>): void {
  for (const [v, b] of snapshot) v.bound = b;
}

function renderBlock(stmts: readonly Stmt[], s: Scope, w: Writer, depth: number, extra?: (inner: Scope) => void): void {
  const inner = new Scope(s, s.fn);
  renderStmts(stmts, inner, w, depth);
  extra?.(inner);
}

function renderStmt(st: Stmt, s: Scope, w: Writer, depth: number): void {
  switch (st.k) {
    case "decl": {
      const e = renderExpr(st.e, s);
      const name = fresh(s);
      w.line(depth, `${st.let ? "let" : "const"} ${name}${st.typed ? ": number" : ""} = ${e.text};`);
      s.vars.push({ name, bound: e.bound, assignable: st.let });
      return;
    }
    case "assign": {
      const targets = s.all().filter((v) => v.assignable);
      if (targets.length === 0) {
        renderStmt({ k: "decl", let: true, typed: false, e: st.e }, s, w, depth);
        return;
      }
      const v = targets[st.t % targets.length];
      const e = renderExpr(st.e, s);
      if (st.op === "=") {
        w.line(depth, `${v.name} = ${e.text};`);
        v.bound = e.bound;
        return;
      }
      // Compound assignment: fit the right side so the variable stays within CAP; when the
      // variable is already at CAP, assign the fitted combination instead.
      const room = st.op === "*=" ? CAP / Math.max(v.bound, 1e-9) : CAP - v.bound;
      if (room >= 1) {
        const r = fit(e, room);
        w.line(depth, `${v.name} ${st.op} ${r.text};`);
        v.bound = st.op === "*=" ? v.bound * r.bound : v.bound + r.bound;
        return;
      }
      const op = st.op[0] as "+" | "-" | "*";
      const self: Out = { text: v.name, prec: Prec.Primary, bound: v.bound };
      const combined = fit(bin(self, op, e, op === "*" ? v.bound * e.bound : v.bound + e.bound), CAP);
      w.line(depth, `${v.name} = ${combined.text};`);
      v.bound = combined.bound;
      return;
    }
    case "if": {
      const c = renderCond(st.c, s);
      const before = s.bounds();
      w.line(depth, `if (${c.text}) {`);
      renderBlock(st.then, s, w, depth + 1);
      const afterThen = s.bounds();
      restore(before);
      if (st.else) {
        w.line(depth, `} else {`);
        renderBlock(st.else, s, w, depth + 1);
      }
      w.line(depth, `}`);
      mergeBounds(s, [afterThen, s.bounds()]);
      return;
    }
    case "ifInit": {
      const name = fresh(s);
      const c = renderCond(st.c, s);
      w.line(depth, `let ${name}: number;`);
      w.line(depth, `if (${c.text}) {`);
      const before = s.bounds();
      let boundA = 0;
      renderBlock(st.then, s, w, depth + 1, (inner) => {
        const a = renderExpr(st.a, inner);
        w.line(depth + 1, `${name} = ${a.text};`);
        boundA = a.bound;
      });
      const afterThen = s.bounds();
      restore(before);
      w.line(depth, `} else {`);
      let boundB = 0;
      renderBlock(st.else, s, w, depth + 1, (inner) => {
        const b = renderExpr(st.b, inner);
        w.line(depth + 1, `${name} = ${b.text};`);
        boundB = b.bound;
      });
      w.line(depth, `}`);
      mergeBounds(s, [afterThen, s.bounds()]);
      s.vars.push({ name, bound: Math.max(boundA, boundB), assignable: true });
      return;
    }
    case "ret": {
      const c = renderCond(st.c, s);
      const before = s.bounds();
      if (st.bare && st.body.length === 0) {
        w.line(depth, `if (${c.text}) return ${renderExpr(st.e, s).text};`);
        return;
      }
      w.line(depth, `if (${c.text}) {`);
      renderBlock(st.body, s, w, depth + 1, (inner) => {
        w.line(depth + 1, `return ${renderExpr(st.e, inner).text};`);
      });
      w.line(depth, `}`);
      // The block returns, so nothing it assigned reaches the code after it.
      restore(before);
      return;
    }
  }
}

/** Renders a body; returns the bound of the returned value. */
function renderBody(body: FunctionBody, s: Scope, w: Writer): number {
  renderStmts(body.stmts, s, w, 1);
  const tail = body.tail;
  if (tail.k === "return") {
    const e = renderExpr(tail.e, s);
    w.line(1, `return ${e.text};`);
    return e.bound;
  }
  const c = renderCond(tail.c, s);
  const before = s.bounds();
  let bound = 0;
  w.line(1, `if (${c.text}) {`);
  renderBlock(tail.then, s, w, 2, (inner) => {
    const a = renderExpr(tail.a, inner);
    w.line(2, `return ${a.text};`);
    bound = Math.max(bound, a.bound);
  });
  restore(before);
  w.line(1, `} else {`);
  renderBlock(tail.else, s, w, 2, (inner) => {
    const b = renderExpr(tail.b, inner);
    w.line(2, `return ${b.text};`);
    bound = Math.max(bound, b.bound);
  });
  w.line(1, `}`);
  return bound;
}

export const PARAM_NAMES = ["x", "y", "z", "w"];

export interface RenderedFunctions {
  /** The helper (if any) and f, as TypeScript declarations. */
  readonly text: string;
  readonly f: string;
  readonly g: string;
  readonly arity: number;
  readonly valueAndGrad: boolean;
}

/** Renders one program's functions, named with `suffix` (f{suffix}, h{suffix}, g{suffix}). */
export function renderFunctions(p: RawProgram, suffix = ""): RenderedFunctions {
  const out: string[] = [];
  let helper: FnContext["helper"] = null;
  if (p.helper) {
    const name = `h${suffix}`;
    const ctx: FnContext = { helper: null, next: 0, prefix: "t" };
    const s = new Scope(null, ctx);
    s.vars.push({ name: "a", bound: HELPER_ARG, assignable: true }, { name: "b", bound: HELPER_ARG, assignable: true });
    const w = new Writer();
    const bound = renderBody(p.helper, s, w);
    out.push(`function ${name}(a: number, b: number): number {`, ...w.lines, `}`);
    helper = { name, bound };
  }
  const f = `f${suffix}`;
  const ctx: FnContext = { helper, next: 0, prefix: "v" };
  const s = new Scope(null, ctx);
  const params = PARAM_NAMES.slice(0, p.arity);
  for (const name of params) s.vars.push({ name, bound: INPUT_BOUND, assignable: true });
  const w = new Writer();
  renderBody(p.body, s, w);
  out.push(`export function ${f}(${params.map((n) => `${n}: number`).join(", ")}): number {`, ...w.lines, `}`);
  return { text: out.join("\n"), f, g: `g${suffix}`, arity: p.arity, valueAndGrad: p.valueAndGrad };
}

/**
 * A whole module: the import, each program's functions, and `export const g… = grad(f…)`
 * (or `valueAndGrad`). `withOperators: false` leaves the operators out, to run the primal
 * untransformed.
 */
export function renderModule(programs: readonly RawProgram[], withOperators = true): { text: string; functions: RenderedFunctions[] } {
  const functions = programs.map((p, i) => renderFunctions(p, programs.length === 1 ? "" : String(i)));
  const parts: string[] = [];
  if (withOperators) parts.push(`import { grad, valueAndGrad } from "adc";`, "");
  for (const fn of functions) {
    parts.push(fn.text);
    if (withOperators) parts.push(`export const ${fn.g} = ${fn.valueAndGrad ? "valueAndGrad" : "grad"}(${fn.f});`);
    parts.push("");
  }
  return { text: parts.join("\n"), functions };
}

/** A program with its rendered source as its printed form (fast-check shows it on failure). */
export class Program {
  readonly source: string;
  constructor(readonly raw: RawProgram) {
    this.source = renderModule([raw]).text;
  }
  [fc.toStringMethod](): string {
    return `\n${this.source}`;
  }
}

export function programArb(options: GenOptions = {}): fc.Arbitrary<Program> {
  return rawProgramArb(options).map((raw) => new Program(raw));
}

/** Deterministic points in [-INPUT_BOUND, INPUT_BOUND]^arity from an integer seed (mulberry32). */
export function samplePoints(seed: number, arity: number, count: number): number[][] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Array.from({ length: arity }, () => INPUT_BOUND * (2 * next() - 1)));
}
