// The trace of a function at a point (what evaluate.ts makes): nodes, each an instance of an SSA
// value (an op inside a loop gives one node per iteration, its iteration numbers in `path`), with
// its value, what it read and its local partial derivatives, in the scopes it ran in (an iteration,
// the branch an `if` took). Arrays and objects are memory whose cells hold the node (or constant)
// last stored there; the elements of array and object parameters are inputs of their own. Loop
// and `if` results and a loop's carried values are no nodes of their own but the refs they hold.
import type { Scalar } from "../ir/interpret";
import type { Func, Op, Value } from "../ir/types";
import type { InputTree, PointValue } from "./point";

export interface Constant {
  readonly kind: "constant";
  readonly x: Scalar;
}

export interface Node {
  readonly kind: "node";
  /** The SSA value this is an instance of (a parameter's value for inputs). */
  readonly value: Value;
  /** The op that made it; undefined for inputs. */
  readonly op?: Op;
  readonly x: Scalar;
  /** What the op read, as the label shows it: nodes, constants and memory (the array of a load). */
  readonly operands: readonly Operand[];
  /** The nodes it depends on differentiably, with ∂x/∂input for each. */
  readonly inputs: readonly Node[];
  readonly partials: readonly number[];
  /** The iteration numbers (from 1) of the loops it ran in, outermost first. */
  readonly path: readonly number[];
  /** Inputs: which parameter, and which element of it (`[2]`, `.w`) for arrays and objects. */
  readonly input?: { readonly param: number; readonly element: readonly (number | string)[] };
  /** Loads: the element read. If results: the branch taken. */
  readonly element?: number | string;
  readonly branch?: number;
}

export type Ref = Node | Constant;

/** An array or an object: cells holding refs, or inner memory (rows of a matrix, nested objects). */
export interface Memory {
  readonly kind: "memory";
  /** The value that made it (a parameter, an alloc, a slice), or the memory it is part of. */
  readonly origin: { readonly value: Value } | { readonly parent: Memory; readonly key: number | string };
  readonly cells: Map<number | string, Cell>;
  readonly isArray: boolean;
}

export type Cell = Ref | Memory;
export type Operand = Cell;

/** A loop iteration, the test that ended a loop, or the branch an `if` took; items in run order. */
export interface Scope {
  kind: "iteration" | "exit" | "branch";
  readonly op: Op;
  /** The iteration (from 1; for an exit, one past the last) or the branch (0 then, 1 else). */
  readonly index: number;
  /** The iteration numbers of the loops around the op. */
  readonly path: readonly number[];
  /** A branch: the `if`'s condition. */
  readonly condition?: Ref;
  readonly items: Item[];
}

export type Item = Node | Scope;

export interface Trace {
  readonly func: Func;
  readonly point: readonly PointValue[];
  /** Each parameter's inputs: a node, or the tree of its elements' nodes (constants for labels). */
  readonly params: readonly InputTree[];
  /** The differentiable inputs in parameter order (elements in order, fields in declaration order). */
  readonly inputs: readonly Node[];
  /** Every node but the inputs, in evaluation order (each after the nodes it reads). */
  readonly nodes: readonly Node[];
  /** The nodes and scopes at the function's top level, in run order. */
  readonly items: readonly Item[];
  readonly output: Ref;
}

export const constant = (x: Scalar): Constant => ({ kind: "constant", x });
export const isRef = (c: Cell): c is Ref => c.kind !== "memory";
