// IR → Babel AST for one generated function. Single-use temporaries are folded back into
// expressions; named values (source variables, adjoints) get `const`s; an `if` op becomes
// `let` declarations assigned in both branches; a `while` becomes a `for` or `while` loop over
// `let` variables. Each statement that starts a new source line carries a comment pointing at it.
import * as t from "@babel/types";
import { primitives } from "../ir/primitives";
import type { Attrs, Loc, Op, Region, Type, Value } from "../ir/types";
import { useCounts } from "../ir/walk";
import { isOrdered, writes } from "../ir/effects";
import type { Naming } from "./naming";
import { memoryExpressions, memoryStatements, type SyntaxContext } from "./memory-syntax";
import { typeAnnotation } from "./types";

export { typeAnnotation };
import { loopShape } from "./loop-shape";
import { tensorOps } from "../ir/tensor-ops";

export type ParamSpec =
  | { readonly kind: "value"; readonly value: Value; readonly name: string; readonly typeText?: string; readonly writable?: boolean }
  | { readonly kind: "struct"; readonly name: string; readonly typeName: string; readonly fields: readonly Field[] }
  /**
   * A tuple unpacked into its items: `primals: [number, number]`, then `const [x1, x2] = primals`;
   * an item may be a tuple itself (`tangents: [[number, number], [number, number]]`).
   */
  | { readonly kind: "tuple"; readonly name: string; readonly items: readonly TupleItem[] };

export type TupleItem = Field | readonly TupleItem[];

/** A named field of a residual object. */
export interface Field {
  readonly name: string;
  readonly value: Value;
  /** Its type as the user wrote it (a tuple item of an array or object parameter). */
  readonly typeText?: string;
}

export type ResultSpec =
  | { readonly kind: "value"; readonly value: Value; readonly typeText?: string }
  | { readonly kind: "tuple"; readonly items: readonly ResultSpec[] }
  | { readonly kind: "struct"; readonly typeName: string; readonly fields: readonly Field[] };

export interface FunctionSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  readonly body: Region;
  readonly result: ResultSpec;
  /**
   * Runs the body in the function's arena of reused tensor buffers (runtime/tensor/arena.ts):
   * gradients of tensor code, whose steady-state calls then allocate nothing but their results.
   */
  readonly arena?: boolean;
}

export interface EmitContext {
  readonly naming: Naming;
  /** The expression that calls a function of the module: its primal, or a pullback (by the call's attrs). */
  readonly callee: (attrs: Attrs) => t.Expression;
  /** The local name of a runtime helper (`tape`, `zerosLike`, …), imported on first use. */
  readonly runtime: (name: string) => string;
  /** The expression naming a module-level constant the function reads (a `global` op), imported on first use. */
  readonly global: (binding: { readonly file: string; readonly name: string }) => t.Expression;
  /** Source text by file, for the line comments. */
  readonly sourceLine: (loc: Loc) => string;
}

export function emitFunction(spec: FunctionSpec, ctx: EmitContext): t.FunctionDeclaration {
  return new FunctionEmitter(spec, ctx).emit();
}

/** A type as the user wrote it, when there is one (the generated code sits in the same module). */
function writtenType(type: Type, text: string | undefined, runtime: (name: string) => string): t.TSType {
  return text === undefined ? typeAnnotation(type, runtime) : t.tsTypeReference(t.identifier(text));
}

class FunctionEmitter {
  private readonly inline = new Set<Value>();
  private readonly defs = new Map<Value, Op>();
  private readonly counts: Map<Value, number>;
  /** Accumulations printed as `x_bar += c` (or `-=`): the sum reuses the variable of the adjoint it adds to. */
  private readonly accumulations = new Map<Value, Value>();
  /** Values whose variable is updated later, so declared with `let`. */
  private readonly mutable = new Set<Value>();
  /** The source line (`file:line`) of the last comment printed, and the helper it was inlined from. */
  private lastLine = { at: "", inlinedFrom: undefined as string | undefined };
  private tapeLocal: string | undefined;
  private readonly tensorName = (name: string) => this.ctx.runtime(name);

  constructor(
    private readonly spec: FunctionSpec,
    private readonly ctx: EmitContext,
  ) {
    this.counts = useCounts(spec.body);
  }

