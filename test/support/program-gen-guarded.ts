// Domain-restricted values used only under a condition (issue 13), for the property tests and the
// fuzz command: a statement computes `log`, `sqrt`, a division, a fractional or negative power,
// `asin`/`acos`, `log1p` or an atanh-like `log((1 + a) / (1 - a))` of an unconstrained argument,
// often through one more operation, and uses the result only where the domain guard holds:
//
//   const v3 = Math.max(x * y, 0);     // exactly 0 for half the points: log's partial is infinite
//   const v4 = Math.log(v3);
//   const v5 = v4 * z;
//   if (v3 > 0.1) { y += 0.1 * (v5 * x); }       (or a ternary, `&&`, `||`, an early return)
//
// Where the guard fails the value is NaN or infinite and unused, so the function and its forward
// derivative are finite; reverse mode must be too (the oracle's `guarded` subjects). The guard
// keeps a margin from the edge of the domain, so the values used stay moderate.
import fc from "fast-check";
import {
  CAP,
  Prec,
  Scope,
  fit,
  fresh,
  mergeBounds,
  paren,
  primary,
  renderCond,
  renderExpr,
  renderReturned,
  renderStmt,
  type Cond,
  type Expr,
  type Out,
  type Stmt,
  type Var,
  type Writer,
} from "./program-gen";

export const guardFns = ["log", "sqrt", "div", "powHalf", "powNeg", "asin", "acos", "log1p", "atanhLike"] as const;
export type GuardFn = (typeof guardFns)[number];

export interface Guard {
  readonly k: "guard";
  readonly fn: GuardFn;
  /** The argument, unconstrained. */
  readonly a: Expr;
  /** 0: `a - 1`; 1: `Math.max(a, 0)` (exact zeros, where partials are infinite); 2: `a`. */
  readonly arg: number;
  /** A second operation between the value and its use (`v * chain`); a division's numerator. */
  readonly chain: Expr | null;
  /** 0: if; 1: ternary; 2: `guard && c`; 3: the else of `!guard || c`; 4: an early return when the guard fails. */
  readonly form: number;
  /** The variable assigned under the guard (among the assignable ones), and how. */
  readonly t: number;
  readonly op: "=" | "+=" | "-=" | "*=";
  /** What the guarded value is multiplied with where it is used (and the other arm of a ternary). */
  readonly use: Expr;
  readonly c: Cond;
  /** `Math.pow(…)` rather than `**` for the powers. */
  readonly call: boolean;
}

export function guardArb(expr: fc.Arbitrary<Expr>, cond: fc.Arbitrary<Cond>): fc.Arbitrary<Guard> {
  return fc.record({
    k: fc.constant("guard" as const),
    fn: fc.constantFrom(...guardFns),
    a: expr,
    arg: fc.nat(2),
    chain: fc.option(expr, { nil: null }),
    form: fc.nat(4),
    t: fc.nat(5),
    op: fc.constantFrom("=" as const, "+=" as const, "-=" as const, "*=" as const),
    use: expr,
    c: cond,
    call: fc.boolean(),
  });
}

/** How each function is computed, its guard (with a margin from the domain's edge) and a bound of the value under it. */
interface Domain {
  readonly value: (a: string, numerator: Out | null, call: boolean) => string;
  readonly guard: (a: string) => string;
  readonly bound: (a: number, numerator: Out | null) => number;
}

const positive = (a: string) => `${a} > 0.1`;
const unit = (a: string) => `${a} > -0.9 && ${a} < 0.9`;
const LOG_BOUND = (a: number) => Math.max(Math.log(10), Math.log(Math.max(a, 1)));

const domains: Record<GuardFn, Domain> = {
  log: { value: (a) => `Math.log(${a})`, guard: positive, bound: LOG_BOUND },
  sqrt: { value: (a) => `Math.sqrt(${a})`, guard: positive, bound: (a) => Math.sqrt(a) },
  div: { value: (a, n) => `${n ? paren(n, Prec.Mul) : "1"} / ${a}`, guard: positive, bound: (_a, n) => 10 * (n ? n.bound : 1) },
  powHalf: { value: (a, _n, call) => (call ? `Math.pow(${a}, 1.5)` : `${a} ** 0.5`), guard: positive, bound: (a) => Math.max(1, a) ** 1.5 },
  powNeg: { value: (a, _n, call) => (call ? `Math.pow(${a}, -2)` : `${a} ** -1`), guard: positive, bound: () => 100 },
  asin: { value: (a) => `Math.asin(${a})`, guard: unit, bound: () => Math.PI / 2 },
  acos: { value: (a) => `Math.acos(${a})`, guard: unit, bound: () => Math.PI },
  log1p: { value: (a) => `Math.log1p(${a})`, guard: (a) => `${a} > -0.9`, bound: (a) => LOG_BOUND(1 + a) },
  atanhLike: { value: (a) => `Math.log((1 + ${a}) / (1 - ${a}))`, guard: unit, bound: () => Math.log(19) },
};

