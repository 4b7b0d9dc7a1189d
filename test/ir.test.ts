// The IR as text: for the seed function it reads as the classic evaluation trace.
import * as path from "node:path";
import { expect, test } from "vitest";
import { irOfFile } from "../compiler";

test("the seed function lowers to the trace u₋₁, u₀, u₁ … u₆", () => {
  const { text, diagnostics } = irOfFile(path.resolve(__dirname, "../fixtures/seed.ts"));
  expect(diagnostics).toEqual([]);
  const primal = text.split("\n\n")[0].split("\n").map((l) => l.replace(/\s+;.*$/, ""));
  expect(primal).toEqual([
    "func f(u-1 x1: f64, u0 x2: f64) {",
    "  u1 = mul u-1, u-1",
    "  u2 = mul u0, u0",
    "  u3 = add u1, u2",
    "  u4 = mul -0.5, u3",
    "  u5 = exp u4",
    "  u6 = mul u-1, u5",
    "  return u6",
    "}",
  ]);
});

test("branches print as regions with yields", () => {
  const { text } = irOfFile(path.resolve(__dirname, "../fixtures/early-return.ts"));
  expect(text).toMatch(/= if u\d+ \{/);
  expect(text).toMatch(/\} else \{/);
  expect(text).toMatch(/yield /);
});
