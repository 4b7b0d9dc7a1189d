// TF.js as a second backend for the runtime's heavy kernels (backend.ts): the matrix products
// and the convolution with its two adjoints run as TF.js ops on whatever backend TF.js has set
// (cpu, wasm, webgl, or tensorflow-node's native one); the gradients of dilated convolutions,
// which TF.js lacks, stay on the runtime's kernels. The module is passed in — adc does not
// depend on TF.js — and every call moves its operands into TF.js tensors and the result back
// (dataSync), so it pays where the kernel's work dwarfs the copies. TF.js computes in float32:
// float64 tensors are rounded for the call.
import type { Backend, ConvCall } from "./backend";
import type { Gemm } from "./gemm";
import type { TensorData } from "./tensor";

/** The part of the TF.js API this backend uses (structural, so any TF.js 4.x module fits). */
export interface TfLike {
  tensor(values: Float32Array, shape: number[], dtype?: "float32"): TfTensor;
  matMul(a: TfTensor, b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
  conv2d(x: TfTensor, filter: TfTensor, strides: number, pad: number[][], dataFormat: "NHWC", dilations: number): TfTensor;
  grad(f: (x: TfTensor) => TfTensor): (x: TfTensor, dy?: TfTensor) => TfTensor;
  tidy<T>(f: () => T): T;
}

export interface TfTensor {
  dataSync(): ArrayLike<number>;
}

const f32 = (data: TensorData, from: number, to: number): Float32Array =>
  data instanceof Float32Array ? data.subarray(from, to) : Float32Array.from(data.subarray(from, to));

/** Writes a result into `out` from `offset` (adds it when `accumulate`). */
function store(values: ArrayLike<number>, out: TensorData, offset: number, accumulate: boolean): void {
  if (!accumulate) {
    out.set(values, offset);
    return;
  }
  for (let i = 0; i < values.length; i++) out[offset + i] += values[i]!;
}

export function tfjsBackend(tf: TfLike, label = "TF.js"): Backend {
  const gemm = (g: Gemm): void => {
    const { m, n, k } = g;
    tf.tidy(() => {
      const a = tf.tensor(f32(g.a, g.aOffset, g.aOffset + m * k), g.transA ? [k, m] : [m, k], "float32");
      const b = tf.tensor(f32(g.b, g.bOffset, g.bOffset + k * n), g.transB ? [n, k] : [k, n], "float32");
      store(tf.matMul(a, b, g.transA, g.transB).dataSync(), g.c, g.cOffset, g.accumulate);
    });
  };
  const operands = (c: ConvCall) => {
    const { batch, height, width, inChannels, kh, kw, outChannels } = c.geometry;
    const x = tf.tensor(f32(c.x, 0, c.x.length), [batch, height, width, inChannels], "float32");
    const w = tf.tensor(f32(c.w, 0, c.w.length), [kh, kw, inChannels, outChannels], "float32");
    const { stride, padding: p, dilation } = c.geometry;
    const conv = (xx: TfTensor, ww: TfTensor) => tf.conv2d(xx, ww, stride, [[0, 0], [p, p], [p, p], [0, 0]], "NHWC", dilation);
    const dy = (g: TensorData) => tf.tensor(f32(g, 0, g.length), [batch, c.geometry.outHeight, c.geometry.outWidth, outChannels], "float32");
    return { x, w, conv, dy };
  };
  return {
    name: `${label} (matmul and conv2d)`,
    gemm,
    conv2d: (c, out) => tf.tidy(() => {
      const { x, w, conv } = operands(c);
      store(conv(x, w).dataSync(), out, 0, false);
      return true;
    }),
    // TF.js has no gradient of dilated convolutions: those stay on the runtime's kernels.
    conv2dGradInput: (c, g, dx) => c.geometry.dilation === 1 && tf.tidy(() => {
      const { x, w, conv, dy } = operands(c);
      store(tf.grad((xx) => conv(xx, w))(x, dy(g)).dataSync(), dx, 0, false);
      return true;
    }),
    conv2dGradFilter: (c, g, dw) => c.geometry.dilation === 1 && tf.tidy(() => {
      const { x, w, conv, dy } = operands(c);
      store(tf.grad((ww) => conv(x, ww))(w, dy(g)).dataSync(), dw, 0, false);
      return true;
    }),
  };
}
