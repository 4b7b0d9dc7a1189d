// A function's graph as Graphviz DOT, drawn like the evaluation traces of the AD literature: the
// IR as it is (ir-dot.ts: branches and loops as clusters), or, evaluated at a point, the trace
// that ran there (trace-dot.ts: loops unrolled, only the branches taken, values and derivatives).
import type { Func } from "../ir/types";
import { irDot } from "./ir-dot";
import { traceDot, type Mode } from "./trace-dot";
import type { Trace } from "./trace";

export type { Mode } from "./trace-dot";
export { formatNumber } from "./format";

export interface Evaluation {
  readonly trace: Trace;
  readonly mode: Mode;
}

export function toDot(func: Func, evaluation?: Evaluation): string {
  return evaluation ? traceDot(evaluation.trace, evaluation.mode) : irDot(func);
}
