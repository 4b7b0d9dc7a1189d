// The tape: a stack of numbers that reverse sweeps of loops pop in the order the forward sweep
// pushed them. One growable Float64Array, reused by every call (no allocation once it is big
// enough); booleans travel as 0/1. Calls nest (a gradient calling a pullback, recursion) because
// every sweep pops exactly what it pushed.
import type { Tensor } from "./tensor/tensor";

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
