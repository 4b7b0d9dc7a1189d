// The seam between the tensor runtime and the engines that run its heavy kernels. Generated code
// calls the runtime's functions (matmul, conv2d, their adjoints); those ask the current backend
// for the kernel. The default backend is the runtime's own (the WebAssembly SIMD GEMM and the
// plain-TypeScript kernels); `setBackend(tfjsBackend(tf))` runs the products and convolutions on
// TF.js's instead (its cpu, wasm, webgl or tensorflow-node backend), with the generated code
// unchanged. Every other operation (elementwise, reductions, pooling, normalisation, softmax) runs
// on the runtime's kernels whatever the backend.
import type { Gemm } from "./gemm";
import type { Conv2dGeometry } from "./conv";
import type { TensorData } from "./tensor";

/** A convolution's operands and result, as flat NHWC / HWIO arrays with their geometry. */
export interface ConvCall {
  readonly geometry: Conv2dGeometry;
  readonly x: TensorData;
  readonly w: TensorData;
}

export interface Backend {
  readonly name: string;
  /** C (+)= op(A)·op(B) on row-major matrices inside typed arrays (see Gemm); undefined: the default GEMM. */
  readonly gemm?: (g: Gemm) => void;
  /**
   * The convolution into `out` ([batch, outHeight, outWidth, outChannels]); false (or undefined)
   * when this backend does not take this one: the runtime's im2col + GEMM runs it.
   */
  readonly conv2d?: (c: ConvCall, out: TensorData) => boolean;
  /** ∂x from g into `dx` (zeros on entry), or false to leave it to the runtime. */
  readonly conv2dGradInput?: (c: ConvCall, g: TensorData, dx: TensorData) => boolean;
  /** ∂w from g into `dw` (zeros on entry), or false to leave it to the runtime. */
  readonly conv2dGradFilter?: (c: ConvCall, g: TensorData, dw: TensorData) => boolean;
}

/** The runtime's own kernels: everything undefined means the built-in path. */
export const defaultBackend: Backend = { name: "adc (WebAssembly SIMD GEMM and TypeScript kernels)" };

let current: Backend = defaultBackend;

/** Runs the heavy kernels on `b` from now on (defaultBackend to go back). */
export function setBackend(b: Backend): void {
  current = b;
}

export function currentBackend(): Backend {
  return current;
}
