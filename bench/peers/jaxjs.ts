// jax-js (@jax-js/jax, wasm backend): the benchmark functions over float64 scalar arrays, gradients
// by `grad` with `argnums` for every input, with and without `jit`. jax-js counts references by
// hand: every use of an array consumes it, so a value used again later is passed as `x.ref`, and
// its last use passes it bare. The inputs are consumed by the call and each gradient is consumed
// by `.item()` (which reads it back), so a call leaves nothing behind.
import type * as JAX from "@jax-js/jax" with { "resolution-mode": "import" };
import type { Peer, PeerGrad } from "./peer";

type A = JAX.Array;

/** jax-js, loaded and set to its wasm device: what every benchmark's jax-js peer starts from. */
export async function importJaxWasm(): Promise<typeof JAX> {
  // jax-js 0.1.25 references Float16Array, which Node 20 lacks; Float32Array stands in for it
  // (nothing here uses float16). It must exist before the module is evaluated.
  const g = globalThis as { Float16Array?: unknown };
  g.Float16Array ??= Float32Array;
  const jax: typeof JAX = await import("@jax-js/jax");
  const devices = await jax.init("wasm");
  if (!devices.includes("wasm")) throw new Error(`wasm backend unavailable (have ${devices.join(", ")})`);
  jax.defaultDevice("wasm");
  return jax;
}

export async function loadJaxjs(): Promise<Peer> {
  const jax = await importJaxWasm();
  const np = jax.numpy;

  const seed = (x1: A, x2: A): A => x1.ref.mul(np.exp(np.square(x1).add(np.square(x2)).mul(-0.5)));

  const blend = (a: A, b: A, c: A, d: A, p: A, q: A, r: A): A => {
    const s = a.ref.mul(b).add(c.ref);
    const t = np.sin(s.ref).mul(np.cos(d.ref.sub(p.ref)));
    const u = np.exp(np.square(q.ref).add(np.square(r.ref)).mul(-0.5));
    const v = np.log(np.square(a).add(np.square(s.ref)).add(1));
    const w = np.sqrt(u.ref.add(np.square(v.ref)).add(0.25));
    const h = np.tanh(t.ref.mul(w.ref).sub(u.ref.div(np.square(d).add(1))));
    const k = h.ref.mul(s.ref).add(t.ref.mul(v.ref)).sub(w.ref.div(np.square(c).add(1)));
    const m = np.where(s.greater(0), k.ref.mul(u.ref).add(h.ref), k.ref.sub(u.mul(h.ref)));
    return m.mul(t).add(np.sin(k.mul(p)).mul(v)).sub(np.cos(h.add(q)).mul(w).div(np.square(r).add(1)));
  };

  const jitted: { dispose(): void }[] = [];
  const wrap = (f: (...xs: A[]) => A, arity: number, jit: boolean): PeerGrad => {
    const argnums = Array.from({ length: arity }, (_, i) => i);
    let gradFn = jax.grad(f, { argnums }) as unknown as (...xs: A[]) => A[];
    if (jit) {
      const j = jax.jit(gradFn);
      jitted.push(j);
      gradFn = j as unknown as (...xs: A[]) => A[];
    }
    return (xs) => {
      const gs = gradFn(...xs.map((x) => np.array(x, { dtype: np.float64 })));
      const out: number[] = new Array(gs.length);
      for (let i = 0; i < gs.length; i++) out[i] = gs[i]!.item();
      return out;
    };
  };

  return {
    name: "jax-js 0.1.25 wasm",
    precision: "float64",
    grads: {
      seed: wrap(seed as (...xs: A[]) => A, 2, false),
      blend: wrap(blend as (...xs: A[]) => A, 7, false),
      "seed/jit": wrap(seed as (...xs: A[]) => A, 2, true),
      "blend/jit": wrap(blend as (...xs: A[]) => A, 7, true),
    },
    dispose: () => {
      for (const j of jitted) j.dispose();
    },
  };
}
