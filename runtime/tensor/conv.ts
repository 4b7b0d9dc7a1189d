// 2-D convolution, channels last (NHWC, as TF.js and TensorFlow lay images out): x is
// [batch, height, width, inChannels], the filter [kh, kw, inChannels, outChannels] (HWIO), the
// result [batch, outHeight, outWidth, outChannels]. Stride, zero padding and dilation are the
// same along both spatial axes. (Cross-correlation, as every deep-learning library computes it.)
//
// Computed as im2col + GEMM: each output position's receptive field is copied into one row of a
// patch matrix [positions, kh·kw·inChannels] (channels contiguous: NHWC makes every kernel tap a
// contiguous run), and one matrix product with the filter — already [kh·kw·inChannels, outChannels]
// in HWIO order — gives all output channels. The patch matrix is built a block of rows at a time in
// one reused scratch buffer, so memory stays bounded whatever the batch. Both adjoints are GEMMs
// too: ∂x = col2im(g · wᵀ), ∂w = Σ patchesᵀ · g.
import { gemm } from "./matmul";
import { currentBackend } from "./backend";
import { Tensor, type TensorData, allocate, output, promote, shapeString } from "./tensor";

export interface Conv2dGeometry {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly inChannels: number;
  readonly kh: number;
  readonly kw: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** The shapes of a convolution, checked. */
export function conv2dGeometry(op: string, x: readonly number[], w: readonly number[], stride: number, padding: number, dilation: number): Conv2dGeometry {
  if (x.length !== 4 || w.length !== 4) {
    throw new Error(`${op}: input ${shapeString(x)} and filter ${shapeString(w)}: expected [batch, height, width, channels] and [kh, kw, in, out]`);
  }
  const [batch, height, width, inChannels] = x;
  const [kh, kw, cin, outChannels] = w;
  if (cin !== inChannels) throw new Error(`${op}: input ${shapeString(x)} has ${inChannels} channels, the filter ${shapeString(w)} takes ${cin}`);
  for (const [name, v, least] of [["stride", stride, 1], ["padding", padding, 0], ["dilation", dilation, 1]] as const) {
    if (!Number.isInteger(v) || v < least) throw new Error(`${op}: ${name} ${v} must be an integer ≥ ${least}`);
  }
  const outHeight = Math.floor((height + 2 * padding - dilation * (kh - 1) - 1) / stride) + 1;
  const outWidth = Math.floor((width + 2 * padding - dilation * (kw - 1) - 1) / stride) + 1;
  if (outHeight < 1 || outWidth < 1) throw new Error(`${op}: the filter ${shapeString(w)} does not fit the input ${shapeString(x)}`);
  return { batch, height, width, inChannels, kh, kw, outChannels, outHeight, outWidth, stride, padding, dilation };
}

/** Rows of the patch matrix built at a time: about 1 MiB of scratch per block. */
function blockRows(g: Conv2dGeometry): number {
  const k = g.kh * g.kw * g.inChannels;
  return Math.max(1, Math.min(g.batch * g.outHeight * g.outWidth, Math.floor((1 << 18) / k)));
}

let scratch: { f32: Float32Array; f64: Float64Array } = { f32: new Float32Array(0), f64: new Float64Array(0) };

/** A reused scratch buffer of at least `size` elements of data's dtype (contents undefined). */
function scratchLike(data: TensorData, size: number): TensorData {
  if (data instanceof Float64Array) {
    if (scratch.f64.length < size) scratch = { ...scratch, f64: new Float64Array(size) };
    return scratch.f64;
  }
  if (scratch.f32.length < size) scratch = { ...scratch, f32: new Float32Array(size) };
  return scratch.f32;
}

/** Fills rows [r0, r1) of the patch matrix (row r: output position r, its receptive field; zeros outside the input). */
function im2col(x: TensorData, g: Conv2dGeometry, r0: number, r1: number, col: TensorData): void {
  const { height, width, inChannels: c, kh, kw, outHeight, outWidth, stride, padding, dilation } = g;
  const k = kh * kw * c;
  for (let r = r0; r < r1; r++) {
    const ow = r % outWidth;
    const oh = Math.floor(r / outWidth) % outHeight;
    const n = Math.floor(r / (outWidth * outHeight));
    let to = (r - r0) * k;
    for (let i = 0; i < kh; i++) {
      const ih = oh * stride - padding + i * dilation;
      for (let j = 0; j < kw; j++, to += c) {
        const iw = ow * stride - padding + j * dilation;
        if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
          col.fill(0, to, to + c);
          continue;
        }
        const from = ((n * height + ih) * width + iw) * c;
        // A plain loop: a subarray view per tap would cost more than copying its few channels.
        for (let q = 0; q < c; q++) col[to + q] = x[from + q];
      }
    }
  }
}

/**
 * Adds rows [r0, r1) of a patch matrix's adjoint back into the input's adjoint (the adjoint of
 * im2col: the same walk over the taps, kept as its own loop so that the copy stays inline).
 */
