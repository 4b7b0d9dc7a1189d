// One module through the pipeline: find what it marks, lower those functions and everything they
// call, generate the derivatives, and splice them into the module's text next to their sources.
import generate from "@babel/generator";
import * as t from "@babel/types";
import * as path from "node:path";
import ts from "typescript";
import { derivativeFunctions, type DerivativeRequest, type Kind } from "./ad/derivatives";
import { emitFunction, typeAnnotation } from "./backend/emit";
import { Naming } from "./backend/naming";
import { residualType, vjpWrapper } from "./backend/vjp";
import { rowsFunction } from "./backend/rows";
import { defaultJacobianMode } from "./ad/jacobian";
import { holdsTensor, isAggregate } from "./ir/types";
import { Codes, Refusal, diagnosticAt, type AdcDiagnostic } from "./diagnostics";
import { pruneOperatorImports } from "./edits";
import { applyEditsMapped, fillUnmapped, joinMapped, type EncodedSourceMap, type MappedEdit, type MappedText, type Mapping } from "./source-map";
import { lowerFunction, type LoweredFunction } from "./frontend/lower";
import { annotateWrites } from "./frontend/writes";
import { customFunction, findCustomDerivatives, type CustomDerivative } from "./frontend/custom-derivatives";
import { ForwardUnsupported } from "./ad/forward";
import { pullbackAdapter, tangentAdapter } from "./backend/custom";
import { endlessRecursion } from "./frontend/base-case";
import { findMarkers, type Marker } from "./frontend/markers";
import { functionKey, type FunctionLike } from "./frontend/resolve";
import type { Attrs, Func, Loc, Op, Region } from "./ir/types";
import { walkOps } from "./ir/walk";
import { ModuleImports, moduleScopeNames } from "./module-imports";
import { optimize } from "./opt";
import { inlineSmallCallees } from "./opt/inline";
import { Builder } from "./ir/builder";

export interface ModuleResult {
  readonly code: string;
  readonly diagnostics: AdcDiagnostic[];
  /** The source map of `code` back to the module (and, for generated code, to its sources). */
  readonly map?: EncodedSourceMap;
  /** The operator calls replaced by generated functions: their span in the module, and the name. */
  readonly replacements?: readonly Replacement[];
}

export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** Lowers the marked functions and their callees; refusals become diagnostics. */
export function lowerClosure(
  checker: ts.TypeChecker,
  roots: readonly FunctionLike[],
  customs: ReadonlyMap<ts.Declaration, CustomDerivative> = new Map(),
  options: { readonly inline?: boolean } = {},
) {
  const lowered = new Map<string, LoweredFunction>();
  const diagnostics: AdcDiagnostic[] = [];
  const queue = [...roots];
  const seen = new Set<FunctionLike>();
  while (queue.length > 0) {
    const decl = queue.shift()!;
    if (seen.has(decl)) continue;
    seen.add(decl);
    try {
      const custom = customs.get(decl);
      if (custom && roots.includes(decl)) {
        throw new Refusal(Codes.BadDerivativeRule, `'${functionKey(decl)}' has a derivative defined by defineDerivative; differentiate the functions that call it`, decl.name ?? decl);
      }
      if (custom) {
        const fn = customFunction(custom);
        lowered.set(fn.key, fn);
        continue;
      }
      const fn = lowerFunction(checker, decl, customs);
      const clash = lowered.get(fn.key);
      if (clash && clash.decl !== decl) {
        throw new Refusal(Codes.UnsupportedSyntax, `two differentiated functions are both named '${fn.key}'; rename one`, decl.name ?? decl);
      }
      lowered.set(fn.key, fn);
      queue.push(...fn.callees);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      diagnostics.push(diagnosticAt(e.code, e.message, e.node));
    }
  }
  if (diagnostics.length > 0) return { lowered, diagnostics };
  try {
    // Which arguments each call may write: known once every function is lowered.
    annotateWrites(lowered);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return { lowered, diagnostics: [diagnosticAt(e.code, e.message, e.node)] };
  }
  // Recursion without a base case (frontend/base-case.ts), on the bodies as written: optimising
  // would drop an unused call the primal still makes.
  const endless = endlessRecursion(lowered);
  if (endless.length > 0) return { lowered, diagnostics: endless };
  // Differentiate the optimised primals: fewer values to carry, no duplicated residuals.
  for (const fn of lowered.values()) optimize(fn.func.body);
  // Small helpers called in loops become the caller's own ops (opt/inline.ts), optimised with it.
  if (options.inline ?? true) for (const key of inlineSmallCallees(lowered, new Builder())) optimize(lowered.get(key)!.func.body);
  return { lowered, diagnostics };
}

