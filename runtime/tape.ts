// The tape: a stack of numbers that reverse sweeps of loops pop in the order the forward sweep
// pushed them. One growable Float64Array, reused by every call (no allocation once it is big
// enough); booleans travel as 0/1; tensors and arrays (references) have stacks of their own. Calls nest (a gradient calling a pullback, recursion) because
// every sweep pops exactly what it pushed.
import type { Tensor } from "./tensor/tensor";

export interface TapeMark {
  readonly numbers: number;
  readonly tensors: number;
  readonly refs: number;
}

export interface TapeSegment {
  readonly numbers: Float64Array;
  readonly tensors: readonly Tensor[];
  readonly refs: readonly unknown[];
}

export class Tape {
  private data = new Float64Array(1024);
  private top = 0;
  /** The most numbers held at once since the last `resetPeak`. */
  peak = 0;

  push(v: number): void {
    if (this.top === this.data.length) this.grow();
    this.data[this.top++] = v;
  }

  pop(): number {
    if (this.top > this.peak) this.peak = this.top; // the stack is highest just before it unwinds
    return this.data[--this.top];
  }

  /** Tensors a reverse sweep needs (references: a tensor is never copied onto the tape). */
  private tensors: Tensor[] = [];

  pushTensor(t: Tensor): void {
    this.tensors.push(t);
  }

  popTensor(): Tensor {
    return this.tensors.pop()!;
  }

  /** Arrays and objects a reverse sweep needs as they were (copies made before a call wrote them). */
  private refs: unknown[] = [];

  pushRef(x: unknown): void {
    this.refs.push(x);
  }

  popRef(): unknown {
    return this.refs.pop();
  }

  /** Where the tape stands: what a vjp's forward sweep takes its pushes from. */
  mark(): TapeMark {
    return { numbers: this.top, tensors: this.tensors.length, refs: this.refs.length };
  }

  /** Everything pushed since `mark`, taken off the tape (kept by a vjp for its pullback). */
  take(mark: TapeMark): TapeSegment {
    const segment = { numbers: this.data.slice(mark.numbers, this.top), tensors: this.tensors.slice(mark.tensors), refs: this.refs.slice(mark.refs) };
    this.top = mark.numbers;
    this.tensors.length = mark.tensors;
    this.refs.length = mark.refs;
    return segment;
  }

  /** Puts a taken segment back on top (a pullback's reverse sweep pops it; each call restores it anew). */
  restore(segment: TapeSegment): void {
    for (let i = 0; i < segment.numbers.length; i++) this.push(segment.numbers[i]);
    for (const t of segment.tensors) this.tensors.push(t);
    for (const x of segment.refs) this.refs.push(x);
  }

  /** Numbers currently on the tape (0 between calls). */
  get size(): number {
    return this.top;
  }

  /** Peak size in bytes since the last reset. */
  get peakBytes(): number {
    return Math.max(this.peak, this.top) * Float64Array.BYTES_PER_ELEMENT;
  }

  resetPeak(): void {
    this.peak = this.top;
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/** The tape generated code uses. */
export const tape = new Tape();
