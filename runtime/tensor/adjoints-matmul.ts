// The adjoints of matmul for every shape it takes: matrices, batches with broadcast batch
// dimensions, and vectors. ∂A = G·Bᵀ and ∂B = Aᵀ·G, computed by the transposed products without
// materialising a transpose, then summed over the batch dimensions an operand was broadcast along.
import { reduceToShape } from "./broadcast";
import { matmulTransA, matmulTransB } from "./matmul";
import { Tensor, sizeOf } from "./tensor";

/** a as a matrix (a vector [k] is a row [1, k] on the left, a column [k, 1] on the right). */
function asMatrix(x: Tensor, side: "left" | "right"): Tensor {
  if (x.rank !== 1) return x;
  return new Tensor(x.data, side === "left" ? [1, x.shape[0]] : [x.shape[0], 1]);
}

/** g with the dimensions a vector operand removed put back as 1s. */
function asProduct(g: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = [...g.shape];
  if (b.rank === 1) shape.push(1);
  if (a.rank === 1) shape.splice(shape.length - 1, 0, 1);
  return shape.length === g.rank ? g : new Tensor(g.data, shape);
}

/** The adjoint of matmul(a, b) with respect to a: g·bᵀ, summed over a's broadcast batch dimensions. */
export function matmulGradA(g: Tensor, a: Tensor, b: Tensor): Tensor {
  const a2 = asMatrix(a, "left");
  const b2 = asMatrix(b, "right");
  const full = matmulTransB(asProduct(g, a, b), b2);
  const reduced = full.rank === a2.rank && full.shape.every((d, i) => d === a2.shape[i]) ? full : reduceToShape(full, a2.shape);
  return reduced.rank === a.rank ? reduced : new Tensor(reduced.data, a.shape);
}

/** The adjoint of matmul(a, b) with respect to b: aᵀ·g, summed over b's broadcast batch dimensions. */
export function matmulGradB(g: Tensor, a: Tensor, b: Tensor): Tensor {
  const a2 = asMatrix(a, "left");
  const b2 = asMatrix(b, "right");
  const g2 = asProduct(g, a, b);
  if (b2.rank === 2 && a2.rank > 2) {
    // A batch against one matrix: one product over the batch folded into the rows.
    const k = a2.shape[a2.rank - 1];
    const n = g2.shape[g2.rank - 1];
    const rows = sizeOf(a2.shape) / k;
    const out = matmulTransA(new Tensor(a2.data, [rows, k]), new Tensor(g2.data, [rows, n]));
    return b.rank === 2 ? out : new Tensor(out.data, b.shape);
  }
  const full = matmulTransA(a2, g2);
  const reduced = full.rank === b2.rank && full.shape.every((d, i) => d === b2.shape[i]) ? full : reduceToShape(full, b2.shape);
  return reduced.rank === b.rank ? reduced : new Tensor(reduced.data, b.shape);
}