export function transformModule(program: ts.Program, sourceFile: ts.SourceFile): ModuleResult {
  const checker = program.getTypeChecker();
  const found = findMarkers(checker, sourceFile);
  const { markers } = found;
  const custom = findCustomDerivatives(program);
  const diagnostics = [...found.diagnostics, ...custom.diagnostics.filter((d) => d.fileName === sourceFile.fileName)];
  if (markers.length === 0 || diagnostics.length > 0) return { code: sourceFile.text, diagnostics };
  const closure = lowerClosure(checker, markers.map((m) => m.decl), custom.customs);
  if (closure.diagnostics.length > 0) return { code: sourceFile.text, diagnostics: closure.diagnostics };
  try {
    return new ModuleGenerator(program, sourceFile, closure.lowered, markers).run();
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return { code: sourceFile.text, diagnostics: [diagnosticAt(e.code, e.message, e.node)] };
  }
}

const kindOrder: Kind[] = ["grad", "valueAndGrad", "vjp", "jvp", "jacobian", "hessian", "hvp", "grad2", "pullback", "tangent", "pullbackTangent"];

/** Operators that need a function returning a number (not a tuple, an array or an object). */
const scalarOnly = new Set(["grad", "valueAndGrad", "checkGrad", "hessian", "hvp", "grad2"]);

/** The base of a generated function's name, by kind: `f_grad_grad` for grad(grad(f)). */
const kindNames: Partial<Record<Kind, string>> = { grad2: "grad_grad", pullbackTangent: "pullback_tangent" };

interface Generated {
  readonly fn: LoweredFunction;
  readonly request: DerivativeRequest;
  readonly name: string;
  /** The marker whose derivative needed this one: where a refusal to generate it is reported. */
  readonly origin: ts.Node;
}

class ModuleGenerator {
  private readonly naming: Naming;
  private readonly edits: MappedEdit[] = [];
  private readonly replacements: Replacement[] = [];
  private readonly imports: ModuleImports;
  /** Generated function name per request key `fnKey|kind|wrt|bare`. */
  private readonly generated = new Map<string, Generated>();
  private origin: ts.Node;
  private readonly sourceLines = new Map<string, string[]>();
  private readonly paramNames: Set<string>;
  /** The names generated functions take; locals never do. */
  private readonly derivativeNames: RegExp;

  private readonly checker: ts.TypeChecker;

  constructor(
    program: ts.Program,
    private readonly sourceFile: ts.SourceFile,
    private readonly lowered: Map<string, LoweredFunction>,
    private readonly markers: readonly Marker[],
  ) {
    this.checker = program.getTypeChecker();
    this.origin = sourceFile;
    // Generated functions keep their sources' parameter names, so module-level names they call
    // (other generated functions, imported primals) must differ from every one of those.
    this.paramNames = new Set([...lowered.values()].flatMap((fn) => fn.func.params.map((p) => p.name)));
    const moduleNames = moduleScopeNames(sourceFile);
    this.naming = new Naming(moduleNames);
    this.imports = new ModuleImports(program, this.checker, sourceFile, this.naming, new Set([...moduleNames, ...this.paramNames]));
    // Generated functions are named as they are needed, after some locals: keep locals off the
    // whole family of names (`f_grad…`, `g_pullback…`).
    const keys = [...lowered.keys()].map((k) => k.replace(/[$]/g, "\\$&")).join("|");
    this.derivativeNames = new RegExp(`^(${keys})_(grad|valueAndGrad|vjp|forward|adjoint|Residuals|pullback|jvp|tangent|jacobian|hessian|hvp)(_|$)`);
    // Callees and module constants from other modules may be imported under their own names
    // later: keep locals off them.
    for (const fn of lowered.values()) {
      const owner = ts.isMethodDeclaration(fn.decl) ? (fn.decl.parent as ts.ClassLikeDeclaration) : fn.decl;
      if (owner.name) this.naming.reserve(owner.name.text);
      walkOps(fn.func.body, (op: Op) => {
        if (op.prim === "global") this.imports.planConstant(op.attrs.global!);
      });
    }
  }

