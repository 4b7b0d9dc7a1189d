// What the page asks the worker and what it answers.
import type { Mode } from "../../compiler/graph/dot";

export interface Request {
  readonly id: number;
  readonly source: string;
  /** The function to differentiate; the first of the module when absent or gone. */
  readonly fn?: string;
  /** The point, by parameter name; parameters not given are 1. */
  readonly point: Readonly<Record<string, number>>;
  readonly mode: Mode;
}

export interface FunctionInfo {
  readonly name: string;
  readonly params: readonly string[];
}

export interface Result {
  readonly id: number;
  /** The module's top-level functions (and static methods as `Class.method`). */
  readonly functions: readonly FunctionInfo[];
  readonly fn?: string;
  readonly params: readonly string[];
  readonly point: readonly number[];
  /** adc's refusals (or syntax errors), formatted with a code frame. */
  readonly diagnostics: readonly string[];
  /** The module with the generated functions spliced in. */
  readonly code?: string;
  readonly value?: number;
  /** adc's gradient at the point, and central differences with their largest relative error. */
  readonly gradient?: readonly number[];
  readonly numeric?: readonly number[];
  readonly maxError?: number;
  readonly ok?: boolean;
  /** Why the gradient could not be evaluated (an exception thrown by the code, arrays, …). */
  readonly runError?: string;
  readonly svg?: string;
  /** Why the graph cannot be drawn. */
  readonly graphError?: string;
  /** Milliseconds spent compiling, running and drawing. */
  readonly timings: Readonly<Record<string, number>>;
}
