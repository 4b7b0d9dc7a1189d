// Reproductions of bugs found in review, each checked numerically (hand derivation or central
// differences) so the fix stays fixed.
import * as path from "node:path";
import { expect, test } from "vitest";
import { checkGradient } from "../runtime/check";
import { loadSource } from "./support/load";

const file = path.resolve(__dirname, "regression-fixtures/input.ts");

test("a module constant used on both sides of an expression is not mistaken for a cycle", () => {
  const m = loadSource(
    `import { grad } from "adc";\nconst S = 3;\nconst K = S * S - S;\n` +
      `export function f(x: number): number { return K * x * x; }\nexport const g = grad(f);\n`,
    file,
  );
  expect(m.g(0.5)).toBe(2 * 6 * 0.5);
});

test("code after a differentiated function on the same line is kept", () => {
  const m = loadSource(
    `import { grad } from "adc";\nexport let counter = 0;\n` +
      `export function f(x: number): number { return x * x; } counter += 1;\nexport const g = grad(f);\n`,
    file,
  );
  expect(m.counter).toBe(1);
  expect(m.g(3)).toBe(6);
});

test("a line separator in a source comment cannot end the generated line comment early", () => {
  const m = loadSource(
    `import { grad } from "adc";\n` +
      `export function f(x: number): number {\n  let a = x * x; /*\u2028 a = a * 100; */\n  return a;\n}\nexport const g = grad(f);\n`,
    file,
  );
  expect(m.g(2)).toBe(4);
});

test("a parameter named like an imported callee does not shadow it in generated code", () => {
  const m = loadSource(
    `import { grad } from "adc";\nimport * as H from "./ops";\n` +
      `export function f(x: number, sq: number): number { return H.sq(x) * sq; }\nexport const g = grad(f);\n`,
    file,
  );
  // ∂/∂x = 2x·sq, ∂/∂sq = x².
  expect(m.g(0.7, -1.3)).toEqual([2 * 0.7 * -1.3, 0.7 * 0.7]);
});

test("a parameter named like a generated pullback does not shadow it", () => {
  const m = loadSource(
    `import { grad } from "adc";\nfunction h(a: number): number { return Math.sin(a); }\n` +
      `export function f(x: number, h_pullback_a: number): number { return h(x) * h_pullback_a; }\nexport const g = grad(f);\n`,
    file,
  );
  const result = checkGradient(m.f, m.g, [0.4, 1.7]);
  expect(result.ok).toBe(true);
});

test("the Hessian (forward over reverse) through a literal array written with varied numbers", () => {
  // s = x0⁴ + x1²·x0², so H = [[12x0² + 2x1², 4x0x1], [4x0x1, 2x0²]] (by hand). Forward mode lost
  // the tangents stored into `[0, 0]` (its literal of constants had no tangent memory).
  const m = loadSource(
    `import { hessian } from "adc";\n` +
      `export function f(x0: number, x1: number): number {\n  const a = [0, 0];\n  a[0] = x0 * x0;\n  a[1] = x1 * x0;\n  return a[0] * a[0] + a[1] * a[1];\n}\nexport const h = hessian(f);\n`,
    file,
  );
  const [x0, x1] = [0.7, 1.3];
  const expected = [[12 * x0 * x0 + 2 * x1 * x1, 4 * x0 * x1], [4 * x0 * x1, 2 * x0 * x0]];
  const got = m.h(x0, x1) as number[][];
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 12)));
});