  run(): ModuleResult {
    for (const m of this.markers) {
      const fn = this.lowered.get(functionKey(m.decl))!;
      this.origin = m.node;
      const operator = m.kind === "decorator" ? "grad" : m.operator;
      const output = outputType(fn.func);
      if (scalarOnly.has(operator) && output !== "number") {
        const op = operator === "grad2" ? "grad(grad(…))" : operator;
        const yields = fn.func.body.yields;
        const returns = yields.length === 0 ? "returns nothing" : `returns ${output}`;
        const instead = yields.length === 0 ? "" : yields.some((v) => holdsTensor(v.type)) ? " (use jvp or vjp)" : " (use jacobian, jvp or vjp)";
        throw new Refusal(Codes.NotScalar, `${op} needs a function returning a number; '${fn.key}' ${returns}${instead}`, m.node);
      }
      if (output === "void") {
        throw new Refusal(Codes.NotScalar, `${operator} needs a function with a result; '${fn.key}' returns nothing`, m.node);
      }
      // A Jacobian's rows and columns are numbers: one per element of a Tensor is not built yet.
      if (operator === "jacobian" && [...fn.func.params.map((p) => p.value), ...fn.func.body.yields].some((v) => holdsTensor(v.type))) {
        throw new Refusal(Codes.UnsupportedType, `jacobian of a function of Tensors is not supported; '${fn.key}' takes or returns a Tensor (use vjp for one pullback per output, or jvp for one tangent per input direction)`, m.node);
      }
      if (m.kind === "decorator") {
        const name = this.request(fn, { kind: "valueAndGrad", wrt: explicitParams(fn.func), bare: false });
        this.edits.push({ start: m.node.getFullStart(), end: m.node.getEnd(), text: "" });
        this.registerAfterClass(fn, name);
        continue;
      }
      if (m.operator === "checkGrad") {
        // checkGrad(f, args, options) → checkGradient(f, f_grad, args, options)
        const name = this.request(fn, { kind: "grad", wrt: m.wrt, bare: false });
        const [target, ...rest] = m.node.arguments.map((a) => a.getText(this.sourceFile));
        const text = `${this.imports.runtimeName("checkGradient")}(${[target, name, ...rest].join(", ")})`;
        this.edits.push({ start: m.node.getStart(this.sourceFile), end: m.node.getEnd(), text });
        continue;
      }
      const name = this.request(fn, { kind: m.operator, wrt: m.wrt, bare: m.bare, mode: m.mode, directions: m.directions });
      const text = m.receiver ? this.withReceiver(fn, name, m.receiver, m.wrt.includes(0)) : name;
      this.edits.push({ start: m.node.getStart(this.sourceFile), end: m.node.getEnd(), text });
      this.replacements.push({ start: m.node.getStart(this.sourceFile), end: m.node.getEnd(), name });
    }
    // Generate, following pullback calls until every callee that needs one has it.
    const emitted = new Set<string>();
    const blocks = new Map<LoweredFunction, { order: number; code: MappedText }[]>();
    for (let pending = this.pending(emitted); pending.length > 0; pending = this.pending(emitted)) {
      for (const key of pending) {
        emitted.add(key);
        const { fn, request, name, origin } = this.generated.get(key)!;
        this.origin = origin;
        let code: MappedText;
        try {
          code = this.generate(fn, request, name);
        } catch (e) {
          if (e instanceof ForwardUnsupported) throw new Refusal(Codes.SecondOrder, e.message, origin);
          throw e;
        }
        const list = blocks.get(fn) ?? [];
        list.push({ order: kindOrder.indexOf(request.kind), code });
        blocks.set(fn, list);
      }
    }
    this.placeBlocks(blocks);
    return { ...this.applyEdits(), diagnostics: [], replacements: this.replacements };
  }

