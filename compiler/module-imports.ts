// How generated code names things that live outside it: the primal functions it calls (local,
// already imported, or imported now from their module) and the runtime helpers it needs.
import * as path from "node:path";
import * as t from "@babel/types";
import ts from "typescript";
import type { Naming } from "./backend/naming";
import { Codes, Refusal } from "./diagnostics";
import { resolveSymbol, type FunctionLike } from "./frontend/resolve";

export class ModuleImports {
  /** Import declarations to add, as text. */
  private readonly added: string[] = [];
  private readonly runtime = new Map<string, string>();
  private readonly primals = new Map<FunctionLike, t.Expression>();
  /** Module constants from other files by file and name: their local name, and the import to add on first use. */
  private readonly constants = new Map<string, { readonly local: string; text?: string }>();

  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly sourceFile: ts.SourceFile,
    private readonly naming: Naming,
    /** Names declared at the module's top level; imports added here join them. */
    private readonly moduleNames: Set<string>,
  ) {}

  /** The local name of a runtime export (`registerDerivatives`, …), imported once. */
  runtimeName(name: string): string {
    let local = this.runtime.get(name);
    if (!local) {
      local = this.naming.fresh(`adc_${name}`);
      this.runtime.set(name, local);
      this.added.push(`import { ${name} as ${local} } from "adc";`);
    }
    return local;
  }

  /** An expression naming a function's primal in this module: `f`, `Model.loss`. */
  primal(decl: FunctionLike): t.Expression {
    let ref = this.primals.get(decl);
    if (!ref) {
      ref = this.reference(decl);
      this.primals.set(decl, ref);
    }
    return t.cloneNode(ref);
  }

  /**
   * Chooses the local name of a module constant from another file that generated code may read
   * (an existing import's, its own, or a fresh one), before any function's locals are named, so
   * none of them takes it; the import itself is added on first use.
   */
  planConstant(binding: { readonly file: string; readonly name: string }): void {
    const key = `${binding.file}\0${binding.name}`;
    if (binding.file === this.sourceFile.fileName || this.constants.has(key)) return;
    const decl = moduleConstantDeclaration(this.program.getSourceFile(binding.file), binding.name);
    if (!decl) throw new Error(`adc internal error: no module constant '${binding.name}' in ${binding.file}`);
    const existing = this.existingImport(decl);
    this.constants.set(key, existing ? { local: existing } : this.planImport(decl, binding.name, "read"));
  }

  /** The local name of a module-level constant that generated code reads (a `global` op). */
  constant(binding: { readonly file: string; readonly name: string }): t.Expression {
    if (binding.file === this.sourceFile.fileName) return t.identifier(binding.name);
    const key = `${binding.file}\0${binding.name}`;
    this.planConstant(binding);
    const planned = this.constants.get(key)!;
    if (planned.text) {
      this.added.push(planned.text);
      planned.text = undefined;
    }
    return t.identifier(planned.local);
  }

  /** The edit that adds the new imports after the module's last import, if any are needed. */
  insertion(): { start: number; end: number; text: string } | undefined {
    if (this.added.length === 0) return undefined;
    const lastImport = [...this.sourceFile.statements].reverse().find(ts.isImportDeclaration);
    const at = lastImport ? lastImport.getEnd() : 0;
    const text = lastImport ? `\n${this.added.join("\n")}` : `${this.added.join("\n")}\n`;
    return { start: at, end: at, text };
  }

  private reference(decl: FunctionLike): t.Expression {
    const isMethod = ts.isMethodDeclaration(decl);
    const owner = isMethod ? (decl.parent as ts.ClassLikeDeclaration) : decl;
    const ownName = owner.name?.text;
    if (!ownName) throw new Refusal(Codes.NotAFunction, "anonymous functions and classes cannot be differentiated", decl);
    const local = owner.getSourceFile() === this.sourceFile ? ownName : (this.existingImport(owner) ?? this.importNow(owner, ownName, "called"));
    if (!isMethod) return t.identifier(local);
    return t.memberExpression(t.identifier(local), t.identifier((decl.name as ts.Identifier).text));
  }

  /** The local name of an existing import of `decl` in this module, if there is one. */
  private existingImport(decl: ts.Declaration): string | undefined {
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

  private importNow(owner: FunctionLike | ts.ClassLikeDeclaration, ownName: string, use: "called" | "read"): string {
    const { local, text } = this.planImport(owner, ownName, use);
    this.added.push(text);
    return local;
  }

  /** The local name `owner` will be imported under, and the import declaration; refused if not exported. */
  private planImport(owner: FunctionLike | ts.ClassLikeDeclaration | ts.VariableDeclaration, ownName: string, use: "called" | "read"): { local: string; text: string } {
    const file = owner.getSourceFile().fileName;
    if (!(ts.getCombinedModifierFlags(owner) & ts.ModifierFlags.Export)) {
      throw new Refusal(
        Codes.NotExported,
        `'${ownName}' is ${use} by differentiated code but not exported from ${path.basename(file)}`,
        owner.name ?? owner,
      );
    }
    let local = ownName;
    while (this.moduleNames.has(local)) local = this.naming.fresh(ownName);
    this.moduleNames.add(local);
    this.naming.reserve(local);
    const binding = local === ownName ? ownName : `${ownName} as ${local}`;
    return { local, text: `import { ${binding} } from "${relativeModule(this.sourceFile.fileName, file)}";` };
  }
}

/**
 * Names generated code must not take: everything declared at the module's top level (functions,
 * classes, imports, …). Locals of the user's functions live in their own scopes and may be reused.
 */
export function moduleScopeNames(sf: ts.SourceFile): Set<string> {
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

/** The top-level `const` declaration of `name` in a source file. */
function moduleConstantDeclaration(sf: ts.SourceFile | undefined, name: string): ts.VariableDeclaration | undefined {
  for (const s of sf?.statements ?? []) {
    if (!ts.isVariableStatement(s)) continue;
    const found = s.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (found) return found;
  }
  return undefined;
}

function relativeModule(from: string, to: string): string {
  let spec = path.relative(path.dirname(from), to).replace(/\\/g, "/").replace(/\.(d\.)?[cm]?tsx?$/, "");
  if (!spec.startsWith(".")) spec = `./${spec}`;
  return spec;
}