export function renderGuard(st: Guard, s: Scope, w: Writer, depth: number): void {
  if (s.fn.guarded) s.fn.guarded.rendered = true;
  const domain = domains[st.fn];
  const a = renderExpr(st.a, s);
  const argument = st.arg === 0 ? `${paren(a, Prec.Add)} - 1` : st.arg === 1 ? `Math.max(${a.text}, 0)` : a.text;
  const arg = fresh(s);
  w.line(depth, `const ${arg} = ${argument};`);
  const numerator = st.fn === "div" && st.chain ? renderExpr(st.chain, s) : null;
  const name = fresh(s);
  w.line(depth, `const ${name} = ${domain.value(arg, numerator, st.call)};`);
  let value: Out = primary(name, domain.bound(a.bound + 1, numerator));
  if (st.chain && st.fn !== "div") {
    const c = renderExpr(st.chain, s);
    const chained = fresh(s);
    const product = fit(primary(`${name} * ${paren(c, Prec.Mul + 0.5)}`, value.bound * c.bound), CAP);
    w.line(depth, `const ${chained} = ${product.text};`);
    value = primary(chained, product.bound);
  }
  const guard = domain.guard(arg);
  // The guarded value is visible only where the guard holds: in a scope of its own.
  const guardedScope = (): { scope: Scope; v: Var } => {
    const scope = new Scope(s, s.fn);
    const v: Var = { name: value.text, bound: value.bound, assignable: false };
    scope.vars.push(v);
    return { scope, v };
  };
  /** `target op= fit(value * use)` into an assignable variable of the enclosing scopes. */
  const assignUsing = (inner: Scope, v: Var, at: number): void => {
    const i = inner.all().indexOf(v);
    const e: Expr = { k: "bin", op: "*", a: { k: "var", i }, b: st.use };
    const stmt: Stmt = { k: "assign", t: st.t, op: st.op, e };
    renderStmt(stmt, inner, w, at);
  };
  const before = s.bounds();
  switch (st.form % 5) {
    case 0:
    case 2: {
      const extra = st.form % 5 === 2 ? ` && ${paren(renderCond(st.c, s), Prec.And + 0.5)}` : "";
      w.line(depth, `if (${guard}${extra}) {`);
      const { scope, v } = guardedScope();
      assignUsing(scope, v, depth + 1);
      w.line(depth, `}`);
      mergeBounds(s, [s.bounds(), before]);
      return;
    }
    case 1: {
      const { scope, v } = guardedScope();
      const i = scope.all().indexOf(v);
      const taken = renderExpr({ k: "bin", op: "*", a: { k: "var", i }, b: st.use }, scope);
      const other = renderExpr(st.use, s);
      const decl = fresh(s);
      w.line(depth, `const ${decl} = ${guard} ? ${paren(taken, Prec.Or)} : ${paren(other, Prec.Or)};`);
      s.vars.push({ name: decl, bound: Math.max(taken.bound, other.bound), assignable: false });
      return;
    }
    case 3: {
      const c = renderCond(st.c, s);
      w.line(depth, `if (!(${guard}) || ${paren(c, Prec.Or + 0.5)}) {`);
      renderStmt({ k: "assign", t: st.t, op: st.op, e: st.use }, new Scope(s, s.fn), w, depth + 1);
      const afterThen = s.bounds();
      for (const [x, b] of before) x.bound = b;
      w.line(depth, `} else {`);
      const { scope, v } = guardedScope();
      assignUsing(scope, v, depth + 1);
      w.line(depth, `}`);
      mergeBounds(s, [afterThen, s.bounds()]);
      return;
    }
    default: {
      // Returns when the guard fails; the code after it may use the value. (Without a variable to
      // assign, nothing: a fallback declaration in the guarded scope could shadow one at this level.)
      s.fn.returned = true;
      w.line(depth, `if (!(${guard})) return ${renderReturned(st.use, s).text};`);
      const { scope, v } = guardedScope();
      if (s.all().some((x) => x.assignable)) assignUsing(scope, v, depth);
      return;
    }
  }
}