function col2im(col: TensorData, g: Conv2dGeometry, r0: number, r1: number, dx: TensorData): void {
  const { height, width, inChannels: c, kh, kw, outHeight, outWidth, stride, padding, dilation } = g;
  const k = kh * kw * c;
  for (let r = r0; r < r1; r++) {
    const ow = r % outWidth;
    const oh = Math.floor(r / outWidth) % outHeight;
    const n = Math.floor(r / (outWidth * outHeight));
    let from = (r - r0) * k;
    for (let i = 0; i < kh; i++) {
      const ih = oh * stride - padding + i * dilation;
      for (let j = 0; j < kw; j++, from += c) {
        const iw = ow * stride - padding + j * dilation;
        if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
        const to = ((n * height + ih) * width + iw) * c;
        for (let q = 0; q < c; q++) dx[to + q] += col[from + q];
      }
    }
  }
}

function common(op: string, x: Tensor, w: Tensor): { x: Tensor; w: Tensor } {
  const dtype = promote(x.dtype, w.dtype);
  return { x: x.dtype === dtype ? x : x.astype(dtype), w: w.dtype === dtype ? w : w.astype(dtype) };
}

/**
 * The 2-D convolution of x [batch, height, width, in] with filter w [kh, kw, in, out] (NHWC/HWIO):
 * out[n, oh, ow, o] = Σ x[n, oh·stride − padding + i·dilation, ow·stride − padding + j·dilation, c] · w[i, j, c, o],
 * zero outside the input.
 */
export function conv2d(x: Tensor, w: Tensor, stride = 1, padding = 0, dilation = 1, out?: Tensor): Tensor {
  const g = conv2dGeometry("conv2d", x.shape, w.shape, stride, padding, dilation);
  const a = common("conv2d", x, w);
  const result = output("conv2d", [g.batch, g.outHeight, g.outWidth, g.outChannels], a.x.dtype, out);
  const external = currentBackend().conv2d;
  if (external?.({ geometry: g, x: a.x.data, w: a.w.data }, result.data)) return result;
  const rows = g.batch * g.outHeight * g.outWidth;
  const k = g.kh * g.kw * g.inChannels;
  const block = blockRows(g);
  const col = scratchLike(result.data, block * k);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    im2col(a.x.data, g, r0, r1, col);
    gemm({
      transA: false, transB: false, m: r1 - r0, n: g.outChannels, k,
      a: col, aOffset: 0, b: a.w.data, bOffset: 0, c: result.data, cOffset: r0 * g.outChannels, accumulate: false,
    });
  }
  return result;
}

/** The adjoint of conv2d(x, w, …) with respect to x: col2im(g · wᵀ). */
export function conv2dGradInput(g: Tensor, x: Tensor, w: Tensor, stride = 1, padding = 0, dilation = 1): Tensor {
  const geo = conv2dGeometry("conv2dGradInput", x.shape, w.shape, stride, padding, dilation);
  const dtype = promote(promote(x.dtype, w.dtype), g.dtype);
  const wd = w.dtype === dtype ? w : w.astype(dtype);
  const gd = g.dtype === dtype ? g : g.astype(dtype);
  const dx = new Tensor(allocate(dtype, x.size), x.shape);
  const external = currentBackend().conv2dGradInput;
  if (external?.({ geometry: geo, x: x.dtype === dtype ? x.data : x.astype(dtype).data, w: wd.data }, gd.data, dx.data)) return dx;
  const rows = geo.batch * geo.outHeight * geo.outWidth;
  const k = geo.kh * geo.kw * geo.inChannels;
  const block = blockRows(geo);
  const col = scratchLike(dx.data, block * k);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    gemm({
      transA: false, transB: true, m: r1 - r0, n: k, k: geo.outChannels,
      a: gd.data, aOffset: r0 * geo.outChannels, b: wd.data, bOffset: 0, c: col, cOffset: 0, accumulate: false,
    });
    col2im(col, geo, r0, r1, dx.data);
  }
  return dx;
}

/** The adjoint of conv2d(x, w, …) with respect to w: Σ patchesᵀ · g. */
export function conv2dGradFilter(g: Tensor, x: Tensor, w: Tensor, stride = 1, padding = 0, dilation = 1): Tensor {
  const geo = conv2dGeometry("conv2dGradFilter", x.shape, w.shape, stride, padding, dilation);
  const dtype = promote(promote(x.dtype, w.dtype), g.dtype);
  const xd = x.dtype === dtype ? x : x.astype(dtype);
  const gd = g.dtype === dtype ? g : g.astype(dtype);
  const dw = new Tensor(allocate(dtype, w.size), w.shape);
  const external = currentBackend().conv2dGradFilter;
  if (external?.({ geometry: geo, x: xd.data, w: w.dtype === dtype ? w.data : w.astype(dtype).data }, gd.data, dw.data)) return dw;
  const rows = geo.batch * geo.outHeight * geo.outWidth;
  const k = geo.kh * geo.kw * geo.inChannels;
  const block = blockRows(geo);
  const col = scratchLike(dw.data, block * k);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    im2col(xd.data, geo, r0, r1, col);
    gemm({
      transA: true, transB: false, m: k, n: geo.outChannels, k: r1 - r0,
      a: col, aOffset: 0, b: gd.data, bOffset: r0 * geo.outChannels, c: dw.data, cOffset: 0, accumulate: r0 > 0,
    });
  }
  return dw;
}
