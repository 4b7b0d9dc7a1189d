// Optimizers that update a parameter structure in place from a gradient of the same structure.
// A structure is a Tensor, a Float32Array/Float64Array, an array of numbers, or an object or
// array of structures, to any depth (a network's { layers: [{ w, b }, …] }). Tensors and typed
// arrays are updated in place; numbers are updated in their parent object or array. The
// optimizer's state (momentum, Adam's moments) is kept per parameter storage, so one optimizer
// serves one model across steps without any registration.
import { Tensor, shapeString } from "./tensor";

/** What an optimizer does to one parameter vector p from its gradient g, with its state. */
type Update = (p: Float32Array | Float64Array | number[], g: ArrayLike<number>, state: LeafState) => void;

interface LeafState {
  /** Steps taken for this parameter. */
  t: number;
  m: Float64Array;
  v: Float64Array;
}

export interface Optimizer {
  /** Learning rate; may be changed between steps (schedules). */
  lr: number;
  /** Updates `params` in place from `grads` (the same structure). */
  step<P extends object>(params: P, grads: P): void;
}

type Numeric = Float32Array | Float64Array | number[];

function isNumbers(x: unknown): x is number[] {
  return Array.isArray(x) && (x.length === 0 || typeof x[0] === "number");
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor ${shapeString(x.shape)}`;
  if (x instanceof Float32Array || x instanceof Float64Array) return `a ${x.constructor.name} of ${x.length}`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  return x === null ? "null" : typeof x;
}

/** The flat numbers of a leaf (Tensor, typed array, number[]), or null for a container. */
function leaf(x: unknown): Numeric | null {
  if (x instanceof Tensor) return x.data;
  if (x instanceof Float32Array || x instanceof Float64Array || isNumbers(x)) return x;
  return null;
}

class Walker {
  private readonly leaves = new WeakMap<object, LeafState>();
  /** State of number-valued properties, per parent object and key. */
  private readonly scalars = new WeakMap<object, Map<string, { p: number[]; state: LeafState }>>();

  constructor(private readonly update: Update) {}

  private state(size: number): LeafState {
    return { t: 0, m: new Float64Array(size), v: new Float64Array(size) };
  }

  walk(params: unknown, grads: unknown, path: string): void {
    const mismatch = () =>
      new Error(`optimizer: gradient at ${path} is ${describe(grads)}, parameter is ${describe(params)}`);
    const p = leaf(params);
    if (p !== null) {
      const g = leaf(grads);
      if (g === null || g.length !== p.length) throw mismatch();
      if (params instanceof Tensor && grads instanceof Tensor && shapeString(params.shape) !== shapeString(grads.shape)) {
        throw mismatch();
      }
      let s = this.leaves.get(p);
      if (s === undefined) this.leaves.set(p, (s = this.state(p.length)));
      this.update(p, g, s);
      return;
    }
    if (typeof params === "number") {
      throw new Error(`optimizer: the number at ${path} cannot be updated in place; put it in an object or array`);
    }
    if (params === null || typeof params !== "object" || grads === null || typeof grads !== "object") throw mismatch();
    if (Array.isArray(params)) {
      if (!Array.isArray(grads) || grads.length !== params.length) throw mismatch();
      params.forEach((x, i) => this.walk(x, grads[i], `${path}[${i}]`));
      return;
    }
    const gs = grads as Record<string, unknown>;
    for (const [key, value] of Object.entries(params)) {
      if (!(key in gs)) throw new Error(`optimizer: gradient has no ${path}.${key}`);
      if (typeof value === "number") {
        const g = gs[key];
        if (typeof g !== "number") throw new Error(`optimizer: gradient at ${path}.${key} is ${describe(g)}, parameter is a number`);
        this.scalar(params as Record<string, number>, key, g);
      } else {
        this.walk(value, gs[key], `${path}.${key}`);
      }
    }
  }

  private scalar(parent: Record<string, number>, key: string, g: number): void {
    let byKey = this.scalars.get(parent);
    if (byKey === undefined) this.scalars.set(parent, (byKey = new Map()));
    let entry = byKey.get(key);
    if (entry === undefined) byKey.set(key, (entry = { p: [0], state: this.state(1) }));
    entry.p[0] = parent[key];
    this.update(entry.p, [g], entry.state);
    parent[key] = entry.p[0];
  }
}

export interface SgdOptions {
  lr: number;
  /** Heavy-ball momentum μ (default 0): v ← μ·v + g, p ← p − lr·v. */
  momentum?: number;
  /** Nesterov momentum: p ← p − lr·(g + μ·v). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g + weightDecay·p. */
  weightDecay?: number;
}

/** Stochastic gradient descent, with optional (Nesterov) momentum, PyTorch's formulation. */
export function sgd(options: SgdOptions): Optimizer {
  const mu = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  const wd = options.weightDecay ?? 0;
  const opt: Optimizer = {
    lr: options.lr,
    step(params, grads) {
      walker.walk(params, grads, "params");
    },
  };
  const walker = new Walker((p, g, s) => {
    const lr = opt.lr;
    const v = s.m;
    const first = s.t === 0;
    s.t++;
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + wd * p[i];
      if (mu !== 0) {
        const vi = first ? d : mu * v[i] + d;
        v[i] = vi;
        d = nesterov ? d + mu * vi : vi;
      }
      p[i] -= lr * d;
    }
  });
  return opt;
}

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient (Adam, not AdamW). Default 0. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε) with the
 * bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 */
export function adam(options: AdamOptions = {}): Optimizer {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0;
  const opt: Optimizer = {
    lr: options.lr ?? 1e-3,
    step(params, grads) {
      walker.walk(params, grads, "params");
    },
  };
  const walker = new Walker((p, g, s) => {
    s.t++;
    const c1 = 1 / (1 - Math.pow(b1, s.t));
    const c2 = 1 / (1 - Math.pow(b2, s.t));
    const lr = opt.lr;
    const { m, v } = s;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + wd * p[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
    }
  });
  return opt;
}
