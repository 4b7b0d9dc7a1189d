// Random scalar programs in adc's supported language, for the property tests.
//
// fast-check generates a *raw* program: a tree whose variable references, assignment targets and
// callees are plain integers. Rendering resolves them against what is in scope at that point
// (modulo its size), so every raw tree is a valid program and shrinking any part of it keeps it
// valid.
//
// Rendering also keeps the domain safe by construction and the magnitudes moderate, so central
// differences are accurate:
// - sqrt, log, log1p, cbrt only see positive arguments (`1 + e*e`, `Math.exp(e)`, `2 + Math.sin(e)`);
//   asin/acos only `0.9 * Math.tanh(e)`; tan only |e| ≤ 1.2; division and % only by `1 + e*e` or a
//   nonzero constant; `**` only small integer exponents (negative ones only on bases ≥ 1);
//   `Math.hypot` and `Math.atan2` always get one argument `Math.exp(e)` > 0.
// - Every expression carries an upper bound of its magnitude (interval arithmetic on |·|, with
//   the inputs in [-INPUT_BOUND, INPUT_BOUND]). A node whose bound exceeds CAP is fitted: scaled by
//   a power of ten or passed through Math.atan / Math.tanh. Arguments of exp, sinh, sin, … are
//   fitted to small bounds too, so nothing overflows and nothing oscillates fast.
import fc from "fast-check";
import { guardArb, renderGuard, type Guard } from "./program-gen-guarded";
import { mulberry32 } from "./random";

export const INPUT_BOUND = 2;
/** Largest magnitude any expression or variable may reach. */
export const CAP = 100;
/** Bounds fitted onto the arguments of the elementary functions. */
const EXP_ARG = 3;
const TRIG_ARG = 6;
const TAN_ARG = 1.2;
const ATAN_ARG = 20;
const SQUARED_ARG = 30;
/** Bound fitted onto helpers' arguments. */
export const HELPER_ARG = 10;

// ---------------------------------------------------------------------------------------------
// Raw trees (what fast-check generates and shrinks)

export const unaryFns = [
  "exp", "sin", "cos", "tanh", "atan", "sqrt", "log", "log1p", "abs",
  "tan", "sinh", "cosh", "expm1", "cbrt", "asin", "acos",
  "floor", "ceil", "round", "trunc", "sign",
] as const;
export type UnaryFn = (typeof unaryFns)[number];
export type NaryFn = "min" | "max" | "hypot" | "atan2";
export type CmpOp = "<" | "<=" | ">" | ">=" | "===" | "!==";

export type Expr =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "pi" }
  | { readonly k: "mathE" }
  /** A module-level constant (a literal when the module has none). */
  | { readonly k: "const"; readonly i: number }
  | { readonly k: "var"; readonly i: number }
  | { readonly k: "neg"; readonly a: Expr }
  | { readonly k: "pos"; readonly a: Expr }
  | { readonly k: "bin"; readonly op: "+" | "-" | "*"; readonly a: Expr; readonly b: Expr }
  /** a / (1 + b*b) (or a % (1 + b*b)) when `b` is an expression, a / b when it is a constant. */
  | { readonly k: "div"; readonly op: "/" | "%"; readonly a: Expr; readonly b: Expr | number }
  /** a ** n, or Math.pow(a, n) when `call`; a fractional n only of a positive base. */
  | { readonly k: "pow"; readonly a: Expr; readonly n: number; readonly call: boolean }
  /** A positive base (`1 + a*a` or `Math.exp(a)`, by `form`) to an expression power b. */
  | { readonly k: "powx"; readonly a: Expr; readonly b: Expr; readonly form: number; readonly call: boolean }
  /** `form` picks the safe wrapping of arguments with a restricted domain. */
  | { readonly k: "un"; readonly fn: UnaryFn; readonly a: Expr; readonly form: number }
  | { readonly k: "nary"; readonly fn: NaryFn; readonly a: Expr; readonly b: Expr; readonly c: Expr | null }
  | { readonly k: "ite"; readonly c: Cond; readonly a: Expr; readonly b: Expr }
  /** A call of helper number `h` (a plain expression when there is none). */
  | { readonly k: "call"; readonly h: number; readonly a: Expr; readonly b: Expr; readonly n: number }
  /**
   * An element read `a[index]` of the a-th visible array (program-gen-loops.ts): the index is a
   * loop counter, `(counter + k) % len`, `a.length - 1 - counter` or a constant, by `ix`/`off`;
   * a plain variable when no array is visible.
   */
  | { readonly k: "elem"; readonly a: number; readonly ix: number; readonly off: number }
  /**
   * A call `s(a, b)` of a helper that reads the array it is passed (program-gen-loops.ts), with
   * the a-th visible array of its type; an element read when there is none.
   */
  | { readonly k: "acall"; readonly a: number; readonly b: Expr };

export type Cond =
  | { readonly k: "cmp"; readonly op: CmpOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: "and" | "or"; readonly a: Cond; readonly b: Cond }
  | { readonly k: "not"; readonly a: Cond };

export type Stmt =
  /** `nm` picks the name: a fresh `v…`, a name from NAMES, or (in a block) one that shadows. */
  | { readonly k: "decl"; readonly let: boolean; readonly typed: boolean; readonly nm: number; readonly e: Expr }
  /** Assigns to the t-th assignable variable (a `let` or a parameter). */
  | { readonly k: "assign"; readonly t: number; readonly op: "=" | "+=" | "-=" | "*=" | "/="; readonly e: Expr }
  | { readonly k: "incr"; readonly t: number; readonly op: "++" | "--"; readonly prefix: boolean }
  | {
      readonly k: "if";
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[] | null;
      /** Braces even around single statements. */
      readonly braces: boolean;
    }
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
  | { readonly k: "ret"; readonly c: Cond; readonly body: readonly Stmt[]; readonly e: Returned; readonly bare: boolean }
  /** A bare block `{ … }`. */
  | { readonly k: "block"; readonly body: readonly Stmt[] }
  /** A domain-restricted value used only under a condition (program-gen-guarded.ts). */
  | Guard;

