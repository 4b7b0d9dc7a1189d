// What a peer library provides to the benchmark: a gradient of each benchmark function that takes
// plain numbers and returns plain numbers (the data transfer a user needs is part of the call).

export type PeerGrad = (xs: readonly number[]) => number[];

export interface Peer {
  readonly name: string;
  /** The arithmetic the peer computes in, e.g. float32 for TF.js. */
  readonly precision: "float32" | "float64";
  /** Gradients by function name ("seed", "blend"); some peers add variants (e.g. jit). */
  readonly grads: Readonly<Record<string, PeerGrad>>;
  /** Live tensors/arrays the peer holds, to show that the calls do not leak (when it can tell). */
  readonly live?: () => number;
  readonly dispose: () => void;
}
