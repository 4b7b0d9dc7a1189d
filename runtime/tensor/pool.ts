// 2-D max and average pooling over NHWC images ([batch, height, width, channels]): square windows
// of `size`, `stride` (default: the size, windows side by side) and zero `padding` (padded
// positions never win a max and are not counted in an average: the mean is over the window's
// positions inside the image, as TF.js's and jax's "SAME"-style pooling count them). Their adjoints
// put g back on the window's first largest element (max) or spread it evenly (average).
import { Tensor, allocate, shapeString } from "./tensor";

interface Pool {
  batch: number;
  height: number;
  width: number;
  channels: number;
  size: number;
  stride: number;
  padding: number;
  outHeight: number;
  outWidth: number;
}

function geometry(op: string, shape: readonly number[], size: number, stride: number, padding: number): Pool {
  if (shape.length !== 4) throw new Error(`${op}: input ${shapeString(shape)}: expected [batch, height, width, channels]`);
  for (const [name, v, least] of [["size", size, 1], ["stride", stride, 1], ["padding", padding, 0]] as const) {
    if (!Number.isInteger(v) || v < least) throw new Error(`${op}: ${name} ${v} must be an integer ≥ ${least}`);
  }
  if (padding >= size) throw new Error(`${op}: padding ${padding} must be smaller than the window ${size}`);
  const [batch, height, width, channels] = shape;
  const outHeight = Math.floor((height + 2 * padding - size) / stride) + 1;
  const outWidth = Math.floor((width + 2 * padding - size) / stride) + 1;
  if (outHeight < 1 || outWidth < 1) throw new Error(`${op}: a window of ${size} does not fit the input ${shapeString(shape)}`);
  return { batch, height, width, channels, size, stride, padding, outHeight, outWidth };
}

/** Calls f(output offset, first input row, rows, first input column, columns) for every output position. */
function windows(p: Pool, f: (o: number, n: number, h0: number, h1: number, w0: number, w1: number) => void): void {
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outHeight; oh++) {
      const h0 = Math.max(0, oh * p.stride - p.padding);
      const h1 = Math.min(p.height, oh * p.stride - p.padding + p.size);
      for (let ow = 0; ow < p.outWidth; ow++) {
        const w0 = Math.max(0, ow * p.stride - p.padding);
        const w1 = Math.min(p.width, ow * p.stride - p.padding + p.size);
        f(((n * p.outHeight + oh) * p.outWidth + ow) * p.channels, n, h0, h1, w0, w1);
      }
    }
  }
}

/** The largest value of each window, per channel. */
export function maxPool2d(x: Tensor, size: number, stride = size, padding = 0): Tensor {
  const p = geometry("maxPool2d", x.shape, size, stride, padding);
  const c = p.channels;
  const out = new Tensor(allocate(x.dtype, p.batch * p.outHeight * p.outWidth * c), [p.batch, p.outHeight, p.outWidth, c]);
  const src = x.data;
  const dst = out.data;
  windows(p, (o, n, h0, h1, w0, w1) => {
    dst.fill(-Infinity, o, o + c);
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const i = ((n * p.height + h) * p.width + w) * c;
        for (let q = 0; q < c; q++) if (src[i + q] > dst[o + q]) dst[o + q] = src[i + q];
      }
    }
  });
  return out;
}

/** Calls f(output offset, at) per window, at[q] the flat index of channel q's first largest element. */
function windowArgmax(p: Pool, src: ArrayLike<number>, f: (o: number, at: Int32Array) => void): void {
  const c = p.channels;
  const best = new Float64Array(c);
  const at = new Int32Array(c);
  windows(p, (o, n, h0, h1, w0, w1) => {
    best.fill(-Infinity);
    at.fill(-1);
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const i = ((n * p.height + h) * p.width + w) * c;
        for (let q = 0; q < c; q++) {
          if (src[i + q] > best[q] || at[q] < 0) {
            best[q] = src[i + q];
            at[q] = i + q;
          }
        }
      }
    }
    f(o, at);
  });
}

/** The adjoint of maxPool2d: each window's g on its first largest element (in row-major order). */
export function maxPool2dGrad(g: Tensor, x: Tensor, size: number, stride = size, padding = 0): Tensor {
  const p = geometry("maxPool2dGrad", x.shape, size, stride, padding);
  const dx = new Tensor(allocate(x.dtype, x.size), x.shape);
  windowArgmax(p, x.data, (o, at) => {
    for (let q = 0; q < at.length; q++) dx.data[at[q]] += g.data[o + q];
  });
  return dx;
}

/** The tangent of maxPool2d: dx at each window's first largest element. */
export function maxPool2dTangent(dx: Tensor, x: Tensor, size: number, stride = size, padding = 0): Tensor {
  const p = geometry("maxPool2dTangent", x.shape, size, stride, padding);
  const out = new Tensor(allocate(dx.dtype, p.batch * p.outHeight * p.outWidth * p.channels), [p.batch, p.outHeight, p.outWidth, p.channels]);
  windowArgmax(p, x.data, (o, at) => {
    for (let q = 0; q < at.length; q++) out.data[o + q] = dx.data[at[q]];
  });
  return out;
}

/** The mean of each window's positions inside the image, per channel. */
export function avgPool2d(x: Tensor, size: number, stride = size, padding = 0): Tensor {
  const p = geometry("avgPool2d", x.shape, size, stride, padding);
  const c = p.channels;
  const out = new Tensor(allocate(x.dtype, p.batch * p.outHeight * p.outWidth * c), [p.batch, p.outHeight, p.outWidth, c]);
  const src = x.data;
  const acc = new Float64Array(c);
  windows(p, (o, n, h0, h1, w0, w1) => {
    acc.fill(0);
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const i = ((n * p.height + h) * p.width + w) * c;
        for (let q = 0; q < c; q++) acc[q] += src[i + q];
      }
    }
    const scale = 1 / ((h1 - h0) * (w1 - w0));
    for (let q = 0; q < c; q++) out.data[o + q] = acc[q] * scale;
  });
  return out;
}

/** The adjoint of avgPool2d: each window's g spread evenly over its positions. */
export function avgPool2dGrad(g: Tensor, x: Tensor, size: number, stride = size, padding = 0): Tensor {
  const p = geometry("avgPool2dGrad", x.shape, size, stride, padding);
  const c = p.channels;
  const dx = new Tensor(allocate(g.dtype, x.size), x.shape);
  windows(p, (o, n, h0, h1, w0, w1) => {
    const scale = 1 / ((h1 - h0) * (w1 - w0));
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const i = ((n * p.height + h) * p.width + w) * c;
        for (let q = 0; q < c; q++) dx.data[i + q] += g.data[o + q] * scale;
      }
    }
  });
  return dx;
}