/** What a function returns: a number, or a tuple literal `[e₁, …, eₘ]`. */
export type Returned = Expr | readonly Expr[];

export type Tail =
  | { readonly k: "return"; readonly e: Returned }
  /** `if (c) { …; return a; } else { …; return b; }` as the last statement. */
  | {
      readonly k: "ifReturn";
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly a: Returned;
      readonly else: readonly Stmt[];
      readonly b: Returned;
    };

export interface FunctionBody {
  readonly stmts: readonly Stmt[];
  readonly tail: Tail;
}

/**
 * A helper f can call: `plain` is h(a, b) with a body; `rec` is
 * `r(a, n) { if (n <= 0) return base; return step ⊙ r(arg, n - 1); }`, called with a literal n.
 */
export type Helper = (
  | { readonly k: "plain"; readonly body: FunctionBody }
  | { readonly k: "rec"; readonly base: Expr; readonly step: Expr; readonly op: "+" | "*"; readonly arg: Expr }
) & {
  /** Exported and differentiated itself (`export const gh = grad(h)`), as well as called by f. */
  readonly marked: boolean;
  /** A static method of a class of its own (`K_h.h(…)`) rather than a function. */
  readonly method: boolean;
};

export type OperatorKind = "grad" | "valueAndGrad" | "vjp";

export interface RawOperator {
  readonly kind: OperatorKind;
  /** Bit i set: differentiate with respect to parameter i (no option when no bit is in range). */
  readonly wrtMask: number;
  readonly byName: boolean;
  /** A single parameter as a bare `wrt: 0` rather than `wrt: [0]`. */
  readonly bare: boolean;
  readonly reversed: boolean;
}

