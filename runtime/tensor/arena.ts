// Buffers reused between calls of a generated gradient. A training step allocates the same
// tensors in the same order every time, so the gradient function (`f_grad`, `f_valueAndGrad` of
// tensor code) runs inside an arena of its own: the n-th buffer it allocates is the n-th buffer of
// its previous call when the size and dtype agree (zeroed), and a new one otherwise. In the steady
// state nothing is allocated but the gradient it returns: tensors returned directly are copied out
// of the arena (`escape`), and the gradients of objects of tensors are made outside it
// (`zerosLike`), so no result is ever overwritten by a later call.
//
// Safe because nothing else made during the call outlives it: the primal values are locals of the
// call, the tape is drained by its reverse sweep, and kernels keep no tensor of their own.
import type { DType, TensorData } from "./tensor";

export interface ArenaStats {
  /** Calls of the function so far. */
  readonly calls: number;
  /** Bytes of the buffers the arena holds (the high-water mark of one call). */
  readonly bytesHeld: number;
  /** Bytes allocated by the last call (0 in the steady state). */
  readonly bytesAllocatedLastCall: number;
}

class Arena {
  readonly buffers: TensorData[] = [];
  readonly owned = new Set<TensorData>();
  cursor = 0;
  calls = 0;
  allocated = 0;
  previous: Arena | undefined;

  take(dtype: DType, size: number): TensorData {
    const i = this.cursor++;
    const old = this.buffers[i];
    if (old !== undefined && old.length === size && (old instanceof Float64Array) === (dtype === "float64")) {
      old.fill(0);
      return old;
    }
    const fresh = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    if (old !== undefined) this.owned.delete(old);
    this.buffers[i] = fresh;
    this.owned.add(fresh);
    this.allocated += fresh.byteLength;
    return fresh;
  }
}

const arenas = new WeakMap<object, Arena>();
let current: Arena | undefined;

/** Makes `owner`'s arena the one allocations come from, until `leaveArena`. */
export function enterArena(owner: object): Arena {
  let arena = arenas.get(owner);
  if (!arena) {
    arena = new Arena();
    arenas.set(owner, arena);
  }
  // A recursive call (not made by generated tensor code, but possible) allocates afresh.
  if (arena === current || arena.previous !== undefined) return new Arena();
  arena.cursor = 0;
  arena.allocated = 0;
  arena.calls++;
  arena.previous = current;
  current = arena;
  return arena;
}

/** Ends the call `enterArena` began (generated code calls it in a `finally`). */
export function leaveArena(arena: Arena): void {
  if (current === arena) current = arena.previous;
  arena.previous = undefined;
}

/** A buffer from the current arena, or undefined outside one. */
export function arenaBuffer(dtype: DType, size: number): TensorData | undefined {
  return current?.take(dtype, size);
}

/** Whether `data` belongs to the current arena (a result that must be copied out before it escapes). */
export function inArena(data: TensorData): boolean {
  return current !== undefined && current.owned.has(data);
}

/** Allocation counts of a generated function's arena (undefined before its first call). */
export function arenaStats(owner: object): ArenaStats | undefined {
  const a = arenas.get(owner);
  if (!a) return undefined;
  const bytesHeld = a.buffers.reduce((s, b) => s + b.byteLength, 0);
  return { calls: a.calls, bytesHeld, bytesAllocatedLastCall: a.allocated };
}

/** f's result, with every allocation inside it made outside the running arena (gradients that escape). */
export function outsideArena<T>(f: () => T): T {
  const saved = current;
  current = undefined;
  try {
    return f();
  } finally {
    current = saved;
  }
}
