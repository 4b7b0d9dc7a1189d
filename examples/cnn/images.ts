// MNIST rows as NHWC images, and mini-batches of them: gathered by index and, when training,
// each shifted by up to 2 pixels in each direction (zeros shifted in), a seeded augmentation.
import { type Rng, Tensor } from "adc";

export const SIDE = 28;
const MAX_SHIFT = 2;

/** [n, 784] → [n, 28, 28, 1], the same storage. */
export function toImages(rows: Tensor): Tensor {
  return new Tensor(rows.data, [rows.shape[0]!, SIDE, SIDE, 1]);
}

/** The images at `idx`, each moved by a random shift when `rng` is given. */
export function batchImages(images: Tensor, idx: ArrayLike<number>, rng?: Rng): Tensor {
  const px = SIDE * SIDE;
  const out = new Float32Array(idx.length * px);
  for (let b = 0; b < idx.length; b++) {
    const src = images.data.subarray(idx[b]! * px, (idx[b]! + 1) * px);
    if (!rng) {
      out.set(src, b * px);
      continue;
    }
    const dy = Math.floor(rng.next() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
    const dx = Math.floor(rng.next() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
    for (let y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(SIDE, SIDE + dx); x++) {
        out[b * px + y * SIDE + x] = src[(y - dy) * SIDE + (x - dx)]!;
      }
    }
  }
  return new Tensor(out, [idx.length, SIDE, SIDE, 1]);
}
