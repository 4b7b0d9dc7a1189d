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
