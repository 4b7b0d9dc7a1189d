// Steps of the callbacks programs (program-gen-callbacks.ts) for issue 9's collections: number[][]
// literals (rows of varied values, a row copied from an array) read by nested loops, rows, map of
// reduce and a helper; `push` inside callbacks collected and reduced; arrays of objects (literals
// and a parameter) through map, reduce, forEach, for…of, findIndex and a helper; and closures over
// a `let` assigned after the closure is made, which adc reads at each call as JavaScript does.
// Each step declares what it makes with its bound, as every callbacks step does.
import fc from "fast-check";
import {
  HELPER_ARG,
  Prec,
  Scope,
  Writer,
  fit,
  fresh,
  paren,
  renderCond,
  renderExpr,
  type ArrayVar,
  type Cond,
  type Expr,
} from "./program-gen";
import type { Helpers, Made } from "./program-gen-callbacks";
import { freshNamed } from "./program-gen-loops";

export type CollectionStep =
  /**
   * `const m = [[e, …], …]` (number[][], rows of 2–3 built from varied values; the first row an
   * array in scope when `row`), read by `use`: 0 nested index loops, 1 for…of rows, 2
   * `m.map((r) => r.reduce(…))`, 3 constant elements and a row's length, 4 a module helper reading
   * the number[][] it is passed, 5 a row bound to a `const` in a loop, 6 elements written at run-time
   * indices (`m[i][j] = …`, a row picked by a condition), then read at constant ones.
   */
  { readonly k: "matrix"; readonly rows: readonly (readonly Expr[])[]; readonly row: boolean; readonly a: number; readonly use: number; readonly e: Expr }
  /**
   * `const out: number[] = []` grown by `push` in callbacks, by `form`: 0 `a.forEach((v) => out.push(e))`,
   * 1 the same under a condition, 2 `a.forEach((v) => b.forEach((u) => out.push(e)))`, 3
   * `a.map(…).forEach((u) => out.push(u, e))`, 4 a for…of pushing a local function's result; then
   * used by `use`: 0 reduce, 1 for…of, 2 as an array of known length (not under a condition).
   */
  | { readonly k: "collect"; readonly a: number; readonly b: number; readonly form: number; readonly use: number; readonly c: Cond; readonly e: Expr }
  /**
   * An array of objects `{ x, w }`: a literal of 2–3 points from varied values (`es`), or the
   * records parameter when there is one and `es` is null; read by `use`: 0 `pts.map((p) => p.x * p.w)`,
   * 1 `pts.reduce((s, p) => s + p.w * e, 0)`, 2 forEach into a `let`, 3 for…of, 4
   * `pts.map(({ x: px, w: pw }) => …)`, 5 findIndex then a field, 6 a module helper of the points.
   */
  | { readonly k: "points"; readonly es: readonly Expr[] | null; readonly use: number; readonly e: Expr; readonly c: Cond }
  /**
   * A closure over a `let` assigned after the closure is made, read at each call as JavaScript
   * does, by `form`: 0 assigned then called, 1 updated in a loop that calls it, 2 a forEach callback
   * assigns what a later map reads, 3 a local reducer bound before the assignment, 4 a closure
   * assigning what it captures, called in statements of their own, 5 called where a loop variable
   * or a callback parameter of the same name shadows what it captured.
   */
  | { readonly k: "capture"; readonly a: number; readonly form: number; readonly e: Expr; readonly e2: Expr };

/** The steps' arbitraries, weighted among the callbacks steps (appended to their `oneof`). */
export function collectionStepArbs(small: fc.Arbitrary<Expr>, c: fc.Arbitrary<Cond>, a: fc.Arbitrary<number>) {
  return [
    {
      arbitrary: fc.record({
        k: fc.constant("matrix" as const),
        rows: fc.array(fc.array(small, { minLength: 2, maxLength: 3 }), { minLength: 2, maxLength: 3 }),
        row: fc.boolean(),
        a,
        use: fc.nat(6),
        e: small,
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ k: fc.constant("collect" as const), a, b: a, form: fc.nat(4), use: fc.nat(2), c, e: small }), weight: 3 },
    {
      arbitrary: fc.record({
        k: fc.constant("points" as const),
        es: fc.option(fc.array(small, { minLength: 3, maxLength: 6 }), { nil: null, freq: 2 }),
        use: fc.nat(6),
        e: small,
        c,
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ k: fc.constant("capture" as const), a, form: fc.nat(5), e: small, e2: small }), weight: 2 },
  ];
}

export interface PointsVar {
  readonly name: string;
  readonly len: number;
  readonly bound: number;
}