export interface RawProgram {
  /** Number of parameters of f, 1–4. */
  readonly arity: number;
  /** 0: f returns a number; m: a tuple of m numbers. */
  readonly results: number;
  /**
   * Which costlier derivatives the module exports as well (second order costs more to compile
   * than all the rest): bit 3 hvp(f), and with it bit 0 hessian(f) and bit 2 grad(grad(f)) of one
   * parameter; bits 1 and 2 jvp(f, { directions: 2 or 3 }).
   */
  readonly extras: number;
  /** A helper with a registered derivative (renderCustom's kind; 0: none). */
  readonly custom: number;
  /** Module-level numeric constants. */
  readonly consts: readonly number[];
  readonly helpers: readonly Helper[];
  /** Helpers declared after f (function declarations hoist). */
  readonly helpersAfter: boolean;
  readonly body: FunctionBody;
  readonly operator: RawOperator;
  /** f is a static method of a class, marked with `@grad`. */
  readonly decorator: boolean;
  /** Index into PARAM_NAMES. */
  readonly paramNames: number;
  /** Helpers named f_grad, f_pullback rather than h, r. */
  readonly generatedLikeNames: boolean;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const CONSTANTS = [0.5, 1, 2, 3, 0.25, 1.5, 2.5, 0.1, 0.75, 4, 1e-3, 10];
const MODULE_CONSTANTS = [1.5, -0.5, 2, 0.3, -2.5, 7];
const naryFns: readonly NaryFn[] = ["min", "max", "hypot", "atan2"];
const cmpOps: readonly CmpOp[] = ["<", "<=", ">", ">=", "<", ">", "===", "!=="];

/** Weights of the unary functions: the brief's core set often, the rest now and then. */
const unaryArb: fc.Arbitrary<UnaryFn> = fc.oneof(
  { arbitrary: fc.constantFrom<UnaryFn>("exp", "sin", "cos", "tanh", "atan", "sqrt", "log", "log1p", "abs"), weight: 5 },
  { arbitrary: fc.constantFrom<UnaryFn>("tan", "sinh", "cosh", "expm1", "cbrt", "asin", "acos"), weight: 2 },
  { arbitrary: fc.constantFrom<UnaryFn>("floor", "ceil", "round", "trunc", "sign"), weight: 1 },
);

/** Expression and condition arbitraries by depth; `elems` adds element reads to the leaves. */
export function exprArbs(maxDepth: number, elems = false): { expr: fc.Arbitrary<Expr>[]; cond: fc.Arbitrary<Cond>[] } {
  const expr: fc.Arbitrary<Expr>[] = [];
  const cond: fc.Arbitrary<Cond>[] = [];
  const leaves: fc.WeightedArbitrary<Expr>[] = [
    { arbitrary: fc.record({ k: fc.constant("var" as const), i: fc.nat(7) }), weight: 12 },
    { arbitrary: fc.record({ k: fc.constant("num" as const), v: fc.constantFrom(...CONSTANTS) }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant("const" as const), i: fc.nat(3) }), weight: 1 },
    { arbitrary: fc.constant({ k: "pi" as const }), weight: 1 },
    { arbitrary: fc.constant({ k: "mathE" as const }), weight: 1 },
  ];
  if (elems) {
    leaves.push({ arbitrary: fc.record({ k: fc.constant("elem" as const), a: fc.nat(3), ix: fc.nat(5), off: fc.nat(11) }), weight: 12 });
  }
  const leaf: fc.Arbitrary<Expr> = fc.oneof(...leaves);
  for (let d = 0; d <= maxDepth; d++) {
    if (d === 0) {
      expr.push(leaf);
      cond.push(fc.record({ k: fc.constant("cmp" as const), op: fc.constantFrom(...cmpOps), a: leaf, b: leaf }));
      continue;
    }
    const sub = expr[d - 1];
    const subCond = cond[d - 1];
    const e: fc.Arbitrary<Expr> = fc.oneof(
      { arbitrary: leaf, weight: 6 },
      { arbitrary: fc.record({ k: fc.constant("neg" as const), a: sub }), weight: 2 },
      { arbitrary: fc.record({ k: fc.constant("pos" as const), a: sub }), weight: 1 },
      {
        arbitrary: fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom("+" as const, "-" as const, "*" as const), a: sub, b: sub }),
        weight: 12,
      },
      {
        arbitrary: fc.record({
          k: fc.constant("div" as const),
          op: fc.oneof({ arbitrary: fc.constant("/" as const), weight: 5 }, { arbitrary: fc.constant("%" as const), weight: 1 }),
          a: sub,
          b: fc.oneof(sub, fc.constantFrom(2, 3, 0.5, -4, 7)),
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({ k: fc.constant("pow" as const), a: sub, n: fc.constantFrom(2, 3, 1, 4, -1, -2, 0.5, 1.5, -0.5), call: fc.boolean() }),
        weight: 4,
      },
      {
        arbitrary: fc.record({ k: fc.constant("powx" as const), a: sub, b: sub, form: fc.nat(1), call: fc.boolean() }),
        weight: 1,
      },
      { arbitrary: fc.record({ k: fc.constant("un" as const), fn: unaryArb, a: sub, form: fc.nat(2) }), weight: 12 },
      {
        arbitrary: fc.record({
          k: fc.constant("nary" as const),
          fn: fc.constantFrom(...naryFns),
          a: sub,
          b: sub,
          c: fc.option(sub, { nil: null, freq: 3 }),
        }),
        weight: 4,
      },
      { arbitrary: fc.record({ k: fc.constant("ite" as const), c: subCond, a: sub, b: sub }), weight: 2 },
      ...(elems ? [{ arbitrary: fc.record({ k: fc.constant("acall" as const), a: fc.nat(3), b: sub }), weight: 2 }] : []),
      {
        arbitrary: fc.record({ k: fc.constant("call" as const), h: fc.nat(1), a: sub, b: sub, n: fc.nat(3) }),
        weight: 3,
      },
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
  /** f returns a tuple of 2 or 3 numbers (checked by jacobian in both modes and jvp). */
  readonly vector?: boolean;
  /** Domain-restricted values used only under a condition (program-gen-guarded.ts, issue 13). */
  readonly guards?: boolean;
}

/**
 * Function bodies: statements over `expr` and `cond`, returning `returned` (a number, or tuples
 * for vector-valued functions); `extra` adds statements of another kind (guarded values) to the
 * top level and to branches.
 */
export function bodyArb(
  expr: fc.Arbitrary<Expr>,
  cond: fc.Arbitrary<Cond>,
  maxStmts: number,
  returned: fc.Arbitrary<Returned> = expr,
  extra?: fc.Arbitrary<Stmt>,
): fc.Arbitrary<FunctionBody> {
  const simple: fc.Arbitrary<Stmt> = fc.oneof(
    {
      arbitrary: fc.record({ k: fc.constant("decl" as const), let: fc.boolean(), typed: fc.boolean(), nm: fc.nat(NAMES.length * 3), e: expr }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        k: fc.constant("assign" as const),
        t: fc.nat(5),
        op: fc.constantFrom("=" as const, "+=" as const, "-=" as const, "*=" as const, "=" as const, "/=" as const),
        e: expr,
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({ k: fc.constant("incr" as const), t: fc.nat(5), op: fc.constantFrom("++" as const, "--" as const), prefix: fc.boolean() }),
      weight: 1,
    },
  );
  const block = (inner: fc.Arbitrary<Stmt>, max: number) => fc.array(inner, { maxLength: max });
  // Two more levels of ifs inside branches; an else holding a single if is an `else if`.
  const innermostIf: fc.Arbitrary<Stmt> = fc.record({
    k: fc.constant("if" as const),
    c: cond,
    then: fc.array(simple, { minLength: 1, maxLength: 2 }),
    else: fc.option(fc.array(simple, { minLength: 1, maxLength: 2 }), { nil: null }),
    braces: fc.boolean(),
  });
  const innerIf: fc.Arbitrary<Stmt> = fc.record({
    k: fc.constant("if" as const),
    c: cond,
    then: fc.array(fc.oneof({ arbitrary: simple, weight: 4 }, { arbitrary: innermostIf, weight: 1 }), { minLength: 1, maxLength: 2 }),
    else: fc.option(
      fc.oneof(fc.array(simple, { minLength: 1, maxLength: 2 }), fc.tuple(innermostIf)),
      { nil: null },
    ),
    braces: fc.boolean(),
  });
  const innerBlock: fc.Arbitrary<Stmt> = fc.record({ k: fc.constant("block" as const), body: block(simple, 2) });
  const inner: fc.Arbitrary<Stmt> = fc.oneof(
    { arbitrary: simple, weight: 8 },
    { arbitrary: innerIf, weight: 2 },
    { arbitrary: fc.record({ k: fc.constant("ret" as const), c: cond, body: block(simple, 1), e: returned, bare: fc.boolean() }), weight: 1 },
    { arbitrary: innerBlock, weight: 1 },
    ...(extra ? [{ arbitrary: extra, weight: 2 }] : []),
  );
  const stmt: fc.Arbitrary<Stmt> = fc.oneof(
    { arbitrary: simple, weight: 12 },
    {
      arbitrary: fc.record({
        k: fc.constant("if" as const),
        c: cond,
        then: fc.array(inner, { minLength: 1, maxLength: 3 }),
        else: fc.option(fc.array(inner, { minLength: 1, maxLength: 3 }), { nil: null, freq: 3 }),
        braces: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
      }),
      weight: 6,
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
      weight: 2,
    },
    {
      arbitrary: fc.record({ k: fc.constant("ret" as const), c: cond, body: block(simple, 2), e: returned, bare: fc.boolean() }),
      weight: 2,
    },
    { arbitrary: fc.record({ k: fc.constant("block" as const), body: block(inner, 3) }), weight: 1 },
    ...(extra ? [{ arbitrary: extra, weight: 6 }] : []),
  );
  const tail: fc.Arbitrary<Tail> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("return" as const), e: returned }), weight: 4 },
    {
      arbitrary: fc.record({
        k: fc.constant("ifReturn" as const),
        c: cond,
        then: block(simple, 2),
        a: returned,
        else: block(simple, 2),
        b: returned,
      }),
      weight: 1,
    },
  );
  return fc.record({ stmts: fc.array(stmt, { maxLength: maxStmts }), tail });
}