  emit(): t.FunctionDeclaration {
    const { spec, ctx } = this;
    const params: (t.Identifier | t.ObjectPattern)[] = [];
    const prologue: t.Statement[] = [];
    for (const p of spec.params) {
      if (p.kind === "value") {
        // An unused parameter (a gradient that does not depend on it) is `_x`, as noUnusedParameters wants.
        const name = this.counts.get(p.value) ? p.name : ctx.naming.fresh(`_${p.name}`);
        ctx.naming.bind(p.value, name);
        let type = writtenType(p.value.type, p.typeText, this.tensorName);
        // Shadows passed in are written: `Writable<readonly number[]>` is `number[]`.
        if (p.writable) type = t.tsTypeReference(t.identifier(ctx.runtime("Writable")), t.tsTypeParameterInstantiation([type]));
        params.push(typed(t.identifier(name), type));
      } else if (p.kind === "tuple") {
        // Unused items are holes (noUnusedLocals); a tuple none of whose items is used is `_name`.
        const used = (item: TupleItem): boolean => (isField(item) ? (this.counts.get(item.value) ?? 0) > 0 : item.some(used));
        const type = (items: readonly TupleItem[]): t.TSType =>
          t.tsTupleType(items.map((item) => (isField(item) ? writtenType(item.value.type, item.typeText, this.tensorName) : type(item))));
        const anyUsed = p.items.some(used);
        const id = typed(t.identifier(ctx.naming.fresh(anyUsed ? p.name : `_${p.name}`)), type(p.items));
        params.push(id);
        if (!anyUsed) continue;
        const pattern = (items: readonly TupleItem[]): t.ArrayPattern => {
          const elements = items.map((item) => {
            if (!used(item)) return null;
            if (!isField(item)) return pattern(item);
            ctx.naming.bind(item.value, item.name);
            return t.identifier(item.name);
          });
          while (elements.length > 0 && elements[elements.length - 1] === null) elements.pop();
          return t.arrayPattern(elements);
        };
        prologue.push(t.variableDeclaration("const", [t.variableDeclarator(pattern(p.items), t.identifier(id.name))]));
      } else {
        const id = typed(t.identifier(ctx.naming.fresh(p.name)), t.tsTypeReference(t.identifier(p.typeName)));
        params.push(id);
        p.fields.forEach((f) => ctx.naming.bind(f.value, f.name));
        const pattern = t.objectPattern(
          p.fields.map((f) => t.objectProperty(t.identifier(f.name), t.identifier(f.name), false, true)),
        );
        prologue.push(t.variableDeclaration("const", [t.variableDeclarator(pattern, t.identifier(id.name))]));
      }
    }
    this.planInlining();
    const statements = this.region(spec.body);
    const result = t.returnStatement(this.result(spec.result));
    if (this.tapeLocal) {
      const tape = t.variableDeclarator(t.identifier(this.tapeLocal), t.identifier(ctx.runtime("tape")));
      prologue.push(t.variableDeclaration("const", [tape]));
    }
    let body = [...prologue, ...statements, result];
    if (spec.arena) {
      // const arena = enterArena(f); try { …; return r; } finally { leaveArena(arena); }
      const arena = ctx.naming.fresh("arena");
      const enter = t.callExpression(t.identifier(ctx.runtime("enterArena")), [t.identifier(spec.name)]);
      const leave = t.expressionStatement(t.callExpression(t.identifier(ctx.runtime("leaveArena")), [t.identifier(arena)]));
      body = [
        t.variableDeclaration("const", [t.variableDeclarator(t.identifier(arena), enter)]),
        t.tryStatement(t.blockStatement(body), null, t.blockStatement([leave])),
      ];
    }
    const fn = t.functionDeclaration(t.identifier(spec.name), params, t.blockStatement(body));
    fn.returnType = t.tsTypeAnnotation(this.resultType(spec.result));
    t.addComment(fn, "leading", `* ${spec.doc} `, false);
    return fn;
  }

