// One module through the pipeline: find what it marks, lower those functions and everything they
// call, generate the derivatives, and splice them into the module's text next to their sources.
import generate from "@babel/generator";
import * as path from "node:path";
import ts from "typescript";
import { derivativeFunctions, type DerivativeRequest, type Kind } from "./ad/derivatives";
import { emitFunction, type FunctionSpec } from "./backend/emit";
import { Naming } from "./backend/naming";
import * as t from "@babel/types";
import { Codes, Refusal, diagnosticAt, type AdcDiagnostic } from "./diagnostics";
import { applyEdits, pruneOperatorImports, type Edit } from "./edits";
import { lowerFunction, type LoweredFunction } from "./frontend/lower";
import { findMarkers, type Marker } from "./frontend/markers";
import { functionKey, resolveSymbol, type FunctionLike } from "./frontend/resolve";
import type { Attrs, Loc, Op, Region } from "./ir/types";
import { walkOps } from "./ir/walk";
import { optimize } from "./opt";

export interface ModuleResult {
  readonly code: string;
  readonly diagnostics: AdcDiagnostic[];
}

/** Lowers the marked functions and their callees; refusals become diagnostics. */
export function lowerClosure(checker: ts.TypeChecker, roots: readonly FunctionLike[]) {
  const lowered = new Map<string, LoweredFunction>();
  const diagnostics: AdcDiagnostic[] = [];
  const queue = [...roots];
  const seen = new Set<FunctionLike>();
  while (queue.length > 0) {
    const decl = queue.shift()!;
    if (seen.has(decl)) continue;
    seen.add(decl);
    try {
      const fn = lowerFunction(checker, decl);
      // Differentiate the optimised primal: fewer values to carry, no duplicated residuals.
      optimize(fn.func.body);
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
  return { lowered, diagnostics };
}

export function transformModule(program: ts.Program, sourceFile: ts.SourceFile): ModuleResult {
  const checker = program.getTypeChecker();
  const { markers, diagnostics } = findMarkers(checker, sourceFile);
  if (markers.length === 0 || diagnostics.length > 0) return { code: sourceFile.text, diagnostics };
  const closure = lowerClosure(checker, markers.map((m) => m.decl));
  if (closure.diagnostics.length > 0) return { code: sourceFile.text, diagnostics: closure.diagnostics };
  try {
    return new ModuleGenerator(checker, sourceFile, closure.lowered, markers).run();
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return { code: sourceFile.text, diagnostics: [diagnosticAt(e.code, e.message, e.node)] };
  }
}

const kindOrder: Kind[] = ["grad", "valueAndGrad", "vjp", "pullback"];

class ModuleGenerator {
  private readonly naming: Naming;
  private readonly edits: Edit[] = [];
  private readonly imports: string[] = [];
  /** Generated function name per request key `fnKey|kind|wrt|bare`. */
  private readonly generated = new Map<string, { fn: LoweredFunction; request: DerivativeRequest; name: string }>();
  /** How generated code refers to each function's primal. */
  private readonly primalRefs = new Map<string, t.Expression>();
  private readonly sourceLines = new Map<string, string[]>();
  /** The local name of the runtime's checkGradient, once a checkGrad marker needs it. */
  private checkGradient: string | undefined;
  /** The names generated functions take; locals never do. */
  private readonly derivativeNames: RegExp;
  /** Names declared at the module's top level, plus those our own imports add. */
  private readonly moduleNames: Set<string>;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly sourceFile: ts.SourceFile,
    private readonly lowered: Map<string, LoweredFunction>,
    private readonly markers: readonly Marker[],
  ) {
    this.moduleNames = moduleScopeNames(sourceFile);
    this.naming = new Naming(this.moduleNames);
    // Generated functions are named as they are needed, after some locals: keep locals off the
    // whole family of names (`f_grad…`, `g_pullback…`).
    const keys = [...lowered.keys()].map((k) => k.replace(/[$]/g, "\\$&")).join("|");
    this.derivativeNames = new RegExp(`^(${keys})_(grad|valueAndGrad|vjp|forward|adjoint|Residuals|pullback)(_|$)`);
    // Callees from other modules may be imported under their own names later: keep locals off them.
    for (const fn of lowered.values()) {
      const owner = ts.isMethodDeclaration(fn.decl) ? (fn.decl.parent as ts.ClassLikeDeclaration) : fn.decl;
      if (owner.name) this.naming.reserve(owner.name.text);
    }
  }

  run(): ModuleResult {
    for (const m of this.markers) {
      const fn = this.lowered.get(functionKey(m.decl))!;
      if (m.kind === "decorator") {
        const name = this.request(fn, { kind: "valueAndGrad", wrt: fn.func.params.map((_, i) => i), bare: false });
        this.edits.push({ start: m.node.getFullStart(), end: m.node.getEnd(), text: "" });
        this.registerAfterClass(fn, name);
        continue;
      }
      if (m.operator === "checkGrad") {
        // checkGrad(f, args, options) → checkGradient(f, f_grad, args, options)
        const name = this.request(fn, { kind: "grad", wrt: m.wrt, bare: false });
        const [target, ...rest] = m.node.arguments.map((a) => a.getText(this.sourceFile));
        this.checkGradient ??= this.runtimeImport("checkGradient");
        const text = `${this.checkGradient}(${[target, name, ...rest].join(", ")})`;
        this.edits.push({ start: m.node.getStart(this.sourceFile), end: m.node.getEnd(), text });
        continue;
      }
      const name = this.request(fn, { kind: m.operator, wrt: m.wrt, bare: m.bare });
      this.edits.push({ start: m.node.getStart(this.sourceFile), end: m.node.getEnd(), text: name });
    }
    // Generate, following pullback calls until every callee that needs one has it.
    const emitted = new Set<string>();
    const blocks = new Map<LoweredFunction, { order: number; code: string }[]>();
    for (let pending = this.pending(emitted); pending.length > 0; pending = this.pending(emitted)) {
      for (const key of pending) {
        emitted.add(key);
        const { fn, request, name } = this.generated.get(key)!;
        const code = this.generate(fn, request, name);
        const list = blocks.get(fn) ?? [];
        list.push({ order: kindOrder.indexOf(request.kind), code });
        blocks.set(fn, list);
      }
    }
    this.placeBlocks(blocks);
    return { code: this.applyEdits(), diagnostics: [] };
  }

  private pending(emitted: Set<string>): string[] {
    return [...this.generated.keys()].filter((k) => !emitted.has(k));
  }

  /** Registers a derivative to generate (once) and returns its function's name. */
  private request(fn: LoweredFunction, request: DerivativeRequest): string {
    const key = `${fn.key}|${request.kind}|${request.wrt.join(",")}|${request.bare}`;
    const existing = this.generated.get(key);
    if (existing) return existing.name;
    const all = request.wrt.length === fn.func.params.length && request.wrt.every((w, i) => w === i);
    const suffix = all ? "" : `_${request.wrt.map((i) => fn.func.params[i].name).join("_")}`;
    const name = this.naming.fresh(`${fn.key}_${request.kind}${suffix}`);
    this.generated.set(key, { fn, request, name });
    return name;
  }

  private generate(fn: LoweredFunction, request: DerivativeRequest, name: string): string {
    const what = `${fn.key} (${this.locText(fn.func.loc!)})`;
    const naming = this.naming.child(this.derivativeNames);
    fn.func.params.forEach((p) => naming.bind(p.value, p.name));
    const names = {
      seed: naming.fresh("seed"),
      fn: name,
      forward: request.kind === "vjp" ? this.naming.fresh(`${fn.key}_forward`) : undefined,
      adjoint: request.kind === "vjp" ? this.naming.fresh(`${fn.key}_adjoint`) : undefined,
      residuals: request.kind === "vjp" ? this.naming.fresh(`${fn.key}_Residuals`) : undefined,
      field: (v: Parameters<Naming["of"]>[0]) => naming.of(v),
    };
    const specs = derivativeFunctions(fn.func, request, names, what);
    specs.forEach((s) => this.requestPullbacks(s.body));
    const ctx = {
      naming,
      callee: (attrs: Attrs) => this.calleeRef(attrs),
      sourceLine: (loc: Loc) => this.sourceLine(loc),
    };
    const printed = specs.map((spec) => generate(emitFunction(spec, ctx)).code);
    if (request.kind !== "vjp") return printed.join("\n\n");
    const adjoint = specs[1];
    const residualType = this.residualType(names.residuals!, adjoint);
    return [residualType, ...printed, this.vjpWrapper(fn, name, names.forward!, names.adjoint!)].join("\n\n");
  }

  private residualType(typeName: string, adjoint: FunctionSpec): string {
    const struct = adjoint.params[0];
    if (struct.kind !== "struct") throw new Error("adc internal error: adjoint without residuals");
    const fields = struct.fields.map((f) => `  readonly ${f.name}: ${f.value.type.kind === "bool" ? "boolean" : "number"};`);
    return `/** What ${adjoint.name} needs from the forward sweep. */\ninterface ${typeName} {\n${fields.join("\n")}\n}`;
  }

  private vjpWrapper(fn: LoweredFunction, name: string, forward: string, adjoint: string): string {
    const locals = this.naming.child();
    fn.func.params.forEach((p) => locals.bind(p.value, p.name));
    const [value, residuals, seed] = ["value", "residuals", "seed"].map((n) => locals.fresh(n));
    const params = fn.func.params.map((p) => `${p.name}: number`).join(", ");
    const args = fn.func.params.map((p) => p.name).join(", ");
    const grads = fn.func.params.length === 1 ? "number" : `[${fn.func.params.map(() => "number").join(", ")}]`;
    return [
      `/** vjp(${fn.key}): its value and a pullback mapping a seed to seed × the gradient. */`,
      `function ${name}(${params}): [number, (${seed}: number) => ${grads}] {`,
      `  const [${value}, ${residuals}] = ${forward}(${args});`,
      `  return [${value}, (${seed}: number) => ${adjoint}(${residuals}, ${seed})];`,
      `}`,
    ].join("\n");
  }

  private requestPullbacks(body: Region): void {
    walkOps(body, (op: Op) => {
      if (op.prim === "call" && op.attrs.variant === "pullback") this.calleeRef(op.attrs);
    });
  }

  private calleeRef(attrs: Attrs): t.Expression {
    const key = attrs.callee!;
    const fn = this.lowered.get(key)!;
    if (attrs.variant === "pullback") return t.identifier(this.request(fn, { kind: "pullback", wrt: attrs.wrt!, bare: true }));
    let ref = this.primalRefs.get(key);
    if (!ref) {
      ref = this.primalRef(fn);
      this.primalRefs.set(key, ref);
    }
    return t.cloneNode(ref);
  }

  /** An expression naming the primal in this module: local, imported, or imported now. */
  private primalRef(fn: LoweredFunction): t.Expression {
    const decl = fn.decl;
    const isMethod = ts.isMethodDeclaration(decl);
    const owner = isMethod ? (decl.parent as ts.ClassLikeDeclaration) : decl;
    const ownName = owner.name?.text;
    if (!ownName) throw new Refusal(Codes.NotAFunction, "anonymous functions and classes cannot be differentiated", decl);
    let local: string | undefined;
    if (owner.getSourceFile() === this.sourceFile) local = ownName;
    else {
      local = this.importedName(owner);
      if (!local) {
        const exported = ts.getCombinedModifierFlags(owner) & ts.ModifierFlags.Export;
        if (!exported) {
          throw new Refusal(Codes.NotExported, `'${ownName}' is called by differentiated code but not exported from ${path.basename(owner.getSourceFile().fileName)}`, owner.name ?? owner);
        }
        local = this.moduleNames.has(ownName) ? this.naming.fresh(ownName) : ownName;
        this.moduleNames.add(local);
        const spec = relativeModule(this.sourceFile.fileName, owner.getSourceFile().fileName);
        this.imports.push(`import { ${local === ownName ? ownName : `${ownName} as ${local}`} } from "${spec}";`);
      }
    }
    if (!isMethod) return t.identifier(local);
    const cls = t.identifier(local);
    const name = t.identifier((decl.name as ts.Identifier).text);
    return t.memberExpression(cls, name);
  }

  /** The local name of an existing import of `decl` in this module, if there is one. */
  private importedName(decl: ts.Declaration): string | undefined {
    for (const statement of this.sourceFile.statements) {
      if (!ts.isImportDeclaration(statement)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) {
        const symbol = resolveSymbol(this.checker, element.name);
        if (symbol?.declarations?.includes(decl)) return element.name.text;
      }
    }
    return undefined;
  }

  private registerAfterClass(fn: LoweredFunction, valueAndGrad: string): void {
    const cls = fn.decl.parent as ts.ClassDeclaration;
    const isStatic = fn.decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const register = this.runtimeImport("registerDerivatives");
    const target = `${cls.name!.text}${isStatic ? "" : ".prototype"}.${(fn.decl.name as ts.Identifier).text}`;
    const params = fn.func.params.map((p) => JSON.stringify(p.name)).join(", ");
    const statement = topLevelStatement(cls);
    this.edits.push({
      start: statement.getEnd(),
      end: statement.getEnd(),
      text: `\n${register}(${target}, { params: [${params}], valueAndGrad: ${valueAndGrad} });`,
    });
  }

  private runtimeImport(name: string): string {
    const local = this.naming.fresh(`adc_${name}`);
    this.imports.push(`import { ${name} as ${local} } from "adc";`);
    return local;
  }

  /** Each function's derivatives go right after it when it is in this module, else at the end. */
  private placeBlocks(blocks: Map<LoweredFunction, { order: number; code: string }[]>): void {
    const sorted = [...blocks].sort(([a], [b]) => declOrder(a.decl) - declOrder(b.decl) || a.key.localeCompare(b.key));
    for (const [fn, list] of sorted) {
      const code = list.sort((a, b) => a.order - b.order).map((x) => x.code).join("\n\n");
      const text = `\n\n// ---- generated by adc from ${fn.key}: do not edit ----\n${code}\n// ---- end of generated code for ${fn.key} ----`;
      const local = fn.decl.getSourceFile() === this.sourceFile;
      const at = local ? topLevelStatement(fn.decl).getEnd() : this.sourceFile.getEnd();
      this.edits.push({ start: at, end: at, text: local ? text : `${text}\n` });
    }
  }

  private applyEdits(): string {
    const edits = [...this.edits, ...pruneOperatorImports(this.checker, this.sourceFile, this.edits)];
    if (this.imports.length > 0) {
      const lastImport = [...this.sourceFile.statements].reverse().find(ts.isImportDeclaration);
      const at = lastImport ? lastImport.getEnd() : 0;
      edits.push({ start: at, end: at, text: (lastImport ? "\n" : "") + this.imports.join("\n") + (lastImport ? "" : "\n") });
    }
    return applyEdits(this.sourceFile.text, edits);
  }

  private locText(loc: Loc): string {
    return `${path.basename(loc.file)}:${loc.line}`;
  }

  private sourceLine(loc: Loc): string {
    let lines = this.sourceLines.get(loc.file);
    if (!lines) {
      const file = [...this.lowered.values()].find((f) => f.decl.getSourceFile().fileName === loc.file);
      lines = (file?.decl.getSourceFile() ?? this.sourceFile).text.split(/\r?\n/);
      this.sourceLines.set(loc.file, lines);
    }
    const text = lines[loc.line - 1]?.trim() ?? "";
    const short = text.length > 72 ? `${text.slice(0, 69)}...` : text;
    return `${this.locText(loc)}  ${short}`;
  }
}

function declOrder(decl: ts.Node): number {
  return decl.getStart();
}

function topLevelStatement(node: ts.Node): ts.Node {
  while (node.parent && !ts.isSourceFile(node.parent)) node = node.parent;
  return node;
}

/**
 * Names generated code must not take: everything declared at the module's top level (functions,
 * classes, imports, …). Locals of the user's functions live in their own scopes and may be reused.
 */
function moduleScopeNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const bind = (n: ts.Node) => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else ts.forEachChild(n, bind);
  };
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bind(d.name));
    else if (ts.isImportDeclaration(s) && s.importClause) bind(s.importClause);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) ||
      ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isModuleDeclaration(s)) && s.name) bind(s.name);
    else if (ts.isImportEqualsDeclaration(s)) bind(s.name);
  }
  return names;
}

function relativeModule(from: string, to: string): string {
  let spec = path.relative(path.dirname(from), to).replace(/\\/g, "/").replace(/\.(d\.)?[cm]?tsx?$/, "");
  if (!spec.startsWith(".")) spec = `./${spec}`;
  return spec;
}