/** Raw programs: f of 1–4 parameters, sometimes with helpers (one may be recursive). */
export function rawProgramArb(options: GenOptions = {}): fc.Arbitrary<RawProgram> {
  const { expr, cond } = exprArbs(options.exprDepth ?? 3);
  const depth = expr.length - 1;
  const small = expr[Math.max(0, depth - 1)];
  const smallCond = cond[Math.max(0, depth - 1)];
  const guard = options.guards ? guardArb(small, smallCond) : undefined;
  const returned: fc.Arbitrary<Returned> = options.vector ? fc.array(expr[depth], { minLength: 2, maxLength: 3 }) : expr[depth];
  const body = bodyArb(expr[depth], cond[depth], options.maxStmts ?? 6, returned, guard);
  const marked = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });
  const method = fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 });
  const helper: fc.Arbitrary<Helper> = fc.oneof(
    {
      arbitrary: fc.record({ k: fc.constant("plain" as const), body: bodyArb(small, smallCond, 3, small, guard), marked: marked, method }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        k: fc.constant("rec" as const),
        base: small,
        step: small,
        op: fc.constantFrom("+" as const, "*" as const),
        arg: small,
        marked: marked,
        method,
      }),
      weight: 1,
    },
  );
  return fc.record({
    arity: fc.integer({ min: 1, max: 4 }),
    results: options.vector ? fc.constantFrom(2, 3) : fc.constant(0),
    extras: fc.nat(15),
    custom: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
    consts: fc.array(fc.constantFrom(...MODULE_CONSTANTS), { maxLength: 2 }),
    helpers: fc.array(helper, { maxLength: 2 }),
    helpersAfter: fc.boolean(),
    body,
    operator: fc.record({
      kind: fc.oneof(
        { arbitrary: fc.constant("grad" as const), weight: 4 },
        { arbitrary: fc.constant("valueAndGrad" as const), weight: 2 },
        { arbitrary: fc.constant("vjp" as const), weight: 1 },
      ),
      // Mostly all parameters (mask 0); a subset a third of the time.
      wrtMask: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 15 }), weight: 1 }),
      byName: fc.boolean(),
      bare: fc.boolean(),
      reversed: fc.boolean(),
    }),
    // @grad marks a scalar function only.
    decorator: options.vector ? fc.constant(false) : fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
    paramNames: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.constantFrom(1, 2), weight: 1 }),
    generatedLikeNames: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** JS precedence levels used for parenthesization. */
export const Prec = {
  Assign: 1,
  Cond: 2,
  Or: 3,
  And: 4,
  Eq: 8,
  Rel: 9,
  Add: 11,
  Mul: 12,
  Pow: 13,
  Unary: 14,
  Primary: 20,
} as const;

export interface Out {
  readonly text: string;
  readonly prec: number;
  /** Upper bound of |value|. */
  readonly bound: number;
  /** Whether TypeScript gives it a numeric literal type (`2`, `-0.5`, a `const` holding one). */
  readonly lit?: boolean;
}

export interface Var {
  readonly name: string;
  bound: number;
  readonly assignable: boolean;
  readonly lit?: boolean;
  /** A loop counter: a nonnegative integer, usable as an index (program-gen-loops.ts). */
  readonly counter?: { readonly hi: number };
  /** Assigned inside the loop being rendered: see Carried. */
  carried?: Carried;
}

/**
 * A variable (or array) a loop assigns. Its bound is CAP throughout the loop, which holds however
 * many times the loop runs: at entry it is at most `base`; a plain assignment is fitted to `base`;
 * a product only by factors of at most 1; each `+=`/`-=` statement adds at most a share of
 * `budget` (CAP - base) divided by the number of times it can run (FnContext.loopMult), and uses
 * that share up.
 */
export interface Carried {
  readonly base: number;
  budget: number;
}

/** An array in scope (program-gen-loops.ts): every element within `bound`. */
export interface ArrayVar {
  readonly name: string;
  readonly len: number;
  bound: number;
  readonly writable: boolean;
  /** A Float64Array (else number[] or readonly number[]): which helpers it may be passed to. */
  readonly typed?: boolean;
  carried?: Carried;
}

export interface Callee {
  readonly name: string;
  readonly rec: boolean;
  /** Bound of the result. */
  readonly bound: number;
}

export interface FnContext {
  readonly callees: readonly Callee[];
  readonly prefix: string;
  next: number;
  /** Every name declared in the function (locals never clash by accident). */
  readonly used: Set<string>;
  readonly consts: readonly { readonly name: string; readonly value: number }[];
  /** A name being declared by a shadowing declaration: invisible in its own initializer. */
  hidden?: string;
  /** Variable references rendered so far. */
  refs: number;
  /** Most times the statement being rendered can run per call (the product of the enclosing loops' trip caps). */
  loopMult?: number;
  /** A return statement has been rendered (program-gen-loops.ts). */
  returned?: boolean;
  /** Variables and arrays assigned so far (program-gen-loops.ts finds what a loop carries). */
  assigned?: Set<Var | ArrayVar>;
  /** The function returns a tuple of this many numbers (0 or absent: a number). */
  results?: number;
  /** Helpers taking an array and a number (program-gen-loops.ts), by the array type they take. */
  arrayCallees?: readonly { readonly name: string; readonly typed: boolean; readonly bound: number }[];
  /**
   * Arrays f writes may be passed to them too. Off while a callee's pullback reads the array as it
   * is after the caller's later writes (test/regression-fixtures/fuzz-loops-call-then-write.ts).
   */
  passWritten?: boolean;
  /** Set when a guarded value is rendered (program-gen-guarded.ts): the module's subjects are guarded. */
  guarded?: { rendered: boolean };
}