/** `rows(m, k)`: a module helper reading a number[][] it is passed (rows of any length). */
function rowsHelper(h: Helpers): string {
  const name = `rows${h.suffix}`;
  if (h.made.has(name)) return name;
  h.made.add(name);
  h.lines.push(
    `function ${name}(m: readonly (readonly number[])[], k: number): number {`,
    `  let s = 0;`,
    `  for (let i = 0; i < m.length; i++) {`,
    `    for (let j = 0; j < m[i].length; j++) s += m[i][j] * Math.tanh(k + j - i);`,
    `  }`,
    `  return s;`,
    `}`,
  );
  return name;
}

/** `weigh(ps, k)`: a module helper reading an array of objects it is passed. */
function pointsHelper(h: Helpers): string {
  const name = `weigh${h.suffix}`;
  if (h.made.has(name)) return name;
  h.made.add(name);
  h.lines.push(
    `function ${name}(ps: readonly { w: number; x: number }[], k: number): number {`,
    `  let s = 0;`,
    `  for (const p of ps) s += p.w * Math.sin(p.x + k);`,
    `  return s;`,
    `}`,
  );
  return name;
}

/** What a step renders with: the scope, the output, the module's helpers, what steps made so far, and the callbacks generator's own helpers. */
export interface StepContext {
  readonly s: Scope;
  readonly w: Writer;
  readonly h: Helpers;
  readonly made: Made;
  /** Declares a number the step made (read by the result). */
  scalar(name: string, bound: number): void;
  /** Declares an array the step made (new memory, usable by later steps and the result). */
  array(x: ArrayVar): void;
  /** An array in scope by index whose elements callbacks may take. */
  pick(i: number, pred?: (a: ArrayVar) => boolean): ArrayVar | undefined;
  /** Renders `const v = e` instead (no array to work on). */
  decl(e: Expr): void;
}

