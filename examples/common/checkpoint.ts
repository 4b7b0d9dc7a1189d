// Checkpoints: an object of tensors saved as one JSON file (shapes, dtypes and the numbers, with
// whatever small metadata the example keeps beside them) and loaded back into tensors.
import * as fs from "node:fs";
import * as path from "node:path";
import { type DType, Tensor, tensor } from "adc";

interface Saved {
  readonly meta: Record<string, unknown>;
  readonly tensors: Record<string, { shape: number[]; dtype: DType; data: number[] }>;
}

/** Writes `params` (an object whose fields are tensors) and `meta` to `file`. */
export function saveCheckpoint(file: string, params: Record<string, Tensor>, meta: Record<string, unknown> = {}): void {
  const tensors: Saved["tensors"] = {};
  for (const [name, t] of Object.entries(params)) tensors[name] = { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ meta, tensors } satisfies Saved));
}

/** The tensors and metadata saved by saveCheckpoint. */
export function loadCheckpoint<P>(file: string): { params: P; meta: Record<string, unknown> } {
  if (!fs.existsSync(file)) throw new Error(`no checkpoint at ${file}: train first`);
  const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Saved;
  const params: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(saved.tensors)) params[name] = tensor(t.data, t.shape, t.dtype);
  return { params: params as P, meta: saved.meta };
}