export class Scope {
  readonly vars: Var[] = [];
  readonly arrays: ArrayVar[] = [];
  /** Names used in this block so far: a later declaration here must not shadow them. */
  readonly referenced = new Set<string>();
  constructor(
    readonly parent: Scope | null,
    readonly fn: FnContext,
  ) {}
  /** Visible variables, outermost first; a shadowed outer variable is not visible. */
  all(): Var[] {
    const chain: Var[] = this.parent ? this.parent.all() : [];
    const mine = this.vars.filter((v) => v.name !== this.fn.hidden);
    const names = new Set(mine.map((v) => v.name));
    return [...chain.filter((v) => !names.has(v.name)), ...mine];
  }
  /** Visible arrays, outermost first. */
  allArrays(): ArrayVar[] {
    return [...(this.parent ? this.parent.allArrays() : []), ...this.arrays];
  }
  /** Records a use of `name` here and in every enclosing block. */
  use(name: string): void {
    for (let s: Scope | null = this; s; s = s.parent) s.referenced.add(name);
  }
  /** Snapshot of every visible variable's bound (to merge branches). */
  bounds(): Map<Var, number> {
    return new Map(this.all().map((v) => [v, v.bound]));
  }
}

/** Names a declaration may take instead of `v…`: close to what the backend generates. */
export const NAMES = [
  "t1", "x_bar", "t2", "y_bar", "x_2", "f", "g", "grad", "t", "v_bar",
  "seed", "value", "residuals", "f_grad", "h_pullback", "f_forward", "t3", "x_bar_2",
];

export function paren(o: Out, min: number): string {
  return o.prec >= min ? o.text : `(${o.text})`;
}

export function num(v: number): Out {
  return { text: String(v), prec: v < 0 ? Prec.Unary : Prec.Primary, bound: Math.abs(v), lit: true };
}

export function primary(text: string, bound: number): Out {
  return { text, prec: Prec.Primary, bound };
}

/**
 * Brings `o` within `limit`: scaled by a power of ten, or through atan/tanh. The choice is a
 * deterministic function of the text so rendering stays a pure function of the raw tree.
 */
export function fit(o: Out, limit: number): Out {
  if (o.bound <= limit) return o;
  const style = o.text.length % 3;
  if (style === 1 && limit >= Math.PI / 2) return primary(`Math.atan(${o.text})`, Math.PI / 2);
  // tanh only of moderate arguments: tanh(50) is 1 to the last bit, and its derivative 0.
  if (style === 2 && limit >= 1 && o.bound <= 4) return primary(`Math.tanh(${o.text})`, 1);
  const k = Math.ceil(Math.log10(o.bound / limit) + 1e-12);
  const scale = 10 ** -k;
  return { text: `${scale} * ${paren(o, Prec.Mul + 0.5)}`, prec: Prec.Mul, bound: o.bound * scale };
}

export function bin(a: Out, op: "+" | "-" | "*" | "/" | "%", b: Out, bound: number): Out {
  const p = op === "+" || op === "-" ? Prec.Add : Prec.Mul;
  // Left-associative: the right operand needs parentheses at equal precedence.
  return { text: `${paren(a, p)} ${op} ${paren(b, p + 0.5)}`, prec: p, bound };
}

function call(name: string, args: Out[], bound: number): Out {
  return primary(`${name}(${args.map((a) => a.text).join(", ")})`, bound);
}

/** `1 + e*e` with e fitted to SQUARED_ARG; its value is ≥ 1. */
export function onePlusSquare(e: Out): Out {
  const f = fit(e, SQUARED_ARG);
  return { text: `1 + ${paren(f, Prec.Mul)} * ${paren(f, Prec.Mul + 0.5)}`, prec: Prec.Add, bound: 1 + f.bound * f.bound };
}

/** `Math.exp(e)` with e fitted to EXP_ARG: positive. */
function positiveExp(e: Out): Out {
  const x = fit(e, EXP_ARG);
  return call("Math.exp", [x], Math.exp(x.bound));
}

/**
 * A returned expression. One that reads no variable gets one added, so that f is rarely constant
 * (a zero gradient checks little).
 */
export function renderReturned(e: Returned, s: Scope): Out {
  const items = Array.isArray(e) ? (e as readonly Expr[]) : [e as Expr];
  const m = s.fn.results ?? 0;
  if (m === 0) return renderScalarReturned(items[0] ?? { k: "var", i: 0 }, s);
  // A tuple of exactly m: components repeat when the raw tree has fewer (shrinking may drop some).
  const parts = Array.from({ length: m }, (_, k) => renderScalarReturned(items.length > 0 ? items[k % items.length] : { k: "var", i: k }, s));
  return primary(`[${parts.map((p) => p.text).join(", ")}]`, Math.max(...parts.map((p) => p.bound)));
}

function renderScalarReturned(e: Expr, s: Scope): Out {
  const before = s.fn.refs;
  const o = renderExpr(e, s);
  const vars = s.all();
  if (s.fn.refs > before || vars.length === 0) return o;
  const v = vars[o.text.length % vars.length];
  s.use(v.name);
  return bin(o, "+", primary(v.name, v.bound), o.bound + v.bound);
}

export function renderExpr(e: Expr, s: Scope): Out {
  return fit(renderRaw(e, s), CAP);
}