  /**
   * Temporaries used once, by a pure single-result op, are printed inside their user's expression
   * — unless that would move them into a loop (evaluated again each iteration) or past a write to
   * memory they read.
   */
  private planInlining(): void {
    const counts = this.counts;
    const uses = usePlaces(this.spec.body);
    const pinned = new Set<Value>();
    const pin = (r: ResultSpec): void => {
      if (r.kind === "struct") r.fields.forEach((f) => pinned.add(f.value));
      if (r.kind === "tuple") r.items.forEach(pin);
    };
    pin(this.spec.result);
    const readsMemory = new Set<Value>();
    let epoch = 0;
    const visit = (region: Region, loops: number) => {
      const local = new Set<Value>();
      // A value made in a branch only to be yielded is computed right in the assignment.
      const yieldedOnce = new Set(region.yields.filter((v) => counts.get(v) === 1));
      for (const op of region.ops) {
        const defEpoch = epoch;
        op.regions.forEach((r) => visit(r, op.prim === "while" ? loops + 1 : loops));
        if (writes(op)) epoch++;
        if (op.results.length !== 1) continue;
        const v = op.results[0];
        this.defs.set(v, op);
        local.add(v);
        const [previous] = op.args;
        if ((op.prim === "add" || op.prim === "sub") && v.adjointOf && previous.adjointOf === v.adjointOf && counts.get(previous) === 1 && local.has(previous) && !this.inline.has(previous)) {
          this.accumulations.set(v, previous);
          this.mutable.add(previous);
        }
        if (op.prim === "const" || op.prim === "global") {
          this.inline.add(v);
          continue;
        }
        const reads = isOrdered(op) || op.args.some((a) => this.inline.has(a) && readsMemory.has(a));
        if (reads) readsMemory.add(v);
        const use = uses.get(v);
        const anonymous = (v.hint === undefined && v.adjointOf === undefined && v.tangentOf === undefined) || (yieldedOnce.has(v) && region !== this.spec.body);
        const movable = use !== undefined && use.loops === loops && (!reads || use.epoch === defEpoch) &&
          !(writes(op) || op.prim === "alloc" || op.prim === "slice" || op.prim === "zerosLike");
        if (anonymous && movable && counts.get(v) === 1 && op.prim !== "if" && op.prim !== "while" && (op.prim !== "call" || yieldedOnce.has(v)) && !pinned.has(v)) {
          this.inline.add(v);
        }
      }
    };
    visit(this.spec.body, 0);
  }

  private region(region: Region, assignTo?: Value[]): t.Statement[] {
    const out: t.Statement[] = [];
    for (const op of region.ops) {
      if (op.results.length === 1 && this.inline.has(op.results[0])) continue;
      const at = op.loc && `${op.loc.file}:${op.loc.line}`;
      const newLine = at !== undefined && at !== this.lastLine.at;
      // Where a helper's inlined body (opt/inline.ts) starts, a comment names it.
      const entering = newLine && op.loc!.inlinedFrom !== undefined && op.loc!.inlinedFrom !== this.lastLine.inlinedFrom;
      if (newLine) this.lastLine = { at, inlinedFrom: op.loc!.inlinedFrom };
      const statements = this.statement(op);
      if (op.loc) for (const s of statements) s.loc ??= sourceLoc(op.loc);
      // Babel puts a leading comment before those already there: the source line, then above it the helper.
      if (newLine) t.addComment(statements[0], "leading", ` ${this.ctx.sourceLine(op.loc!)}`, true);
      if (entering) t.addComment(statements[0], "leading", ` inlined from ${op.loc!.inlinedFrom}`, true);
      out.push(...statements);
    }
    if (assignTo) {
      region.yields.forEach((v, i) => {
        out.push(t.expressionStatement(t.assignmentExpression("=", t.identifier(this.name(assignTo[i])), this.expr(v))));
      });
    }
    return out;
  }