export function renderCollectionStep(st: CollectionStep, c: StepContext): void {
  const { s, w, h, made, scalar, array } = c;
  switch (st.k) {
    case "matrix": {
      const name = freshNamed(s, "m");
      const cells = st.rows.map((r) => r.map((x) => fit(renderExpr(x, s), 2)));
      const texts = cells.map((r) => `[${r.map((x) => x.text).join(", ")}]`);
      const lens = cells.map((r) => r.length);
      let bound = 2;
      // A row copied from an array in scope (rows must be new memory: a variable's would be shared, ADC1014).
      const src = st.row ? c.pick(st.a, (x) => x.len >= 2 && x.len <= 4) : undefined;
      if (src) {
        texts[0] = `[...${src.name}]`;
        lens[0] = src.len;
        bound = Math.max(bound, src.bound);
      }
      w.line(1, `const ${name} = [${texts.join(", ")}];`);
      const count = lens.reduce((n, l) => n + l, 0);
      const widest = Math.max(...lens);
      const result = fresh(s);
      const use = st.use % 7;
      if (use === 0 || use === 5) {
        const [i, j] = [freshNamed(s, "i"), freshNamed(s, "j")];
        const inner = new Scope(s, s.fn);
        inner.vars.push({ name: i, bound: lens.length - 1, assignable: false, counter: { hi: lens.length - 1 } }, { name: j, bound: widest - 1, assignable: false });
        const term = fit(renderExpr(st.e, inner), 1);
        w.line(1, `let ${result} = 0;`);
        w.line(1, `for (let ${i} = 0; ${i} < ${name}.length; ${i}++) {`);
        if (use === 0) {
          w.line(2, `for (let ${j} = 0; ${j} < ${name}[${i}].length; ${j}++) ${result} += ${name}[${i}][${j}] * ${paren(term, Prec.Mul + 0.5)};`);
        } else {
          const r = freshNamed(s, "row");
          w.line(2, `const ${r} = ${name}[${i}];`);
          w.line(2, `for (let ${j} = 0; ${j} < ${r}.length; ${j}++) ${result} += ${r}[${j}] * ${paren(term, Prec.Mul + 0.5)};`);
        }
        w.line(1, `}`);
        scalar(result, count * bound);
      } else if (use === 1) {
        const r = freshNamed(s, "row");
        const term = fit(renderExpr(st.e, s), 1);
        w.line(1, `let ${result} = 0;`);
        w.line(1, `for (const ${r} of ${name}) ${result} += ${r}[0] * ${r}[${r}.length - 1] * ${paren(term, Prec.Mul + 0.5)};`);
        scalar(result, lens.length * bound * bound);
      } else if (use === 2) {
        const [r, acc, v] = [freshNamed(s, "row"), freshNamed(s, "acc"), freshNamed(s, "v")];
        const inner = new Scope(s, s.fn);
        inner.vars.push({ name: v, bound, assignable: false });
        const term = fit(renderExpr(st.e, inner), 1);
        w.line(1, `const ${result} = ${name}.map((${r}) => ${r}.reduce((${acc}, ${v}) => ${acc} + ${v} * ${paren(term, Prec.Mul + 0.5)}, 0));`);
        array({ name: result, len: lens.length, bound: widest * bound, writable: false, typed: false });
      } else if (use === 3) {
        const last = lens.length - 1;
        const term = fit(renderExpr(st.e, s), 1);
        w.line(1, `const ${result} = ${name}[0][1] * ${name}[${last}][${lens[last] - 1}] + ${name}[${last}].length * ${paren(term, Prec.Mul + 0.5)};`);
        scalar(result, bound * bound + widest);
      } else if (use === 4) {
        const helper = rowsHelper(h);
        const k = fit(renderExpr(st.e, s), 2);
        w.line(1, `const ${result} = ${helper}(${name}, ${k.text});`);
        scalar(result, count * bound);
      } else {
        // Writes through rows at indices known only at run time; the reads after are at constant ones.
        const [i, j, r] = [freshNamed(s, "i"), freshNamed(s, "j"), freshNamed(s, "row")];
        const inner = new Scope(s, s.fn);
        inner.vars.push({ name: i, bound: lens.length - 1, assignable: false, counter: { hi: lens.length - 1 } }, { name: j, bound: widest - 1, assignable: false });
        const value = fit(renderExpr(st.e, inner), 1);
        w.line(1, `for (let ${i} = 0; ${i} < ${name}.length; ${i}++) {`);
        w.line(2, `for (let ${j} = 0; ${j} < ${name}[${i}].length; ${j}++) ${name}[${i}][${j}] = 0.5 * ${name}[${i}][${j}] + ${paren(value, Prec.Add + 0.5)};`);
        w.line(1, `}`);
        const cond = renderCond({ k: "cmp", op: ">", a: st.e, b: { k: "num", v: 0 } } as Cond, s);
        w.line(1, `const ${r} = ${name}[${cond.text} ? 0 : ${lens.length - 1}];`);
        w.line(1, `${r}[1] = ${r}[0] * 0.5 - ${r}[1];`);
        const last = lens.length - 1;
        w.line(1, `const ${result} = ${name}[0][1] + ${name}[${last}][1] * ${name}[${last}][0];`);
        // Each element is within 0.5·bound + 1 after the loop, and the picked row's [1] within 1.5 times that.
        const after = 0.5 * bound + 1;
        scalar(result, 1.5 * after + 1.5 * after * after);
      }
      return;
    }
    case "collect": {
      const a = c.pick(st.a);
      if (!a) return c.decl(st.e);
      const out = freshNamed(s, "out");
      const v = freshNamed(s, "v");
      const inner = new Scope(s, s.fn);
      inner.vars.push({ name: v, bound: a.bound, assignable: false });
      let form = st.form % 5;
      const local = made.locals[st.b % Math.max(1, made.locals.length)];
      if (form === 4 && !local) form = 0;
      let len: number | undefined = a.len;
      w.line(1, `const ${out}: number[] = [];`);
      if (form === 0) {
        const term = fit(renderExpr(st.e, inner), 1);
        w.line(1, `${a.name}.forEach((${v}) => ${out}.push(${term.text}));`);
      } else if (form === 1) {
        const i = freshNamed(s, "i");
        inner.vars.push({ name: i, bound: a.len - 1, assignable: false, counter: { hi: a.len - 1 } });
        const term = fit(renderExpr(st.e, inner), 1);
        w.line(1, `${a.name}.forEach((${v}, ${i}) => {`);
        w.line(2, `if (${renderCond(st.c, inner).text}) ${out}.push(${term.text});`);
        w.line(1, `});`);
        len = undefined;
      } else if (form === 2) {
        const b = c.pick(st.b) ?? a;
        const u = freshNamed(s, "u");
        inner.vars.push({ name: u, bound: b.bound, assignable: false });
        const term = fit(renderExpr(st.e, inner), 1);
        w.line(1, `${a.name}.forEach((${v}) => ${b.name}.forEach((${u}) => ${out}.push(${term.text})));`);
        len = a.len * b.len;
      } else if (form === 3) {
        const u = freshNamed(s, "u");
        const mapped = fit(renderExpr(st.e, inner), 1);
        const after = new Scope(s, s.fn);
        after.vars.push({ name: u, bound: 1, assignable: false });
        const term = fit(renderExpr(st.e, after), 1);
        w.line(1, `${a.name}.map((${v}) => ${mapped.text}).forEach((${u}) => ${out}.push(${u}, ${term.text}));`);
        len = 2 * a.len;
      } else {
        const k = fit(renderExpr(st.e, s), HELPER_ARG);
        w.line(1, `for (const ${v} of ${a.name}) ${out}.push(Math.tanh(${local.name}(${v}, ${k.text})));`);
      }
      const use = len === undefined ? st.use % 2 : st.use % 3;
      if (use === 2) {
        array({ name: out, len: len!, bound: 1, writable: false, typed: false });
        return;
      }
      const name = fresh(s);
      const count = len ?? a.len;
      if (use === 0) {
        const [acc, u] = [freshNamed(s, "acc"), freshNamed(s, "u")];
        w.line(1, `const ${name} = ${out}.reduce((${acc}, ${u}) => ${acc} + ${u}, 0);`);
      } else {
        const u = freshNamed(s, "u");
        w.line(1, `let ${name} = 0;`);
        w.line(1, `for (const ${u} of ${out}) ${name} += ${u} * ${u} - 0.5 * ${u};`);
      }
      scalar(name, 2 * count);
      return;
    }
    case "points": {
      let pts: PointsVar;
      const fromParam = made.points.length > 0 && st.es === null;
      if (fromParam) {
        pts = made.points[0];
      } else {
        const items = (st.es ?? [{ k: "num", v: 0.5 } as Expr, { k: "var", i: 0 } as Expr, { k: "var", i: 1 } as Expr]).map((x) => fit(renderExpr(x, s), 2));
        const pairs: string[] = [];
        for (let i = 0; i < items.length; i += 2) pairs.push(`{ x: ${items[i].text}, w: ${items[i + 1]?.text ?? "1"} }`);
        if (pairs.length === 1) pairs.push(`{ x: 0.25, w: -1 }`);
        const name = freshNamed(s, "pts");
        w.line(1, `const ${name} = [${pairs.join(", ")}];`);
        pts = { name, len: pairs.length, bound: 2 };
        made.points.push(pts);
      }
      const p = freshNamed(s, "pt");
      const inner = new Scope(s, s.fn);
      inner.vars.push({ name: `${p}.x`, bound: pts.bound, assignable: false }, { name: `${p}.w`, bound: pts.bound, assignable: false });
      const name = fresh(s);
      const use = st.use % 7;
      const b2 = pts.bound * pts.bound;
      if (use === 0) {
        w.line(1, `const ${name} = ${pts.name}.map((${p}) => ${p}.x * ${p}.w);`);
        array({ name, len: pts.len, bound: b2, writable: false, typed: false });
        return;
      }
      if (use === 4) {
        const [px, pw] = [freshNamed(s, "px"), freshNamed(s, "pw")];
        const d = new Scope(s, s.fn);
        d.vars.push({ name: px, bound: pts.bound, assignable: false }, { name: pw, bound: pts.bound, assignable: false });
        const term = fit(renderExpr(st.e, d), 1);
        w.line(1, `const ${name} = ${pts.name}.map(({ x: ${px}, w: ${pw} }) => ${pw} * ${paren(term, Prec.Mul + 0.5)} + ${px});`);
        array({ name, len: pts.len, bound: 2 * pts.bound, writable: false, typed: false });
        return;
      }
      const term = fit(renderExpr(st.e, inner), 1);
      if (use === 1) {
        const acc = freshNamed(s, "acc");
        w.line(1, `const ${name} = ${pts.name}.reduce((${acc}, ${p}) => ${acc} + ${p}.w * ${paren(term, Prec.Mul + 0.5)}, 0);`);
        scalar(name, pts.len * pts.bound);
      } else if (use === 2) {
        const i = freshNamed(s, "i");
        w.line(1, `let ${name} = 0;`);
        w.line(1, `${pts.name}.forEach((${p}, ${i}) => {`);
        w.line(2, `${name} += ${p}.x * Math.tanh(${p}.w + ${i}) - ${paren(term, Prec.Add + 0.5)};`);
        w.line(1, `});`);
        scalar(name, pts.len * (pts.bound + 1));
      } else if (use === 3) {
        w.line(1, `let ${name} = 0;`);
        w.line(1, `for (const ${p} of ${pts.name}) ${name} += ${p}.x * ${paren(term, Prec.Mul + 0.5)};`);
        scalar(name, pts.len * pts.bound);
      } else if (use === 5) {
        const k = freshNamed(s, "k");
        const test = new Scope(s, s.fn);
        test.vars.push({ name: `${p}.x`, bound: pts.bound, assignable: false });
        w.line(1, `const ${k} = ${pts.name}.findIndex((${p}) => ${renderCond(st.c, test).text});`);
        w.line(1, `const ${name} = ${k} >= 0 ? ${pts.name}[${k}].w * ${pts.name}[${k}].x : ${pts.name}[0].w;`);
        scalar(name, b2);
      } else {
        const helper = pointsHelper(h);
        const k = fit(renderExpr(st.e, s), 2);
        w.line(1, `const ${name} = ${helper}(${pts.name}, ${k.text});`);
        scalar(name, pts.len * pts.bound);
      }
      return;
    }
    case "capture": {
      const a = c.pick(st.a);
      if (!a) return c.decl(st.e);
      const k = freshNamed(s, "k");
      const g = freshNamed(s, "g");
      const v = freshNamed(s, "v");
      const first = fit(renderExpr(st.e, s), 2);
      const name = fresh(s);
      const form = st.form % 6;
      w.line(1, `let ${k} = ${first.text};`);
      if (form === 0 || form === 5) {
        w.line(1, `const ${g} = (${v}: number) => ${v} * ${k};`);
        const then = fit(renderExpr(st.e2, s), 2);
        w.line(1, `${k} = ${then.text};`);
        if (form === 0) {
          w.line(1, `const ${name} = ${g}(${a.name}[0]);`);
          scalar(name, 2 * a.bound);
        } else {
          // The loop variable and the callback parameter are named like the captured variable: g still reads the outer one.
          const m = fresh(s);
          w.line(1, `let ${name} = 0;`);
          w.line(1, `for (const ${k} of ${a.name}) ${name} += ${g}(${k}) * 0.5 + ${k};`);
          w.line(1, `const ${m} = ${a.name}.map((${k}) => ${g}(${k}) - ${k});`);
          scalar(name, a.len * 2 * a.bound);
          array({ name: m, len: a.len, bound: 3 * a.bound, writable: false, typed: a.typed });
        }
      } else if (form === 1) {
        w.line(1, `const ${g} = (${v}: number) => ${v} * ${k};`);
        const inner = new Scope(s, s.fn);
        inner.vars.push({ name: v, bound: a.bound, assignable: false });
        const term = fit(renderExpr(st.e2, inner), 1);
        w.line(1, `let ${name} = 0;`);
        w.line(1, `for (const ${v} of ${a.name}) {`);
        w.line(2, `${k} = 0.5 * ${k} + ${paren(term, Prec.Add + 0.5)};`);
        w.line(2, `${name} += ${g}(${v});`);
        w.line(1, `}`);
        scalar(name, a.len * 2 * a.bound);
      } else if (form === 2) {
        const inner = new Scope(s, s.fn);
        inner.vars.push({ name: v, bound: a.bound, assignable: false });
        const term = fit(renderExpr(st.e2, inner), 1);
        w.line(1, `${a.name}.forEach((${v}) => {`);
        w.line(2, `${k} = 0.5 * ${k} + ${paren(term, Prec.Add + 0.5)};`);
        w.line(1, `});`);
        w.line(1, `const ${name} = ${a.name}.map((${v}) => ${v} * ${k});`);
        array({ name, len: a.len, bound: 2 * a.bound, writable: false, typed: a.typed });
      } else if (form === 3) {
        const acc = freshNamed(s, "acc");
        w.line(1, `const ${g} = (${acc}: number, ${v}: number) => ${acc} + ${v} * ${k};`);
        const then = fit(renderExpr(st.e2, s), 2);
        w.line(1, `${k} = ${then.text};`);
        w.line(1, `const ${name} = ${a.name}.reduce(${g}, 0);`);
        scalar(name, a.len * 2 * a.bound);
      } else {
        const then = fit(renderExpr(st.e2, s), 1);
        w.line(1, `const ${g} = (${v}: number) => {`);
        w.line(2, `${k} = 0.5 * ${k} + Math.tanh(${v} * ${paren(then, Prec.Mul + 0.5)});`);
        w.line(2, `return ${k} * ${v};`);
        w.line(1, `};`);
        const other = fresh(s);
        w.line(1, `const ${name} = ${g}(${a.name}[0]);`);
        w.line(1, `const ${other} = ${g}(${a.name}[${a.len - 1}]);`);
        scalar(name, 2 * a.bound);
        scalar(other, 2 * a.bound);
      }
      // What the closure left in the variable is read too.
      const last = fresh(s);
      w.line(1, `const ${last} = ${k};`);
      scalar(last, 2);
      return;
    }
  }
}