function renderRaw(e: Expr, s: Scope): Out {
  switch (e.k) {
    case "num":
      return num(e.v);
    case "pi":
      return primary("Math.PI", Math.PI);
    case "mathE":
      return primary("Math.E", Math.E);
    case "const": {
      const consts = s.fn.consts;
      if (consts.length === 0) return num(CONSTANTS[e.i % CONSTANTS.length]);
      const c = consts[e.i % consts.length];
      return { ...primary(c.name, Math.abs(c.value)), lit: true };
    }
    case "var": {
      const vars = s.all();
      if (vars.length === 0) return num(1);
      const v = vars[e.i % vars.length];
      s.use(v.name);
      s.fn.refs++;
      return { ...primary(v.name, v.bound), lit: v.lit };
    }
    case "neg": {
      const a = renderExpr(e.a, s);
      // `-(-x)`, never `--x`.
      return { text: `-${paren(a, Prec.Primary)}`, prec: Prec.Unary, bound: a.bound, lit: a.lit };
    }
    case "pos": {
      const a = renderExpr(e.a, s);
      return { text: `+${paren(a, Prec.Primary)}`, prec: Prec.Unary, bound: a.bound, lit: a.lit };
    }
    case "bin": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      // Not `e - e`, which is a constant 0.
      const op = e.op === "-" && a.text === b.text ? "+" : e.op;
      return bin(a, op, b, op === "*" ? a.bound * b.bound : a.bound + b.bound);
    }
    case "div": {
      const a = renderExpr(e.a, s);
      const b = typeof e.b === "number" ? num(e.b) : onePlusSquare(renderExpr(e.b, s));
      return bin(a, e.op, b, e.op === "%" ? Math.min(a.bound, b.bound) : a.bound / (typeof e.b === "number" ? Math.abs(e.b) : 1));
    }
    case "pow": {
      const a = renderExpr(e.a, s);
      // Negative exponents only of a base ≥ 1, fractional ones of a base ≥ 1 or > 0.
      const positive = e.n < 0 || !Number.isInteger(e.n);
      const base = positive
        ? e.n > 0 && a.text.length % 2 === 0
          ? positiveExp(fit(a, 1))
          : onePlusSquare(fit(a, 5))
        : fit(a, CAP ** (1 / e.n));
      const bound = e.n < 0 ? 1 : base.bound ** e.n;
      if (e.call) return call("Math.pow", [base, num(e.n)], bound);
      // The base of ** must not be a bare unary expression: parenthesize all but primaries.
      return { text: `${paren(base, Prec.Primary)} ** ${e.n < 0 ? `(${e.n})` : e.n}`, prec: Prec.Pow, bound };
    }
    case "powx": {
      const a = renderExpr(e.a, s);
      const base = e.form === 0 ? onePlusSquare(fit(a, 2)) : positiveExp(fit(a, 1.5));
      const b = fit(renderExpr(e.b, s), 2);
      const bound = Math.max(base.bound, 1) ** 2;
      if (e.call) return call("Math.pow", [base, b], bound);
      return { text: `${paren(base, Prec.Primary)} ** ${paren(b, Prec.Primary)}`, prec: Prec.Pow, bound };
    }
    case "un":
      return renderUnary(e.fn, renderExpr(e.a, s), e.form);
    case "nary": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      const c = e.c ? renderExpr(e.c, s) : null;
      switch (e.fn) {
        case "hypot": {
          // One argument strictly positive, so the derivative is defined everywhere.
          const ex = positiveExp(b);
          const args = c ? [a, c, ex] : e.a.k === "num" ? [ex, a] : [a, ex];
          return call("Math.hypot", args, args.reduce((sum, x) => sum + x.bound, 0));
        }
        case "atan2":
          return call("Math.atan2", [a, positiveExp(b)], Math.PI / 2);
        default: {
          const args = c ? [a, b, c] : [a, b];
          return call(`Math.${e.fn}`, args, Math.max(...args.map((x) => x.bound)));
        }
      }
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
    case "elem": {
      const arrays = s.allArrays();
      if (arrays.length === 0) return renderRaw({ k: "var", i: e.a }, s);
      const a = arrays[e.a % arrays.length];
      s.use(a.name);
      s.fn.refs++;
      return primary(`${a.name}[${renderIndex(a, e.ix, e.off, s)}]`, a.bound);
    }
    case "acall": {
      const callee = s.fn.arrayCallees?.[0];
      const arrays = callee ? s.allArrays().filter((a) => Boolean(a.typed) === callee.typed && (s.fn.passWritten || !a.writable)) : [];
      if (!callee || arrays.length === 0) return renderRaw({ k: "elem", a: e.a, ix: 0, off: e.a }, s);
      const a = arrays[e.a % arrays.length];
      s.use(a.name);
      s.fn.refs++;
      return call(callee.name, [primary(a.name, a.bound), fit(renderExpr(e.b, s), HELPER_ARG)], callee.bound);
    }
    case "call": {
      const a = renderExpr(e.a, s);
      const b = renderExpr(e.b, s);
      const callees = s.fn.callees;
      if (callees.length === 0) return bin(a, "-", b, a.bound + b.bound);
      const h = callees[e.h % callees.length];
      if (h.rec) return call(h.name, [fit(a, HELPER_ARG), num(e.n)], h.bound);
      return call(h.name, [fit(a, HELPER_ARG), fit(b, HELPER_ARG)], h.bound);
    }
  }
}

/** An index into `a` that is always in range: a counter (shifted, reversed) or a constant. */
export function renderIndex(a: ArrayVar, ix: number, off: number, s: Scope): string {
  const counters = s.all().filter((v) => v.counter);
  const pick = ix % (counters.length + 1);
  if (pick === counters.length) return String(off % a.len);
  const c = counters[pick];
  s.use(c.name);
  const form = off % 3;
  if (c.counter!.hi < a.len) {
    if (form === 0) return c.name;
    if (form === 2) return `${a.name}.length - 1 - ${c.name}`;
  }
  return `(${c.name} + ${1 + (off % Math.max(1, a.len - 1))}) % ${a.len}`;
}