  private statement(op: Op): t.Statement[] {
    if (op.prim === "while") return this.loop(op);
    const syntax = memoryStatements[op.prim];
    if (syntax && (op.results.length === 0 || !this.counts.get(op.results[0]))) {
      return [t.expressionStatement(syntax(op, this.syntaxContext(op)))];
    }
    if (op.prim === "if") {
      const lets = op.results.map((r) =>
        t.variableDeclaration("let", [t.variableDeclarator(typed(t.identifier(this.name(r)), typeAnnotation(r.type, this.tensorName)))]),
      );
      const line = this.lastLine;
      const then = this.region(op.regions[0], op.results);
      this.lastLine = line;
      const otherwise = this.region(op.regions[1], op.results);
      const test = this.expr(op.args[0]);
      const ifStatement = t.ifStatement(test, t.blockStatement(then), otherwise.length > 0 ? t.blockStatement(otherwise) : null);
      return [...lets, ifStatement];
    }
    // A call kept for what it writes, whose results nothing reads, is a statement.
    if (op.results.every((r) => !this.counts.get(r))) return [t.expressionStatement(this.compute(op))];
    if (op.results.length === 1) {
      const v = op.results[0];
      const previous = this.accumulations.get(v);
      if (previous) {
        this.ctx.naming.bind(v, this.name(previous));
        const operator = op.prim === "add" ? "+=" : "-=";
        return [t.expressionStatement(t.assignmentExpression(operator, t.identifier(this.name(v)), this.expr(op.args[1])))];
      }
      const kind = this.mutable.has(v) ? "let" : "const";
      // A tuple made by a literal or a copy would be inferred as number[]: say which it is.
      const id = v.type.kind === "array" && v.type.length !== undefined && (op.prim === "array" || op.prim === "copy")
        ? typed(t.identifier(this.name(v)), typeAnnotation(v.type, this.tensorName))
        : t.identifier(this.name(v));
      return [t.variableDeclaration(kind, [t.variableDeclarator(id, this.compute(op))])];
    }
    // Unused results of a pullback become holes: `const [, y_bar] = g_pullback(…)`.
    const elements = op.results.map((r) => (this.counts.get(r) ? t.identifier(this.name(r)) : null));
    while (elements.length > 0 && elements[elements.length - 1] === null) elements.pop();
    const pattern = t.arrayPattern(elements);
    return [t.variableDeclaration("const", [t.variableDeclarator(pattern, this.compute(op))])];
  }

  /**
   * `let` variables for the carried values, then `for (…; cond; i++)` when one of them steps by a
   * constant, else `while (cond)` (or `do … while`). The body ends by assigning the next values;
   * an assignment whose expression reads a variable assigned before it is computed first.
   */
  private loop(op: Op): t.Statement[] {
    const [cond, body] = op.regions;
    const names = body.params!.map((p, j) => {
      const name = this.name(p);
      this.ctx.naming.bind(cond.params![j], name);
      this.ctx.naming.bind(op.results[j], name);
      return name;
    });
    const shape = loopShape(op, this.counts, this.inline, this.defs);
    const line = this.lastLine;
    const statements = this.region(body);
    const changed = body.yields.map((v, j) => v !== body.params![j] && j !== shape.counter?.slot);
    const reads = body.yields.map((v) => this.variablesRead(v));
    const early: t.Statement[] = [];
    const assigns: t.Statement[] = [];
    body.yields.forEach((v, j) => {
      if (!changed[j]) return;
      if ([...reads[j]].some((other) => other !== names[j] && names.some((n, i) => n === other && changed[i] && i !== j))) {
        const temp = this.ctx.naming.fresh(`${names[j]}_next`);
        early.push(t.variableDeclaration("const", [t.variableDeclarator(t.identifier(temp), this.expr(v))]));
        assigns.push(t.expressionStatement(t.assignmentExpression("=", t.identifier(names[j]), t.identifier(temp))));
        return;
      }
      assigns.push(t.expressionStatement(this.assignment(names[j], body.params![j], v)));
    });
    const loopBody = t.blockStatement([...statements, ...early, ...assigns]);
    this.lastLine = line;
    const condStatements = this.region(cond);
    const test = this.expr(cond.yields[0]);
    const declared = op.args.map((init, j) =>
      t.variableDeclaration("let", [t.variableDeclarator(typed(t.identifier(names[j]), typeAnnotation(init.type, this.tensorName)), this.expr(init))]),
    );
    if (condStatements.length > 0) {
      // The condition needs statements of its own: test it at the top of an endless loop.
      const exit = t.ifStatement(t.unaryExpression("!", test), t.breakStatement());
      const counter = shape.counter ? [this.counterUpdate(names[shape.counter.slot], shape.counter.step)] : [];
      const inner = op.attrs.post ? [...loopBody.body, ...counter, ...condStatements, exit] : [...condStatements, exit, ...loopBody.body, ...counter];
      return [...declared, t.whileStatement(t.booleanLiteral(true), t.blockStatement(inner))];
    }
    if (op.attrs.post) {
      const counter = shape.counter ? [this.counterUpdate(names[shape.counter.slot], shape.counter.step)] : [];
      return [...declared, t.doWhileStatement(test, t.blockStatement([...loopBody.body, ...counter]))];
    }
    if (!shape.counter) return [...declared, t.whileStatement(test, loopBody)];
    const { slot, step } = shape.counter;
    const update = this.counterUpdate(names[slot], step).expression;
    // The counter lives in the `for` header unless it is read after the loop.
    const inHeader = !this.counts.get(op.results[slot]);
    const init = inHeader ? declared[slot] : null;
    const before = declared.filter((d) => d !== init);
    return [...before, t.forStatement(init, test, update, loopBody)];
  }

