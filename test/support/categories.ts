// The kinds of random programs the property tests and the fuzz command generate, one entry per
// generator: its fast-check arbitrary (raw trees that shrink) and how a batch of them renders as
// one module, with the subjects the oracle checks for each program.
import fc from "fast-check";
import { rawProgramArb, type RawProgram } from "./program-gen";
import { renderModule } from "./program-gen-module";
import { rawLoopProgramArb, renderLoopModule, type RawLoopProgram } from "./program-gen-loops";
import { rawCallbackProgramArb, renderCallbackModule, type RawCallbackProgram } from "./program-gen-callbacks";
import { rawTensorProgramArb, renderTensorModule, type RawTensorProgram } from "./program-gen-tensor";
import type { Subject } from "./subjects";

export interface RenderedBatch {
  readonly text: string;
  /** The subjects of each program, in order. */
  readonly programs: readonly (readonly Subject[])[];
}

export interface Category<Raw = unknown> {
  readonly name: string;
  /** One line: what its programs contain. */
  readonly description: string;
  readonly arbitrary: fc.Arbitrary<Raw>;
  /** One module of all the programs (names suffixed when there are several). */
  render(raws: readonly Raw[]): RenderedBatch;
  /** Share of the fuzz command's programs (relative to the other categories run). */
  readonly weight: number;
  /** Only run when asked for by name (issue 13's programs, until its fix is on main). */
  readonly optIn?: boolean;
}

function category<Raw>(c: Category<Raw>): Category {
  return c as unknown as Category;
}

const scalarBatch = (raws: readonly RawProgram[]): RenderedBatch => {
  const { text, functions } = renderModule(raws);
  return { text, programs: functions.map((f) => f.subjects) };
};

const loopBatch = (raws: readonly RawLoopProgram[]): RenderedBatch => {
  const { text, functions } = renderLoopModule(raws);
  return { text, programs: functions.map((f) => f.subjects) };
};

/** The same programs, with hvp and hessian checked too: the trees are the loops category's, program for program. */
const loopHessianBatch = (raws: readonly RawLoopProgram[]): RenderedBatch => {
  const { text, functions } = renderLoopModule(raws, true, { hessian: true });
  return { text, programs: functions.map((f) => f.subjects) };
};

const callbackBatch = (raws: readonly RawCallbackProgram[]): RenderedBatch => {
  const { text, functions } = renderCallbackModule(raws);
  return { text, programs: functions.map((f) => f.subjects) };
};

export const CATEGORIES: readonly Category[] = [
  category<RawProgram>({
    name: "scalar",
    description: "numbers: arithmetic, Math, branches, ternaries, early returns, helpers (recursive too), @grad methods; grad/valueAndGrad/vjp, jvp, hvp",
    arbitrary: rawProgramArb(),
    render: scalarBatch,
    weight: 3,
  }),
  category<RawLoopProgram>({
    name: "loops",
    description: "loops of every form (for, for…of, while, do…while, break/continue, labels, return) over number[], Float64Array, number[][] and objects; writes; grad/valueAndGrad/vjp, jvp",
    arbitrary: rawLoopProgramArb({ vjp: true }),
    render: loopBatch,
    weight: 4,
  }),
  category<RawLoopProgram>({
    name: "loops-calls",
    description: "the loop programs, passing arrays they write to a helper that reads them",
    arbitrary: rawLoopProgramArb({ passWritten: true }),
    render: loopBatch,
    weight: 2,
  }),
  category<RawLoopProgram>({
    name: "loops-hessian",
    description: "the loop programs (number[], Float64Array, number[][], objects, written parameters), with hvp and hessian on all their parameters",
    arbitrary: rawLoopProgramArb({ vjp: true }),
    render: loopHessianBatch,
    weight: 1,
  }),
  category<RawProgram>({
    name: "vector",
    description: "functions returning a tuple of 2–3 numbers: jacobian in both modes, jvp, the dot-product test",
    arbitrary: rawProgramArb({ vector: true }),
    render: scalarBatch,
    weight: 2,
  }),
  category<RawTensorProgram>({
    name: "tensor",
    description: "float64 tensors: elementwise ops with broadcasting, matmul, transpose, reductions, softmax, branches and loops; grad/valueAndGrad, jvp",
    arbitrary: rawTensorProgramArb(),
    render: (raws) => renderTensorModule(raws),
    weight: 1,
  }),
  category<RawProgram>({
    name: "guarded",
    description: "scalar programs with domain-restricted values (log, sqrt, division, powers, asin…) used only under a condition (issue 13)",
    arbitrary: rawProgramArb({ guards: true }),
    render: scalarBatch,
    weight: 2,
  }),
  category<RawLoopProgram>({
    name: "guarded-loops",
    description: "loop programs with domain-restricted values used only under a condition, in loop bodies too (issue 13)",
    arbitrary: rawLoopProgramArb({ guards: true, vjp: true }),
    render: loopBatch,
    weight: 2,
  }),
  category<RawCallbackProgram>({
    name: "callbacks",
    description: "array methods with inline and local-const callbacks (map, forEach, reduce, filter, some/find…, Array.from), local arrows and nested functions, sumBy(xs, f), growing arrays, push in callbacks, a helper writing an output array, literals (number[][] rows too), arrays of objects, closures over variables assigned later, spreads, slice/concat/at; grad/valueAndGrad/vjp, jvp, hvp and hessian on array parameters",
    arbitrary: rawCallbackProgramArb(),
    render: callbackBatch,
    weight: 3,
  }),
  category<RawCallbackProgram>({
    name: "values",
    description: "the callbacks programs returning number[], Float64Array, tuples or object literals (a literal, a map, an array a step made): jacobian in both modes on array parameters, jvp, the dot-product test",
    arbitrary: rawCallbackProgramArb({ vector: true }),
    render: callbackBatch,
    weight: 2,
  }),
];

export function categoryNamed(name: string): Category {
  const found = CATEGORIES.find((c) => c.name === name);
  if (!found) throw new Error(`no category '${name}' (there are ${CATEGORIES.map((c) => c.name).join(", ")})`);
  return found;
}

/** The categories run by default: all but the opt-in ones. */
export function defaultCategories(): Category[] {
  return CATEGORIES.filter((c) => !c.optIn);
}