function renderUnary(fn: UnaryFn, a: Out, form: number): Out {
  switch (fn) {
    case "exp":
      return positiveExp(a);
    case "sinh":
    case "cosh":
    case "expm1": {
      const x = fit(a, EXP_ARG);
      return call(`Math.${fn}`, [x], Math.exp(x.bound));
    }
    case "sin":
    case "cos":
    case "tanh":
      return call(`Math.${fn}`, [fit(a, TRIG_ARG)], 1);
    case "tan": {
      const x = fit(a, TAN_ARG);
      return call("Math.tan", [x], Math.tan(x.bound));
    }
    case "atan":
      return call("Math.atan", [fit(a, ATAN_ARG)], Math.PI / 2);
    case "asin":
    case "acos": {
      const x = fit(a, TRIG_ARG);
      return call(`Math.${fn}`, [primary(`0.9 * Math.tanh(${x.text})`, 0.9)], Math.PI);
    }
    case "abs":
    case "floor":
    case "ceil":
    case "round":
    case "trunc":
      return call(`Math.${fn}`, [a], a.bound + 1);
    case "sign":
      return call("Math.sign", [a], 1);
    case "sqrt":
    case "cbrt":
    case "log":
    case "log1p": {
      // A positive argument, built three ways (log1p also takes e*e ≥ 0).
      let arg: Out;
      if (form === 0) {
        if (fn === "log1p") {
          const x = fit(a, SQUARED_ARG);
          arg = bin(x, "*", x, x.bound * x.bound);
        } else {
          arg = onePlusSquare(a);
        }
      } else if (form === 1) {
        arg = positiveExp(a);
      } else {
        arg = { text: `2 + Math.sin(${fit(a, TRIG_ARG).text})`, prec: Prec.Add, bound: 3 };
      }
      const bound = fn === "sqrt" || fn === "cbrt" ? Math.sqrt(arg.bound) + 1 : Math.log(1 + arg.bound) + 1;
      return call(`Math.${fn}`, [arg], bound);
    }
  }
}