  /** `x = next`, written `x++` when next is x + 1 and `x += e` / `x -= e` / `x *= e` when it is x op e. */
  private assignment(name: string, param: Value, next: Value): t.Expression {
    const def = this.inline.has(next) ? this.defs.get(next) : undefined;
    if (!def || def.args[0] !== param) return t.assignmentExpression("=", t.identifier(name), this.expr(next));
    const step = def.args[1] && this.defs.get(def.args[1])?.prim === "const" ? this.defs.get(def.args[1])!.attrs.value : undefined;
    if ((def.prim === "add" || def.prim === "sub") && (step === 1 || step === -1)) {
      return this.counterUpdate(name, def.prim === "add" ? step : -step).expression;
    }
    const operator = compound[def.prim];
    return operator
      ? t.assignmentExpression(operator, t.identifier(name), this.expr(def.args[1]))
      : t.assignmentExpression("=", t.identifier(name), this.expr(next));
  }

  private counterUpdate(name: string, step: number): t.ExpressionStatement {
    const id = t.identifier(name);
    if (step === 1) return t.expressionStatement(t.updateExpression("++", id));
    if (step === -1) return t.expressionStatement(t.updateExpression("--", id));
    return t.expressionStatement(t.assignmentExpression(step < 0 ? "-=" : "+=", id, t.numericLiteral(Math.abs(step))));
  }

  /** The variable names an expression for `v` reads (through inlined temporaries). */
  private variablesRead(v: Value, out = new Set<string>()): Set<string> {
    if (this.inline.has(v)) this.defs.get(v)!.args.forEach((a) => this.variablesRead(a, out));
    else if (this.ctx.naming.has(v)) out.add(this.name(v));
    return out;
  }

  private syntaxContext(op: Op): SyntaxContext {
    return { expr: (i) => this.expr(op.args[i]), runtime: (name) => this.runtimeLocal(name) };
  }

  /**
   * The tape is read into a local once per call: a module's imported binding may be a getter
   * (CommonJS re-exports are), and a getter call per push costs more than the push.
   */
  private runtimeLocal(name: string): string {
    if (name !== "tape") return this.ctx.runtime(name);
    this.tapeLocal ??= this.ctx.naming.fresh("tape");
    return this.tapeLocal;
  }

  private name(v: Value): string {
    return this.ctx.naming.of(v);
  }

  private expr(v: Value): t.Expression {
    if (this.inline.has(v)) return this.compute(this.defs.get(v)!);
    return t.identifier(this.name(v));
  }

  /** The expression an op computes. */
  private compute(op: Op): t.Expression {
    if (op.prim === "const") return literal(op.attrs.value!);
    if (op.prim === "global") return this.ctx.global(op.attrs.global!);
    const memory = memoryExpressions[op.prim];
    if (memory) return memory(op, this.syntaxContext(op));
    const tensor = tensorOps.get(op.prim);
    if (tensor) {
      // x.item() reads as a method; every other tensor op is a call of its runtime function.
      if (tensor.runtime === "item") return t.callExpression(t.memberExpression(this.expr(op.args[0]), t.identifier("item")), []);
      const args = op.args.map((a) => this.expr(a));
      // A list of dimensions is an array literal; concat and stack take their tensors as one.
      if (tensor.syntax === "array") return t.arrayExpression(args);
      const written = tensor.syntax === "list" ? [t.arrayExpression(args.slice(0, -1)), args[args.length - 1]] : args;
      return t.callExpression(t.identifier(this.ctx.runtime(tensor.runtime)), written);
    }
    if (op.prim === "call") return t.callExpression(this.ctx.callee(op.attrs), op.args.map((a) => this.expr(a)));
    const p = primitives.get(op.prim);
    if (!p) throw new Error(`adc internal error: cannot print '${op.prim}'`);
    const args = op.args.map((a) => this.expr(a));
    switch (p.syntax.kind) {
      case "infix": {
        const operator = p.syntax.operator;
        return operator === "&&" || operator === "||"
          ? t.logicalExpression(operator, args[0], args[1])
          : t.binaryExpression(operator as t.BinaryExpression["operator"], args[0], args[1]);
      }
      case "prefix":
        return t.unaryExpression(p.syntax.operator, args[0]);
      case "math":
        return t.callExpression(t.memberExpression(t.identifier("Math"), t.identifier(p.syntax.member)), args);
      case "select":
        return t.conditionalExpression(args[0], args[1], args[2]);
      case "identity":
        return args[0];
      case "guard":
        return t.conditionalExpression(t.binaryExpression("===", args[0], literal(0)), literal(0), args[1]);
    }
  }

