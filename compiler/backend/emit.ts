// IR → Babel AST for one generated function. Single-use temporaries are folded back into
// expressions; named values (source variables, adjoints) get `const`s; an `if` op becomes
// `let` declarations assigned in both branches. Each statement that starts a new source line
// carries a comment pointing at it.
import * as t from "@babel/types";
import { primitives } from "../ir/primitives";
import type { Attrs, Loc, Op, Region, Type, Value } from "../ir/types";
import { useCounts } from "../ir/walk";
import type { Naming } from "./naming";

export type ParamSpec =
  | { readonly kind: "value"; readonly value: Value; readonly name: string }
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
}

export type ResultSpec =
  | { readonly kind: "value"; readonly value: Value }
  | { readonly kind: "tuple"; readonly items: readonly ResultSpec[] }
  | { readonly kind: "struct"; readonly typeName: string; readonly fields: readonly Field[] };

export interface FunctionSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  readonly body: Region;
  readonly result: ResultSpec;
}

export interface EmitContext {
  readonly naming: Naming;
  /** The expression that calls a function of the module: its primal, or a pullback (by the call's attrs). */
  readonly callee: (attrs: Attrs) => t.Expression;
  /** Source text by file, for the line comments. */
  readonly sourceLine: (loc: Loc) => string;
}

export function emitFunction(spec: FunctionSpec, ctx: EmitContext): t.FunctionDeclaration {
  return new FunctionEmitter(spec, ctx).emit();
}

export function typeAnnotation(type: Type): t.TSType {
  if (type.kind === "bool") return t.tsBooleanKeyword();
  if (type.kind === "f64" || type.kind === "int") return t.tsNumberKeyword();
  throw new Error(`adc internal error: no TypeScript type for ${type.kind} yet`);
}