export function renderCond(c: Cond, s: Scope): Out {
  switch (c.k) {
    case "cmp": {
      const a = renderExpr(c.a, s);
      const b = renderExpr(c.b, s);
      let op = c.op;
      // No `===` with a literal type: TypeScript refuses two different ones (TS2367), and
      // `x === 0.5` narrows x to the type 0.5 (then to never after `0.5 !== x`).
      if (a.lit || b.lit) op = op === "===" ? "<=" : op === "!==" ? ">" : op;
      const p = op === "===" || op === "!==" ? Prec.Eq : Prec.Rel;
      return { text: `${paren(a, p + 1)} ${op} ${paren(b, p + 1)}`, prec: p, bound: 1 };
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

export class Writer {
  readonly lines: string[] = [];
  line(depth: number, text: string): void {
    this.lines.push(`${"  ".repeat(depth)}${text}`);
  }
}

export function fresh(s: Scope): string {
  let name: string;
  do name = `${s.fn.prefix}${s.fn.next++}`;
  while (s.fn.used.has(name));
  s.fn.used.add(name);
  return name;
}

function renderStmts(stmts: readonly Stmt[], s: Scope, w: Writer, depth: number): void {
  for (const st of stmts) renderStmt(st, s, w, depth);
}

/** Merges the variable bounds after branches: the max over the branches that fall through. */
export function mergeBounds(s: Scope, outcomes: Map<Var, number>[]): void {
  for (const v of s.all()) v.bound = Math.max(...outcomes.map((o) => o.get(v) ?? v.bound));
}

export function restore(snapshot: Map<Var, number>): void {
  for (const [v, b] of snapshot) v.bound = b;
}

function renderBlock(stmts: readonly Stmt[], s: Scope, w: Writer, depth: number, extra?: (inner: Scope) => void): void {
  const inner = new Scope(s, s.fn);
  renderStmts(stmts, inner, w, depth);
  extra?.(inner);
}

/** Picks the declared name: a fresh one, one of NAMES, or (in a nested block) a shadowing one. */
function declName(nm: number, s: Scope): { name: string; shadows?: Var } {
  if (nm < NAMES.length) {
    const name = NAMES[nm];
    if (!s.fn.used.has(name) && !s.fn.callees.some((c) => c.name === name)) {
      s.fn.used.add(name);
      return { name };
    }
  } else if (nm < NAMES.length + 4 && s.parent !== null) {
    const mine = new Set(s.vars.map((v) => v.name));
    // Not a name already used in this block: that use would then be in the new variable's
    // temporal dead zone.
    // Not a field (`w.b`, program-gen-loops.ts), which no declaration can shadow.
    const outer = s.all().filter((v) => !mine.has(v.name) && !s.referenced.has(v.name) && !v.name.includes("."));
    if (outer.length > 0) {
      const shadows = outer[nm % outer.length];
      return { name: shadows.name, shadows };
    }
  }
  return { name: fresh(s) };
}

export function renderStmt(st: Stmt, s: Scope, w: Writer, depth: number): void {
  switch (st.k) {
    case "decl": {
      const { name, shadows } = declName(st.nm, s);
      // The initializer cannot read any variable of that name: the name is the new variable's,
      // in its temporal dead zone.
      if (shadows) s.fn.hidden = name;
      const e = renderExpr(st.e, s);
      s.fn.hidden = undefined;
      w.line(depth, `${st.let ? "let" : "const"} ${name}${st.typed ? ": number" : ""} = ${e.text};`);
      s.vars.push({ name, bound: e.bound, assignable: st.let, lit: !st.let && !st.typed && e.lit });
      return;
    }
    case "assign": {
      const targets = s.all().filter((v) => v.assignable);
      if (targets.length === 0) {
        renderStmt({ k: "decl", let: true, typed: false, nm: NAMES.length + 4, e: st.e }, s, w, depth);
        return;
      }
      const v = targets[st.t % targets.length];
      s.use(v.name);
      s.fn.assigned?.add(v);
      const e = renderExpr(st.e, s);
      if (v.carried) {
        const r = carriedUpdate(v, v.carried, st.op, e, s.fn.loopMult ?? 1);
        w.line(depth, `${v.name}${r.text};`);
        v.bound = r.bound;
        return;
      }
      if (st.op === "=") {
        w.line(depth, `${v.name} = ${e.text};`);
        v.bound = e.bound;
        return;
      }
      if (st.op === "/=") {
        // Compound assignment binds loosest: `v /= 1 + e * e` divides by the whole sum.
        w.line(depth, `${v.name} /= ${onePlusSquare(e).text};`);
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
      const combined = fit(bin(primary(v.name, v.bound), op, e, op === "*" ? v.bound * e.bound : v.bound + e.bound), CAP);
      w.line(depth, `${v.name} = ${combined.text};`);
      v.bound = combined.bound;
      return;
    }
    case "incr": {
      const targets = s.all().filter((v) => v.assignable);
      if (targets.length === 0) return;
      const v = targets[st.t % targets.length];
      s.use(v.name);
      s.fn.assigned?.add(v);
      if (v.carried) {
        const r = carriedUpdate(v, v.carried, st.op === "++" ? "+=" : "-=", num(1), s.fn.loopMult ?? 1);
        if (r.text.startsWith(" = ")) {
          w.line(depth, `${v.name}${r.text};`);
          v.bound = r.bound;
          return;
        }
      }
      w.line(depth, st.prefix ? `${st.op}${v.name};` : `${v.name}${st.op};`);
      v.bound = v.carried ? Math.min(CAP, v.bound + 1) : v.bound + 1;
      return;
    }
    case "if": {
      const c = renderCond(st.c, s);
      const before = s.bounds();
      const thenW = new Writer();
      renderBlock(st.then, s, thenW, depth + 1);
      const afterThen = s.bounds();
      restore(before);
      // An else holding just an if is written `else if` unless braces are asked for.
      const elseIf = st.else !== null && st.else.length === 1 && st.else[0].k === "if" && !st.braces;
      const elseW = new Writer();
      if (st.else) renderBlock(st.else, s, elseW, elseIf ? depth : depth + 1);
      mergeBounds(s, [afterThen, s.bounds()]);
      // Without braces only around a single statement that is not a declaration, nor an `if`
      // (whose `else` would be taken for ours).
      const single = (x: Writer) => x.lines.length === 1 && !/^\s*(let |const |if |\{)/.test(x.lines[0]);
      if (elseIf) {
        if (single(thenW)) {
          w.line(depth, `if (${c.text}) ${thenW.lines[0].trim()}`);
          w.line(depth, `else ${elseW.lines[0].trim()}`);
        } else {
          w.line(depth, `if (${c.text}) {`);
          w.lines.push(...thenW.lines);
          w.line(depth, `} else ${elseW.lines[0].trim()}`);
        }
        w.lines.push(...elseW.lines.slice(1));
        return;
      }
      const braces = st.braces || !single(thenW) || (st.else !== null && !single(elseW));
      if (!braces) {
        w.line(depth, `if (${c.text}) ${thenW.lines[0].trim()}`);
        if (st.else) w.line(depth, `else ${elseW.lines[0].trim()}`);
        return;
      }
      w.line(depth, `if (${c.text}) {`);
      w.lines.push(...thenW.lines);
      if (st.else) {
        w.line(depth, `} else {`);
        w.lines.push(...elseW.lines);
      }
      w.line(depth, `}`);
      return;
    }
    case "ifInit": {
      const c = renderCond(st.c, s);
      const name = fresh(s);
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
        w.line(depth, `if (${c.text}) return ${renderReturned(st.e, s).text};`);
        return;
      }
      w.line(depth, `if (${c.text}) {`);
      renderBlock(st.body, s, w, depth + 1, (inner) => {
        w.line(depth + 1, `return ${renderReturned(st.e, inner).text};`);
      });
      w.line(depth, `}`);
      // The block returns, so nothing it assigned reaches the code after it.
      restore(before);
      return;
    }
    case "block": {
      w.line(depth, `{`);
      renderBlock(st.body, s, w, depth + 1);
      w.line(depth, `}`);
      return;
    }
    case "guard":
      renderGuard(st, s, w, depth);
      return;
  }
}

/**
 * An update of a variable or element a loop carries (see Carried): the text after the target
 * (` = …`, ` += …`) and the target's bound after it in this iteration.
 */
export function carriedUpdate(
  target: { readonly name: string; readonly bound: number },
  c: Carried,
  op: "=" | "+=" | "-=" | "*=" | "/=",
  e: Out,
  mult: number,
  targetText = target.name,
): { text: string; bound: number } {
  if (op === "=") {
    const r = fit(e, c.base);
    return { text: ` = ${r.text}`, bound: r.bound };
  }
  if (op === "/=") return { text: ` /= ${onePlusSquare(e).text}`, bound: target.bound };
  if (op === "*=") {
    const r = fit(e, 1);
    return { text: ` *= ${r.text}`, bound: target.bound * r.bound };
  }
  const share = c.budget / 2 / mult;
  if (share >= 0.05 && (e.bound <= share || share >= 1)) {
    const r = fit(e, share);
    c.budget -= r.bound * mult;
    return { text: ` ${op} ${r.text}`, bound: Math.min(CAP, target.bound + r.bound) };
  }
  // No budget left: a plain assignment of the fitted combination.
  const combined = fit(bin(primary(targetText, target.bound), op[0] as "+" | "-", e, target.bound + e.bound), c.base);
  return { text: ` = ${combined.text}`, bound: combined.bound };
}

/** Renders a body; returns the bound of the returned value. */
export function renderBody(body: FunctionBody, s: Scope, w: Writer): number {
  renderStmts(body.stmts, s, w, 1);
  const tail = body.tail;
  if (tail.k === "return") {
    const e = renderReturned(tail.e, s);
    w.line(1, `return ${e.text};`);
    return e.bound;
  }
  const c = renderCond(tail.c, s);
  const before = s.bounds();
  let bound = 0;
  w.line(1, `if (${c.text}) {`);
  renderBlock(tail.then, s, w, 2, (inner) => {
    const a = renderReturned(tail.a, inner);
    w.line(2, `return ${a.text};`);
    bound = Math.max(bound, a.bound);
  });
  restore(before);
  w.line(1, `} else {`);
  renderBlock(tail.else, s, w, 2, (inner) => {
    const b = renderReturned(tail.b, inner);
    w.line(2, `return ${b.text};`);
    bound = Math.max(bound, b.bound);
  });
  w.line(1, `}`);
  return bound;
}

/** Deterministic points in [-INPUT_BOUND, INPUT_BOUND]^arity from an integer seed. */
export function samplePoints(seed: number, arity: number, count: number): number[][] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: arity }, () => INPUT_BOUND * (2 * next() - 1)));
}
