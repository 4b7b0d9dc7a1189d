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