  /** A module-level name for a generated function, never one a generated function's parameter has. */
  private functionName(base: string): string {
    let name = this.naming.fresh(base);
    while (this.paramNames.has(name)) name = this.naming.fresh(base);
    return name;
  }

  private pending(emitted: Set<string>): string[] {
    return [...this.generated.keys()].filter((k) => !emitted.has(k));
  }

  /** Registers a derivative to generate (once) and returns its function's name. */
  private request(fn: LoweredFunction, request: DerivativeRequest): string {
    const key = `${fn.key}|${request.kind}|${request.wrt.join(",")}|${request.bare}|${request.directions ?? ""}|${request.mode ?? ""}|${request.tangentWrt?.join(",") ?? ""}`;
    const existing = this.generated.get(key);
    if (existing) return existing.name;
    const explicit = explicitParams(fn.func);
    const all = request.wrt.length === explicit.length && request.wrt.every((w, i) => w === explicit[i]);
    const suffix = (all ? "" : `_${request.wrt.map((i) => fn.func.params[i].name).join("_")}`) +
      (request.directions !== undefined && (request.directions > 1 || request.kind === "jvp") ? `_k${request.directions}` : "") +
      (request.mode !== undefined ? `_${request.mode}` : "");
    const name = this.functionName(`${fn.key}_${kindNames[request.kind] ?? request.kind}${suffix}`);
    this.generated.set(key, { fn, request, name, origin: this.origin });
    return name;
  }

  private generate(fn: LoweredFunction, request: DerivativeRequest, name: string): MappedText {
    const what = `${fn.key} (${this.locText(fn.func.loc!)})`;
    const naming = this.naming.child(this.derivativeNames);
    fn.func.params.forEach((p) => naming.bind(p.value, p.name));
    const origin = fn.func.loc!;
    if (fn.custom) return fillUnmapped(this.customAdapter(fn, fn.custom, request, name, naming, what), [], origin);
    const names = {
      seed: naming.fresh("seed"),
      fn: name,
      forward: request.kind === "vjp" ? this.functionName(`${fn.key}_forward`) : undefined,
      adjoint: request.kind === "vjp" ? this.functionName(`${fn.key}_adjoint`) : undefined,
      residuals: request.kind === "vjp" ? this.functionName(`${fn.key}_Residuals`) : undefined,
      field: (v: Parameters<Naming["of"]>[0]) => naming.of(v),
      bind: (v: Parameters<Naming["of"]>[0], name: string) => naming.bind(v, name),
    };
    if ((request.kind === "jacobian" || request.kind === "hessian") && ofMemory(fn.func)) return fillUnmapped(this.rowsByCalls(fn, request, name, what), [], origin);
    const specs = derivativeFunctions(fn.func, request, names, what);
    specs.forEach((s) => this.requestPullbacks(s.body));
    const ctx = {
      naming,
      callee: (attrs: Attrs) => this.calleeRef(attrs),
      runtime: (name: string) => this.imports.runtimeName(name),
      global: (binding: { file: string; name: string }) => this.constantIn(fn, binding),
      sourceLine: (loc: Loc) => this.sourceLine(loc),
    };
    const printed = specs.map((spec) => printMapped(emitFunction(spec, ctx), origin));
    if (request.kind !== "vjp") return joinMapped(separated(printed));
    const locals = this.naming.child();
    fn.func.params.forEach((p) => locals.bind(p.value, p.name));
    const typeOf = (i: number) => fn.func.params[i].typeText ?? "number";
    const params = fn.func.params.map((p, i) => ({ name: p.name, type: typeOf(i) }));
    const wrapper = vjpWrapper(fn.key, params, request.wrt.map(typeOf), outputType(fn.func), {
      fn: name,
      forward: names.forward!,
      adjoint: names.adjoint!,
      value: locals.fresh("value"),
      residuals: locals.fresh("residuals"),
      seed: locals.fresh("seed"),
    });
    const residuals = residualType(names.residuals!, specs[1], (n) => this.imports.runtimeName(n));
    return joinMapped(separated([fillUnmapped(residuals, [], origin), ...printed, fillUnmapped(wrapper, [], origin)]));
  }

