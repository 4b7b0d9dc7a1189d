// TensorFlow.js (the full @tensorflow/tfjs package, cpu backend): the benchmark functions written
// with scalar tensors, gradients by `tf.grads`. Each call builds the input scalars, runs the
// gradient inside `tf.tidy` (nothing leaks) and reads the numbers back with `dataSync`, since a
// user needs the numbers. TF.js computes in float32.
import type * as TF from "@tensorflow/tfjs";
import type { PeerGrad, Peer } from "./peer";

type T = TF.Tensor;

export async function loadTfjs(): Promise<Peer> {
  const tf: typeof TF = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}, not cpu`);

  const seed = (x1: T, x2: T): T => x1.mul(tf.exp(x1.square().add(x2.square()).mul(-0.5)));

  const blend = (a: T, b: T, c: T, d: T, p: T, q: T, r: T): T => {
    const s = a.mul(b).add(c);
    const t = tf.sin(s).mul(tf.cos(d.sub(p)));
    const u = tf.exp(q.square().add(r.square()).mul(-0.5));
    const v = tf.log(a.square().add(s.square()).add(1));
    const w = tf.sqrt(u.add(v.square()).add(0.25));
    const h = tf.tanh(t.mul(w).sub(u.div(d.square().add(1))));
    const k = h.mul(s).add(t.mul(v)).sub(w.div(c.square().add(1)));
    // The branch reads s back, as eager TF.js code does (tf.where would need a gradient for the
    // condition's Greater, which TF.js lacks).
    const m = s.dataSync()[0]! > 0 ? k.mul(u).add(h) : k.sub(u.mul(h));
    return m.mul(t).add(tf.sin(k.mul(p)).mul(v)).sub(tf.cos(h.add(q)).mul(w).div(r.square().add(1)));
  };

  const wrap = (f: (...xs: T[]) => T): PeerGrad => {
    const g = tf.grads(f);
    return (xs) => {
      const out: number[] = new Array(xs.length);
      tf.tidy(() => {
        const gs = g(xs.map((x) => tf.scalar(x, "float32")));
        for (let i = 0; i < gs.length; i++) out[i] = gs[i]!.dataSync()[0]!;
      });
      return out;
    };
  };

  return {
    name: `TF.js ${tf.version_core} cpu`,
    precision: "float32",
    grads: { seed: wrap(seed as (...xs: T[]) => T), blend: wrap(blend as (...xs: T[]) => T) },
    live: () => tf.memory().numTensors,
    dispose: () => {},
  };
}
