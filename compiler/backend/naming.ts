// Names for values in generated code: source names where the value has one, `<name>_bar` for
// adjoints, `t1, t2, …` for temporaries; never a name the user's module already uses.
import type { Value } from "../ir/types";

const reserved = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN " +
    "Infinity Math Number Object Array").split(" "),
);

export class Naming {
  /** Names taken here, each with the order it was taken in. */
  private readonly taken = new Map<string, number>();
  private readonly names = new Map<Value, string>();
  private temps = 0;
  /** A child sees the names its parent had taken when the child was made (not later ones). */
  private readonly parent: { readonly naming: Naming; readonly before: number } | undefined;

  /** `forbidden`: names this naming never gives out, though nothing has taken them yet. */
  constructor(
    taken: Iterable<string>,
    private readonly forbidden: RegExp | undefined = undefined,
    parent?: Naming,
  ) {
    // Linked, not copied: a module makes a child per generated function, and copying every name
    // of a large module into each is quadratic.
    this.parent = parent && { naming: parent, before: parent.taken.size };
    for (const name of parent ? taken : [...reserved, ...taken]) this.take(name);
  }

  /**
   * A naming for a function's locals: it avoids every name taken here so far and every name in
   * `functionNames` — names of generated functions that may only be chosen later.
   */
  child(functionNames?: RegExp): Naming {
    return new Naming([], functionNames, this);
  }

  private take(name: string): void {
    if (!this.taken.has(name)) this.taken.set(name, this.taken.size);
  }

  private takenBefore(name: string, before: number): boolean {
    const order = this.taken.get(name);
    if (order !== undefined && order < before) return true;
    return this.parent !== undefined && this.parent.naming.takenBefore(name, this.parent.before);
  }

  private isTaken(name: string): boolean {
    return this.takenBefore(name, Infinity) || (this.forbidden?.test(name) ?? false);
  }

  /** A fresh identifier based on `base`. */
  fresh(base: string): string {
    let clean = /^[A-Za-z_$][\w$]*$/.test(base) ? base : "t";
    // A name of the generated-function family (`f_adjoint…`) stays one with any suffix, so step out
    // of it at the front; a second prefix is needed only when a function is itself named `local`.
    while (this.forbidden?.test(clean)) clean = `local_${clean}`;
    let name = clean;
    for (let i = 2; this.isTaken(name); i++) name = `${clean}_${i}`;
    this.take(name);
    return name;
  }

  /** Keeps a name free of locals (a function generated code may call by that name). */
  reserve(name: string): void {
    this.take(name);
  }

  /** Binds a value to a given name (parameters). */
  bind(v: Value, name: string): void {
    this.names.set(v, name);
    this.take(name);
  }

  has(v: Value): boolean {
    return this.names.has(v);
  }

  of(v: Value): string {
    let name = this.names.get(v);
    if (name === undefined) {
      if (v.hint !== undefined) name = this.fresh(v.hint);
      else if (v.adjointOf !== undefined) name = this.fresh(`${this.of(v.adjointOf)}_bar`);
      else if (v.tangentOf !== undefined) name = this.fresh(`${this.of(v.tangentOf)}_dot`);
      else {
        do name = `t${++this.temps}`;
        while (this.isTaken(name));
        this.take(name);
      }
      this.names.set(v, name);
    }
    return name;
  }
}