  /**
   * A module constant as `fn`'s generated code names it. One of this module read by code inlined
   * into a function with a parameter of its name (a helper reading `table`, called by
   * `f(table: …)`) cannot be named there: refused, since generated functions keep their
   * sources' parameter names. One from another module is imported under a name clear of them.
   */
  private constantIn(fn: LoweredFunction, binding: { file: string; name: string }): t.Expression {
    if (binding.file === this.sourceFile.fileName && fn.func.params.some((p) => p.name === binding.name)) {
      throw new Refusal(Codes.FreeVariable, `the module constant '${binding.name}' is read by a helper inlined into '${fn.key}', which has a parameter of that name; rename one of them`, fn.decl.name ?? fn.decl);
    }
    return this.imports.constant(binding);
  }

  /**
   * The Jacobian or Hessian of a function of arrays or objects: one call of its vjp (reverse), jvp
   * (forward) or hvp (Hessian) per row or column, in a runtime loop (backend/rows.ts).
   */
  private rowsByCalls(fn: LoweredFunction, request: DerivativeRequest, name: string, what: string): string {
    const func = fn.func;
    const all = func.params.map((_, i) => i);
    const bare = func.params.length === 1;
    const kind = request.kind === "hessian" ? "hessian" : (request.mode ?? defaultJacobianMode(func));
    const operator = kind === "reverse" ? "vjp" : kind === "forward" ? "jvp" : "hvp";
    const via = this.request(fn, { kind: operator, wrt: all, bare });
    const locals = this.naming.child();
    func.params.forEach((p) => locals.bind(p.value, p.name));
    const grads = func.params.map((p) => p.typeText ?? "number");
    // `(readonly number[])[]`, not `readonly number[][]`.
    const row = bare ? (/\s|\|/.test(grads[0]) ? `(${grads[0]})` : grads[0]) : `[${grads.join(", ")}]`;
    const m = func.body.yields.length;
    const rows = kind === "hessian" || isAggregate(func.body.yields[0].type) ? `${row}[]` : `[${Array(m).fill(row).join(", ")}]`;
    const helper = this.imports.runtimeName(kind === "reverse" ? "jacobianRows" : kind === "forward" ? "jacobianColumns" : "hessianRows");
    const doc = kind === "hessian"
      ? `Hessian of ${what}: row j is H·eⱼ, one Hessian-vector product per number of its arguments, each row shaped like its gradient.`
      : `Jacobian of ${what} (${kind} mode): row i is the gradient of the i-th number of its value, ${kind === "reverse" ? "one pullback per row" : "from one jvp per number of its arguments"}.`;
    return rowsFunction(
      { doc, kind, params: func.params.map((p) => ({ name: p.name, type: p.typeText ?? "number" })), rows, bare },
      { fn: name, via, helper, value: locals.fresh("value"), pullback: locals.fresh("pullback") },
    );
  }

  private requestPullbacks(body: Region): void {
    walkOps(body, (op: Op) => {
      if (op.prim === "call" && op.attrs.variant !== undefined) this.calleeRef(op.attrs);
    });
  }

