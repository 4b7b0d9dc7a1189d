// A short training run inside the normal test run: a few Adam steps of the examples' MLP on Iris,
// whose loss must go down, with the gradient the examples use (examples/mlp/gradient.ts). The
// gradient itself is checked against central differences in float64 first.
//
// GRADIENT picks it: "hand" is the hand-written gradient (examples/mlp/hand.ts); "adc" compiles
// examples/mlp/model.ts with adc and fails if adc refuses it (it is also checked against the
// hand-written one). Switch to "adc" once adc differentiates tensor code.
import { beforeAll, describe, expect, test } from "vitest";
import { Rng, Tensor, adam, randn } from "adc";
import { loadIris } from "../examples/iris/data";
import { type GradientChoice, type LoadedGradient, loadLossAndGrad } from "../examples/mlp/gradient";
import { type Mlp, accuracy, initMlp, lossAndGradHand } from "../examples/mlp/hand";

const GRADIENT: GradientChoice = "adc";

let gradient: LoadedGradient;
beforeAll(async () => {
  gradient = await loadLossAndGrad(GRADIENT);
});

/** The loss alone: the value half of the gradient function. */
function lossOf(p: Mlp, x: Tensor, labels: Int32Array): number {
  return lossAndGradHand(p, x, labels)[0];
}

describe("the MLP's gradient", () => {
  test("agrees with central differences in float64 (every parameter, a few entries each)", () => {
    const rng = new Rng(3);
    const p = initMlp(4, 5, 3, rng, "float64");
    p.b1 = randn([5], { rng, dtype: "float64", std: 0.5 });
    p.b2 = randn([3], { rng, dtype: "float64", std: 0.5 });
    const x = randn([7, 4], { rng, dtype: "float64" });
    const labels = Int32Array.from([0, 2, 1, 1, 0, 2, 2]);
    const [value, g] = gradient.lossAndGrad(p, x, labels);
    expect(value).toBeCloseTo(lossOf(p, x, labels), 12);
    const h = 1e-6;
    for (const key of ["w1", "b1", "w2", "b2"] as const) {
      const data = p[key].data;
      expect(g[key].shape).toEqual(p[key].shape);
      for (const i of [0, Math.floor(data.length / 2), data.length - 1]) {
        const keep = data[i]!;
        data[i] = keep + h;
        const up = lossOf(p, x, labels);
        data[i] = keep - h;
        const down = lossOf(p, x, labels);
        data[i] = keep;
        expect(g[key].data[i]).toBeCloseTo((up - down) / (2 * h), 7);
      }
    }
  });
});

describe("training on Iris", () => {
  const run = (steps: number): { losses: number[]; accuracy: number } => {
    const { xTrain, yTrain } = loadIris(42);
    const params = initMlp(4, 16, 3, new Rng(42));
    const opt = adam({ lr: 0.05 });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const [loss, grads] = gradient.lossAndGrad(params, xTrain, yTrain);
      opt.step(params, grads);
      losses.push(loss);
    }
    return { losses, accuracy: accuracy(params, xTrain, yTrain) };
  };

  test(`a few full-batch Adam steps lower the loss`, () => {
    const { losses, accuracy: acc } = run(25);
    const first = losses[0]!;
    const last = losses[losses.length - 1]!;
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.5 * first);
    // Not just the end points: the loss falls over every stretch of five steps.
    for (let s = 5; s < losses.length; s += 5) expect(losses[s]!).toBeLessThan(losses[s - 5]!);
    expect(acc).toBeGreaterThan(0.85);
  });

  test("is reproducible: the same seed gives the same losses", () => {
    expect(run(5).losses).toEqual(run(5).losses);
  });
});

// The deep-learning examples, seeded and small: adc's generated gradients (examples/cnn and
// examples/transformer compile their model.ts with adc) train their models, and the losses fall.
describe("the CNN example (examples/cnn)", () => {
  test("its gradient agrees with central differences in float64", async () => {
    const { loadModel, initCnn } = await import("../examples/cnn/train");
    const model = await loadModel();
    const rng = new Rng(4);
    const p = Object.fromEntries(Object.entries(initCnn(rng)).map(([k, t]) => [k, t.astype("float64")])) as ReturnType<typeof initCnn>;
    p.bias1 = randn([16], { rng, dtype: "float64", std: 0.1 });
    const x = randn([2, 28, 28, 1], { rng, dtype: "float64" });
    const labels = Int32Array.from([3, 7]);
    const [, g] = model.lossAndGrad(p, x, labels, 5);
    const h = 1e-5;
    for (const key of ["conv1", "bias1", "conv2", "dense", "out"] as const) {
      const data = p[key].data;
      for (const i of [0, Math.floor(data.length / 3), data.length - 1]) {
        const keep = data[i]!;
        data[i] = keep + h;
        const up = model.lossAndGrad(p, x, labels, 5)[0];
        data[i] = keep - h;
        const down = model.lossAndGrad(p, x, labels, 5)[0];
        data[i] = keep;
        expect(g[key].data[i]).toBeCloseTo((up - down) / (2 * h), 6);
      }
    }
  });

  test("a few steps on 192 digits lower the loss", async () => {
    const { train } = await import("../examples/cnn/train");
    const r = await train({ epochs: 3, batch: 64, lr: 2e-3, seed: 1, limit: 192, tested: 200, quiet: true });
    expect(r.epochs[2]).toBeLessThan(r.epochs[0]! * 0.9);
    expect(r.accuracy).toBeGreaterThan(0.3);
  });
});

describe("the transformer example (examples/transformer)", () => {
  test("60 steps of sequence reversal lower the loss", async () => {
    const { train } = await import("../examples/transformer/train");
    const r = await train({ steps: 60, batch: 32, lr: 3e-3, seed: 1, blocks: 2, quiet: true });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(r.losses.slice(-10))).toBeLessThan(mean(r.losses.slice(0, 10)) - 0.4);
  });
});
