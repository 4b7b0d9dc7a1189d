// The SSA IR: typed values, ops with structured regions (MLIR's scf style, not a CFG with phis).
// An `if` op has two regions whose yields become its results; a `while` op carries values through
// its condition and body regions (their params) and yields them as results; a function body is a
// region whose yields are the function's results. Regions may use any value defined above them.
// Scalars are SSA values; arrays and objects are references to memory, read and written by
// ordered `load` / `store` ops (see ir/effects.ts).

export type Type =
  | { readonly kind: "f64" }
  | { readonly kind: "bool" }
  | { readonly kind: "int" }
  /** `length`: a tuple (`[number, number]`), an Array whose length is fixed by its type. */
  | { readonly kind: "array"; readonly element: Type; readonly container: "Float64Array" | "Array" | "Int32Array"; readonly length?: number }
  | { readonly kind: "tensor" }
  /** A runtime value generated code only passes along (a tape mark or segment), by its type's name. */
  | { readonly kind: "opaque"; readonly name: string }
  | { readonly kind: "struct"; readonly fields: readonly { name: string; type: Type }[] };

export const f64: Type = { kind: "f64" };
export const bool: Type = { kind: "bool" };
export const int: Type = { kind: "int" };

/** Only f64 values and aggregates of them carry derivatives; int and bool never do. */
export function isDifferentiable(type: Type): boolean {
  if (type.kind === "array") return isDifferentiable(type.element); // Int32Array labels are not
  return type.kind === "f64" || type.kind === "struct" || type.kind === "tensor";
}

/** Whether a value of this type is or holds a Tensor (in an array's elements or an object's fields). */
export function holdsTensor(type: Type): boolean {
  if (type.kind === "array") return holdsTensor(type.element);
  if (type.kind === "struct") return type.fields.some((f) => holdsTensor(f.type));
  return type.kind === "tensor";
}

/** Arrays and objects: references to memory, whose adjoints are memory of the same shape. */
export function isAggregate(type: Type): boolean {
  return type.kind === "array" || type.kind === "struct";
}

/** Where a value or op came from in the user's source. */
export interface Loc {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** Set on ops a helper's body gave when it was inlined (opt/inline.ts): `name (file.ts:line)`. */
  readonly inlinedFrom?: string;
}

export interface Value {
  readonly id: number;
  readonly type: Type;
  // Naming annotations only (never semantics), so passes may set them after creation.
  /** The source name this value is known by (a variable, a parameter), used to name it in output. */
  hint?: string;
  /** Set on adjoint values: the primal value whose adjoint this is (named `<primal>_bar`). */
  adjointOf?: Value;
  /** Set on tangent values: the primal value whose tangent this is (named `<primal>_dot`). */
  tangentOf?: Value;
}

export interface Op {
  /** The primitive: a key of the rule table, or a structural op ("const", "call", "if", "select"). */
  readonly prim: string;
  readonly args: Value[];
  readonly results: Value[];
  readonly attrs: Attrs;
  readonly regions: Region[];
  readonly loc?: Loc;
}

export interface Attrs {
  /** For "const". */
  readonly value?: number | boolean;
  /** For "global": the module-level `const` binding read, by the file declaring it and its name. */
  readonly global?: { readonly file: string; readonly name: string };
  /** For "call": the callee's key in the module's function table. */
  readonly callee?: string;
  /** For "call": which derivative of the callee (undefined: the primal). */
  readonly variant?: "pullback" | "jvp" | "pullbackTangent";
  /**
   * For a pullback call: the parameters whose adjoints it returns, one result each. For a jvp
   * call: the parameters that carry tangents (after the primal arguments, `directions` groups of
   * one tangent per wrt parameter); its results are the value and one tangent per direction.
   */
  readonly wrt?: readonly number[];
  /** For "load" / "store" / "storeAdd" of an object's field (absent: an array element). */
  readonly field?: string;
  /** For "alloc": the kind of array made, and the value it is filled with. */
  readonly container?: "Float64Array" | "Array" | "Int32Array";
  /**
   * For "alloc": the array grows past its initial length (`push` stores at its end); its shadow
   * is as long as the array when the region that made it ends, since it never shrinks.
   */
  readonly growable?: boolean;
  /** For "while": the condition is tested after the body (`do … while`). */
  readonly post?: boolean;
  /** For "while": the reverse sweep recomputes the body from the carried values (`// adc: checkpoint`). */
  readonly checkpoint?: boolean;
  /** For "pop": the type of the value popped. */
  readonly type?: Type;
  /** For "push" and "pop": pairs a push with its pop. */
  readonly slot?: number;
  /** For a jvp or pullbackTangent call: how many tangent directions it carries (vector mode). */
  readonly directions?: number;
  /**
   * For a pullbackTangent call (forward mode over a pullback call, for second derivatives): the
   * pullback's arguments (its callee's, then the seed) that carry tangents. `wrt` stays the
   * pullback's; the results are its adjoints, then per direction the tangent of each adjoint.
   */
  readonly tangentWrt?: readonly number[];
  /** For "array" (a literal): which elements are spread arrays (`[...x, y]`). */
  readonly spread?: readonly boolean[];
  /**
   * For a call of the primal or of its jvp: the arguments (arrays or objects) the callee may write
   * (it stores into them, directly or through its own calls). Such a call is a write.
   */
  readonly writes?: readonly number[];
}

export interface Region {
  /** Block parameters: the values a `while` carries, as seen at the start of the region. */
  params?: Value[];
  ops: Op[];
  yields: Value[];
}

export interface Param {
  readonly value: Value;
  readonly name: string;
  /** The parameter's TypeScript type as written in the source (for arrays and objects). */
  readonly typeText?: string;
}

export interface Func {
  readonly name: string;
  readonly params: Param[];
  readonly body: Region;
  readonly loc?: Loc;
  /** The result's TypeScript type as written in the source (for arrays and objects). */
  readonly resultText?: string;
  /** An instance method that reads `this`: params[0] is its receiver, an object of the fields it reads. */
  readonly receiver?: boolean;
}