  /** A pullback or tangent function of a function with a registered derivative: it calls the user's rules. */
  private customAdapter(fn: LoweredFunction, custom: CustomDerivative, request: DerivativeRequest, name: string, naming: Naming, what: string): string {
    const text = (e: t.Expression) => generate(e).code;
    const names = {
      fn: name,
      primal: text(this.imports.primal(fn.decl)),
      forward: custom.forward && text(this.imports.primal(custom.forward)),
      reverse: custom.reverse && text(this.imports.primal(custom.reverse)),
      params: fn.func.params.map((p) => p.name),
      fresh: (base: string) => naming.fresh(base),
    };
    const rule = custom.reverse ? "reverse" : "forward";
    const wrtNames = request.wrt.map((i) => fn.func.params[i].name).join(", ");
    if (request.kind === "pullback") {
      return pullbackAdapter(request.wrt, { ...names, doc: `Pullback of ${what}: seed × ∂${fn.key}/∂(${wrtNames}), by its ${rule} rule (defineDerivative).` });
    }
    if (request.kind === "tangent") {
      const forwardRule = custom.forward ? "forward" : "reverse";
      return tangentAdapter(request.wrt, request.directions ?? 1, { ...names, doc: `Tangent of ${what} along (${wrtNames}), by its ${forwardRule} rule (defineDerivative).` });
    }
    if (request.kind === "pullbackTangent") {
      throw new ForwardUnsupported(`second derivatives through '${fn.key}', whose derivative is defined by defineDerivative, are not supported yet`);
    }
    throw new Error(`adc internal error: no ${request.kind} for a function with a defined derivative`);
  }

  private calleeRef(attrs: Attrs): t.Expression {
    const key = attrs.callee!;
    const fn = this.lowered.get(key)!;
    if (attrs.variant === "pullback") return t.identifier(this.request(fn, { kind: "pullback", wrt: attrs.wrt!, bare: true }));
    if (attrs.variant === "jvp") {
      return t.identifier(this.request(fn, { kind: "tangent", wrt: attrs.wrt!, bare: true, directions: attrs.directions }));
    }
    if (attrs.variant === "pullbackTangent") {
      const request = { kind: "pullbackTangent" as const, wrt: attrs.wrt!, tangentWrt: attrs.tangentWrt, bare: true, directions: attrs.directions };
      return t.identifier(this.request(fn, request));
    }
    return this.imports.primal(fn.decl);
  }

  /**
   * The operator call on a method that reads `this`, as an expression passing the instance first;
   * the receiver expression is evaluated once, where the call was. Fields as constants: the
   * generated function bound to the instance (its fields are read at each call). With respect to
   * the fields: each call passes an object of just the fields the method reads, so the gradient
   * has exactly those (the instance's other fields may be anything).
   */
  private withReceiver(fn: LoweredFunction, name: string, receiver: ts.Expression, differentiated: boolean): string {
    const instance = receiver.getText(this.sourceFile);
    if (!differentiated) return `${name}.bind(null, ${instance})`;
    const [self, ...params] = fn.func.params;
    if (self.value.type.kind !== "struct") throw new Error("adc internal error: a receiver that is not an object");
    const fields = self.value.type.fields.map((f) => `${f.name}: ${self.name}.${f.name}`).join(", ");
    const declared = params.map((p) => `${p.name}: ${p.typeText ?? "number"}`).join(", ");
    const args = [`{ ${fields} }`, ...params.map((p) => p.name)].join(", ");
    return `((${self.name}) => (${declared}) => ${name}(${args}))(${instance})`;
  }

  private registerAfterClass(fn: LoweredFunction, valueAndGrad: string): void {
    const cls = fn.decl.parent as ts.ClassDeclaration;
    const isStatic = fn.decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const register = this.imports.runtimeName("registerDerivatives");
    const target = `${cls.name!.text}${isStatic ? "" : ".prototype"}.${(fn.decl.name as ts.Identifier).text}`;
    const params = explicitParams(fn.func).map((i) => JSON.stringify(fn.func.params[i].name)).join(", ");
    const statement = topLevelStatement(cls);
    // A method reading `this`: its valueAndGrad takes the instance first (runtime/operators.ts).
    const receiver = fn.func.receiver ? ", receiver: true" : "";
    this.edits.push({
      start: statement.getEnd(),
      end: statement.getEnd(),
      text: `\n${register}(${target}, { params: [${params}], valueAndGrad: ${valueAndGrad}${receiver} });`,
    });
  }