class FunctionEmitter {
  private readonly inline = new Set<Value>();
  private readonly defs = new Map<Value, Op>();
  private readonly counts: Map<Value, number>;
  /** Accumulations printed as `x_bar += c` (or `-=`): the sum reuses the variable of the adjoint it adds to. */
  private readonly accumulations = new Map<Value, Value>();
  /** Values whose variable is updated later, so declared with `let`. */
  private readonly mutable = new Set<Value>();
  private lastLine = -1;

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
        params.push(typed(t.identifier(name), typeAnnotation(p.value.type)));
      } else if (p.kind === "tuple") {
        // Unused items are holes (noUnusedLocals); a tuple none of whose items is used is `_name`.
        const used = (item: TupleItem): boolean => (isField(item) ? (this.counts.get(item.value) ?? 0) > 0 : item.some(used));
        const type = (items: readonly TupleItem[]): t.TSType =>
          t.tsTupleType(items.map((item) => (isField(item) ? typeAnnotation(item.value.type) : type(item))));
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
    const body = [...prologue, ...this.region(spec.body), t.returnStatement(this.result(spec.result))];
    const fn = t.functionDeclaration(t.identifier(spec.name), params, t.blockStatement(body));
    fn.returnType = t.tsTypeAnnotation(this.resultType(spec.result));
    t.addComment(fn, "leading", `* ${spec.doc} `, false);
    return fn;
  }

  /** Temporaries used once, by a pure single-result op, are printed inside their user's expression. */
  private planInlining(): void {
    const counts = this.counts;
    const pinned = new Set<Value>();
    const pin = (r: ResultSpec): void => {
      if (r.kind === "struct") r.fields.forEach((f) => pinned.add(f.value));
      if (r.kind === "tuple") r.items.forEach(pin);
    };
    pin(this.spec.result);
    const visit = (region: Region) => {
      const local = new Set<Value>();
      // A value made in a branch only to be yielded is computed right in the assignment.
      const yieldedOnce = new Set(region.yields.filter((v) => counts.get(v) === 1));
      for (const op of region.ops) {
        op.regions.forEach(visit);
        if (op.results.length !== 1) continue;
        const v = op.results[0];
        this.defs.set(v, op);
        local.add(v);
        const [previous] = op.args;
        if ((op.prim === "add" || op.prim === "sub") && v.adjointOf && previous.adjointOf === v.adjointOf && counts.get(previous) === 1 && local.has(previous) && !this.inline.has(previous)) {
          this.accumulations.set(v, previous);
          this.mutable.add(previous);
        }
        const anonymous = (v.hint === undefined && v.adjointOf === undefined && v.tangentOf === undefined) || (yieldedOnce.has(v) && region !== this.spec.body);
        if (op.prim === "const" || (anonymous && counts.get(v) === 1 && op.prim !== "if" && (op.prim !== "call" || yieldedOnce.has(v)) && !pinned.has(v))) {
          this.inline.add(v);
        }
      }
    };
    visit(this.spec.body);
  }

  private region(region: Region, assignTo?: Value[]): t.Statement[] {
    const out: t.Statement[] = [];
    for (const op of region.ops) {
      if (op.results.length === 1 && this.inline.has(op.results[0])) continue;
      const newLine = op.loc !== undefined && op.loc.line !== this.lastLine;
      if (newLine) this.lastLine = op.loc!.line;
      const statements = this.statement(op);
      if (newLine) t.addComment(statements[0], "leading", ` ${this.ctx.sourceLine(op.loc!)}`, true);
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
    if (op.prim === "if") {
      const lets = op.results.map((r) =>
        t.variableDeclaration("let", [t.variableDeclarator(typed(t.identifier(this.name(r)), typeAnnotation(r.type)))]),
      );
      const line = this.lastLine;
      const then = this.region(op.regions[0], op.results);
      this.lastLine = line;
      const otherwise = this.region(op.regions[1], op.results);
      const test = this.expr(op.args[0]);
      const ifStatement = t.ifStatement(test, t.blockStatement(then), otherwise.length > 0 ? t.blockStatement(otherwise) : null);
      return [...lets, ifStatement];
    }
    if (op.results.length === 1) {
      const v = op.results[0];
      const previous = this.accumulations.get(v);
      if (previous) {
        this.ctx.naming.bind(v, this.name(previous));
        const operator = op.prim === "add" ? "+=" : "-=";
        return [t.expressionStatement(t.assignmentExpression(operator, t.identifier(this.name(v)), this.expr(op.args[1])))];
      }
      const kind = this.mutable.has(v) ? "let" : "const";
      return [t.variableDeclaration(kind, [t.variableDeclarator(t.identifier(this.name(v)), this.compute(op))])];
    }
    // Unused results of a pullback become holes: `const [, y_bar] = g_pullback(…)`.
    const elements = op.results.map((r) => (this.counts.get(r) ? t.identifier(this.name(r)) : null));
    while (elements.length > 0 && elements[elements.length - 1] === null) elements.pop();
    const pattern = t.arrayPattern(elements);
    return [t.variableDeclaration("const", [t.variableDeclarator(pattern, this.compute(op))])];
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
    }
  }

  private result(r: ResultSpec): t.Expression {
    if (r.kind === "value") return this.expr(r.value);
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
    if (r.kind === "value") return typeAnnotation(r.value.type);
    if (r.kind === "tuple") return t.tsTupleType(r.items.map((x) => this.resultType(x)));
    return t.tsTypeReference(t.identifier(r.typeName));
  }
}

function isField(item: TupleItem): item is Field {
  return !Array.isArray(item);
}

function typed<T extends t.Identifier>(id: T, type: t.TSType): T {
  id.typeAnnotation = t.tsTypeAnnotation(type);
  return id;
}

function literal(value: number | boolean): t.Expression {
  if (typeof value === "boolean") return t.booleanLiteral(value);
  if (Number.isNaN(value)) return t.identifier("NaN");
  if (!Number.isFinite(value)) return value > 0 ? t.identifier("Infinity") : t.unaryExpression("-", t.identifier("Infinity"));
  if (value < 0 || Object.is(value, -0)) return t.unaryExpression("-", t.numericLiteral(-value));
  return t.numericLiteral(value);
}