  private result(r: ResultSpec): t.Expression {
    if (r.kind === "value") {
      // A tensor returned from an arena is copied out of it (escape), or the next call would overwrite it.
      const value = this.expr(r.value);
      return this.spec.arena && r.value.type.kind === "tensor" ? t.callExpression(t.identifier(this.ctx.runtime("escape")), [value]) : value;
    }
    if (r.kind === "tuple") return t.arrayExpression(r.items.map((x) => this.result(x)));
    return t.objectExpression(
      r.fields.map((f) => {
        const value = this.expr(f.value);
        const shorthand = t.isIdentifier(value) && value.name === f.name;
        return t.objectProperty(t.identifier(f.name), value, false, shorthand);
      }),
    );
  }

  private resultType(r: ResultSpec): t.TSType {
    if (r.kind === "value") return writtenType(r.value.type, r.typeText, this.tensorName);
    if (r.kind === "tuple") return t.tsTupleType(r.items.map((x) => this.resultType(x)));
    return t.tsTypeReference(t.identifier(r.typeName));
  }
}

const compound: Record<string, "+=" | "-=" | "*=" | "/="> = { add: "+=", sub: "-=", mul: "*=", div: "/=" };

interface UsePlace {
  /** How many loops enclose the use. */
  readonly loops: number;
  /** How many writes to memory came before it. */
  readonly epoch: number;
}

/** Where each value is (last) used: its loop depth and memory epoch, counted as planInlining counts them. */
function usePlaces(body: Region): Map<Value, UsePlace> {
  const places = new Map<Value, UsePlace>();
  let epoch = 0;
  const visit = (region: Region, loops: number) => {
    for (const op of region.ops) {
      op.args.forEach((a) => places.set(a, { loops, epoch }));
      op.regions.forEach((r) => visit(r, op.prim === "while" ? loops + 1 : loops));
      if (writes(op)) epoch++;
    }
    region.yields.forEach((v) => places.set(v, { loops, epoch }));
  };
  visit(body, 0);
  return places;
}

function isField(item: TupleItem): item is Field {
  return !Array.isArray(item);
}

function typed<T extends t.Identifier>(id: T, type: t.TSType): T {
  id.typeAnnotation = t.tsTypeAnnotation(type);
  return id;
}

/**
 * Math's constants keep their names: more readable, and a literal would narrow the type of a variable
 * compared with it (`3.141592653589793 === a && 2.718281828459045 !== a` is TS2367 under strict).
 */
const mathConstants = new Map(
  (["PI", "E", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2"] as const).map((name) => [Math[name], name]),
);

function literal(value: number | boolean): t.Expression {
  if (typeof value === "boolean") return t.booleanLiteral(value);
  if (Number.isNaN(value)) return t.identifier("NaN");
  const constant = mathConstants.get(Math.abs(value));
  if (constant !== undefined) {
    const named = t.memberExpression(t.identifier("Math"), t.identifier(constant));
    return value < 0 ? t.unaryExpression("-", named) : named;
  }
  if (!Number.isFinite(value)) return value > 0 ? t.identifier("Infinity") : t.unaryExpression("-", t.identifier("Infinity"));
  if (value < 0 || Object.is(value, -0)) return t.unaryExpression("-", t.numericLiteral(-value));
  return t.numericLiteral(value);
}

/** Where a statement comes from, for the source map (Babel's generator maps nodes with a loc). */
function sourceLoc(loc: Loc): t.SourceLocation {
  const at = { line: loc.line, column: loc.column - 1, index: -1 };
  return { start: at, end: at, filename: loc.file, identifierName: undefined };
}
