// The tape: a stack of numbers that reverse sweeps of loops pop in the order the forward sweep
// pushed them. One growable Float64Array, reused by every call (no allocation once it is big
// enough); booleans travel as 0/1. Calls nest (a gradient calling a pullback, recursion) because
// every sweep pops exactly what it pushed.
import type { Tensor } from "./tensor/tensor";

export interface TapeMark {
  readonly numbers: number;
  readonly tensors: number;
}

export interface TapeSegment {
  readonly numbers: Float64Array;
  readonly tensors: readonly object[];
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

  /**
   * Tensors and arrays a reverse sweep needs, by reference (never copied onto the tape): a tensor,
   * or a scratch array a loop iteration allocated and no later code writes.
   */
  private tensors: object[] = [];

  pushTensor(t: Tensor): void {
    this.tensors.push(t);
  }

  popTensor(): Tensor {
    return this.tensors.pop() as Tensor;
  }

  pushRef(r: object): void {
    this.tensors.push(r);
  }

  popRef<T extends object>(): T {
    return this.tensors.pop() as T;
  }

  /** Where the tape stands: what a vjp's forward sweep takes its pushes from. */
  mark(): TapeMark {
    return { numbers: this.top, tensors: this.tensors.length };
  }

  /** Everything pushed since `mark`, taken off the tape (kept by a vjp for its pullback). */
  take(mark: TapeMark): TapeSegment {
    const segment = { numbers: this.data.slice(mark.numbers, this.top), tensors: this.tensors.slice(mark.tensors) };
    this.top = mark.numbers;
    this.tensors.length = mark.tensors;
    return segment;
  }

  /** Puts a taken segment back on top (a pullback's reverse sweep pops it; each call restores it anew). */
  restore(segment: TapeSegment): void {
    for (let i = 0; i < segment.numbers.length; i++) this.push(segment.numbers[i]);
    for (const t of segment.tensors) this.tensors.push(t);
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
