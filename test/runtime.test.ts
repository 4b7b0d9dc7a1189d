// The runtime side of the operators: the error without the transformer, the registry that
// `@grad` fills, and checkGrad.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { checkGrad, checkGradient, grad, registerDerivatives, valueAndGrad, vjp } from "../runtime";
import { loadCompiled, loadSource } from "./support/load";

const seed = (x1: number, x2: number) => x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
// Hand-derived: ∂f/∂x1 = e(1 − x1²), ∂f/∂x2 = −x1·x2·e with e = exp(−½(x1² + x2²)).
const seedGradient = (x1: number, x2: number): [number, number] => {
  const e = Math.exp(-0.5 * (x1 * x1 + x2 * x2));
  return [e * (1 - x1 * x1), -x1 * x2 * e];
};

describe("without the transformer", () => {
  test.each([
    ["grad", () => grad(seed)],
    ["valueAndGrad", () => valueAndGrad(seed)],
    ["vjp", () => vjp(seed)],
  ])("%s throws one error that names the fix", (operator, call) => {
    expect(call).toThrow(`adc: ${operator}(seed) was not compiled`);
    expect(call).toThrow('{ "transform": "adc/transformer", "transformProgram": true }');
  });

  test("@grad as a decorator throws too", () => {
    const context = { kind: "method", name: "loss" } as unknown as ClassMethodDecoratorContext;
    expect(() => grad(seed, context)).toThrow("adc: @grad(seed) was not compiled");
  });
});

describe("registered derivatives (what @grad generates)", () => {
  const f = (x1: number, x2: number) => seed(x1, x2);
  registerDerivatives(f, { params: ["x1", "x2"], valueAndGrad: (x1, x2) => [seed(x1, x2), seedGradient(x1, x2)] });

  test("grad and valueAndGrad, with wrt by name and index", () => {
    expect(grad(f)(2, 0.5)).toEqual(seedGradient(2, 0.5));
    expect(grad(f, { wrt: "x2" })(2, 0.5)).toBe(seedGradient(2, 0.5)[1]);
    expect(grad(f, { wrt: [1, 0] })(2, 0.5)).toEqual(seedGradient(2, 0.5).reverse());
    expect(valueAndGrad(f)(2, 0.5)).toEqual([seed(2, 0.5), seedGradient(2, 0.5)]);
    expect(() => grad(f, { wrt: "x3" })).toThrow('adc: no parameter "x3"');
  });

  test("vjp's pullback scales the gradient by the seed", () => {
    const [value, pullback] = vjp(f)(2, 0.5);
    expect(value).toBe(seed(2, 0.5));
    expect(pullback(3)).toEqual(seedGradient(2, 0.5).map((g) => 3 * g));
  });

  test("a compiled @grad method is found by the runtime grad", () => {
    const { Model } = loadCompiled(path.resolve(__dirname, "../fixtures/decorator.ts"));
    const [w, b] = [0.7, -0.2];
    const result = checkGradient(Model.loss, grad(Model.loss)(w, b), [w, b]);
    expect(result.ok).toBe(true);
  });
});

describe("registered derivatives of a method that reads this", () => {
  test("the runtime grad of the prototype's method takes the instance as the this it is called with", () => {
    const { Model, cases } = loadCompiled(path.resolve(__dirname, "../fixtures/method-fields.ts"));
    const model = new Model();
    model.slope = 3;
    const [w, b] = [0.7, -0.2];
    const byRuntime = grad(Model.prototype.loss).call(model, w, b);
    expect(checkGradient((x: number, y: number) => model.loss(x, y), byRuntime, [w, b]).ok).toBe(true);
    // Hand-derived: e = w·slope + b + offset; ∂/∂w = 2e·slope + 2·decay·w, ∂/∂b = 2e.
    const e = w * 3 + b - 1;
    expect(byRuntime[0]).toBeCloseTo(2 * e * 3 + 2 * 0.1 * w, 14);
    expect(byRuntime[1]).toBeCloseTo(2 * e, 14);
    const [value, gb] = valueAndGrad(Model.prototype.loss, { wrt: "b" }).call(model, w, b);
    expect([value, gb]).toEqual([model.loss(w, b), byRuntime[1]]);
    const [, pullback] = vjp(Model.prototype.loss).call(model, w, b);
    expect(pullback(2)).toEqual(byRuntime.map((g: number) => 2 * g));
    // The compiled grad(model.loss) of the fixture is bound to its own instance.
    expect(cases[0].grad(w, b)).toEqual(grad(Model.prototype.loss).call(cases[0].receiver, w, b));
  });
});

describe("checkGrad and checkGradient", () => {
  test("checkGrad(f, args) as users write it checks adc's own gradient", () => {
    const { report, f } = loadSource(
      `import { checkGrad } from "adc";\n` +
        `export function f(x: number, y: number): number { return Math.sin(x) * y + x * x; }\n` +
        `export const report = checkGrad(f, [0.7, -1.2]);\n`,
    );
    expect(report.ok).toBe(true);
    expect(report.maxError).toBeLessThan(1e-8);
    // Hand-derived: ∂f/∂x = cos(x)·y + 2x, ∂f/∂y = sin(x).
    const expected = [Math.cos(0.7) * -1.2 + 2 * 0.7, Math.sin(0.7)];
    report.analytic.forEach((g: number, i: number) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-15));
    expect(f(0.7, -1.2)).toBe(Math.sin(0.7) * -1.2 + 0.7 * 0.7);
  });

  test("checkGrad without the transformer throws the not-compiled error", () => {
    expect(() => checkGrad(seed, [2, 0.5])).toThrow("adc: checkGrad(seed) was not compiled");
  });

  test("accepts the exact gradient and reports a tiny error", () => {
    const r = checkGradient(seed, seedGradient(2, 0.5), [2, 0.5]);
    expect(r.ok).toBe(true);
    expect(r.maxError).toBeLessThan(1e-8);
  });

  test("rejects a wrong gradient", () => {
    const [a, b] = seedGradient(2, 0.5);
    const r = checkGradient(seed, [a, b * 1.001], [2, 0.5]);
    expect(r.ok).toBe(false);
    expect(r.maxError).toBeGreaterThan(1e-5);
  });

  test("a NaN gradient is an infinite error", () => {
    expect(checkGradient(seed, [NaN, 0], [2, 0.5]).maxError).toBe(Infinity);
  });

  test("a gradient function is called at the arguments", () => {
    expect(checkGradient(seed, seedGradient, [2, 0.5]).ok).toBe(true);
  });
});