  /** Each function's derivatives go right after it when it is in this module, else at the end. */
  private placeBlocks(blocks: Map<LoweredFunction, { order: number; code: MappedText }[]>): void {
    const sorted = [...blocks].sort(([a], [b]) => declOrder(a.decl) - declOrder(b.decl) || a.key.localeCompare(b.key));
    for (const [fn, list] of sorted) {
      const code = separated(list.sort((a, b) => a.order - b.order).map((x) => x.code));
      const { text, mappings } = joinMapped([`\n\n// ---- generated by adc from ${fn.key}: do not edit ----\n`, ...code, `\n// ---- end of generated code for ${fn.key} ----`]);
      const local = fn.decl.getSourceFile() === this.sourceFile;
      const at = local ? topLevelStatement(fn.decl).getEnd() : this.sourceFile.getEnd();
      // The block ends in a line comment: code after `at` on the same line must start a new line.
      const newline = !local || this.sourceFile.text[at] !== "\n" ? "\n" : "";
      this.edits.push({ start: at, end: at, text: `${text}${newline}`, mappings });
    }
  }

  private applyEdits(): { code: string; map: EncodedSourceMap } {
    const edits: MappedEdit[] = [...this.edits, ...pruneOperatorImports(this.checker, this.sourceFile, this.edits)];
    const imports = this.imports.insertion();
    if (imports) edits.push(imports);
    return applyEditsMapped(this.sourceFile.text, this.sourceFile.fileName, edits);
  }

  private locText(loc: Loc): string {
    return `${path.basename(loc.file)}:${loc.line}`;
  }

  private sourceLine(loc: Loc): string {
    let lines = this.sourceLines.get(loc.file);
    if (!lines) {
      const files = [...this.lowered.values()].flatMap((f) => [f.decl.getSourceFile(), ...(f.inlinedFrom ?? [])]);
      const file = files.find((f) => f.fileName === loc.file);
      // Split where TypeScript counts lines (U+2028/U+2029 too), so a line comment never ends early.
      lines = (file ?? this.sourceFile).text.split(/\r\n|[\n\r\u2028\u2029]/);
      this.sourceLines.set(loc.file, lines);
    }
    const text = lines[loc.line - 1]?.trim() ?? "";
    // A statement that goes on over the next lines (`return (`) is marked as continuing.
    const continues = /[([,=+\-*/&|?:]$/.test(text) ? " ..." : "";
    const short = text.length > 72 ? `${text.slice(0, 69)}...` : `${text}${continues}`;
    return `${this.locText(loc)}  ${short}`;
  }
}

/** Generated code, printed with the source positions emit recorded on its statements. */
function printMapped(node: t.Node, origin: Loc): MappedText {
  // @types/babel__generator lacks `rawMappings`: the mappings before encoding, one per marked node.
  const result = generate(node, { sourceMaps: true, sourceFileName: "generated.ts" }) as ReturnType<typeof generate> & { rawMappings?: Mapping[] };
  const mappings: Mapping[] = (result.rawMappings ?? []).map((m) => ({ generated: m.generated, original: m.original, source: m.source }));
  return fillUnmapped(result.code, mappings, origin);
}

/** Pieces with a blank line between each two. */
function separated(parts: readonly (string | MappedText)[]): (string | MappedText)[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : ["\n\n", part]));
}

function declOrder(decl: ts.Node): number {
  return decl.getStart();
}

function topLevelStatement(node: ts.Node): ts.Node {
  while (node.parent && !ts.isSourceFile(node.parent)) node = node.parent;
  return node;
}

/** The TypeScript type of a function's value as generated code writes it: `number`, a tuple, or its array or object type. */
function outputType(func: Func): string {
  const yields = func.body.yields;
  if (yields.length === 0) return "void";
  if (yields.length > 1) return `[${yields.map(() => "number").join(", ")}]`;
  if (yields[0].type.kind === "f64") return "number";
  return func.resultText ?? generate(typeAnnotation(yields[0].type)).code;
}

/** The parameters a user passes, by index: all of them, after the receiver of a method reading `this`. */
function explicitParams(func: Func): number[] {
  return func.params.map((_, i) => i).slice(func.receiver ? 1 : 0);
}

/** Whether a function takes or returns arrays or objects (its Jacobian's size is known only at run time). */
function ofMemory(func: Func): boolean {
  return func.params.some((p) => isAggregate(p.value.type)) || func.body.yields.some((v) => isAggregate(v.type));
}
