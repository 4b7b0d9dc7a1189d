// Closures over a variable assigned after the closure is made (issue 9): adc inlines a closure at
// each call, reading what it captures as it is at that moment, which is JavaScript's meaning. Each
// case here either compiles to that meaning — every derivative checked by the oracle against
// central differences of the untransformed primal, forward against reverse mode, the tape empty —
// or is refused with a located ADC1013. Never a wrong derivative. (The callbacks generator makes
// the supported forms at random: its `capture` step.)
import { describe, expect, test } from "vitest";
import { compileFast } from "./support/fast-compile";
import { MODULE_FILE, compileAndLoad } from "./support/campaign";
import { checkSubjects, emptyStats } from "./support/oracle";
import type { Subject } from "./support/subjects";

const HEAD = `import { grad, jvp, hvp } from "adc";\n`;
const TAIL = `\nexport const g = grad(f);\nexport const jg = jvp(f);\nexport const hg = hvp(f);\n`;
const subject: Subject = {
  f: "f",
  params: [{ k: "array", kind: 1, len: 3 }, { k: "num" }],
  results: 0,
  reverse: { name: "g", operator: "grad", wrt: [0, 1], bare: false, call: "grad(f)" },
  jvp: "jg",
  hvp: "hg",
};
const points = [[0.7, -1.3, 0.4, 1.1], [-0.2, 0.9, 1.6, -0.8], [1.2, 0.3, -0.6, 0.45]];

/** Compiled to JavaScript's meaning. */
const supported: Record<string, string> = {
  "assigned after the closure is made, then called": `
export function f(x: number[], p: number): number {
  let k = p;
  const g = (v: number) => v * k;
  k = Math.sin(x[0]);
  return g(x[1]) + k;
}`,
  "updated in the loop that calls it": `
export function f(x: number[], p: number): number {
  let k = p;
  const g = (v: number) => v * k;
  let s = 0;
  for (const v of x) {
    k = 0.5 * k + Math.tanh(v);
    s += g(v);
  }
  return s;
}`,
  "assigned by a forEach callback, read by a later map": `
export function f(x: number[], p: number): number {
  let k = p;
  x.forEach((v) => {
    k = 0.5 * k + v * v;
  });
  const m = x.map((v) => v * k);
  return m[0] + m[2];
}`,
  "a reducer bound before the assignment, passed by name": `
export function f(x: number[], p: number): number {
  let k = p;
  const add = (acc: number, v: number) => acc + v * k;
  k = x[2] * p;
  return x.reduce(add, 0);
}`,
  "a closure assigning what it captures, called in statements of their own": `
export function f(x: number[], p: number): number {
  let k = p;
  const bump = (v: number) => {
    k = 0.5 * k + Math.tanh(v * p);
    return k * v;
  };
  const a = bump(x[0]);
  const b = bump(x[1]);
  return a * b + k;
}`,
  "called where a loop variable and a callback parameter shadow what it captured": `
export function f(x: number[], p: number): number {
  let k = p;
  const g = (v: number) => v * k;
  k = x[1];
  let s = 0;
  for (const k of x) s += g(k) * 0.5 + k;
  const m = x.map((k) => g(k) - k);
  return s + m[0];
}`,
  "called inside a block that declares a name like the captured one": `
export function f(x: number[], p: number): number {
  const k = p * x[0];
  const g = (v: number) => v * k;
  {
    const k = 5;
    return g(x[2]) + k;
  }
}`,
  "a nested function declaration reading a variable assigned after it": `
export function f(x: number[], p: number): number {
  let k = 1;
  function g(v: number): number {
    return v * k + p;
  }
  k = x[0] * x[1];
  const a = g(x[2]);
  k = p;
  return a + g(x[0]);
}`,
};

/** Refused where it is: the code, and the line and column. */
const refused: Record<string, { source: string; code: number; at: string }> = {
  "a closure assigning what it captures, called in an arm of ?:": {
    source: `
export function f(x: number[], p: number): number {
  let k = p;
  const bump = (v: number) => {
    k += v;
    return k;
  };
  return p > 0 ? bump(x[0]) : k;
}`,
    code: 1013,
    at: "(9,18)",
  },
  "a closure bound with let (the function itself may change)": {
    source: `
export function f(x: number[], p: number): number {
  let g = (v: number) => v * p;
  g = (v: number) => v + p;
  return g(x[0]);
}`,
    code: 1013,
    at: "(4,7)",
  },
  "a closure used as a value (it could escape)": {
    source: `
export function f(x: number[], p: number): number {
  let k = p;
  const g = (v: number) => v * k;
  const fs = [g];
  k = x[0];
  return fs[0](x[1]);
}`,
    code: 1002,
    at: "(6,14)",
  },
};

describe("closures over a variable assigned after the closure is made", () => {
  test.each(Object.entries(supported))("%s: JavaScript's meaning, every derivative right", (_, body) => {
    const loaded = compileAndLoad(HEAD + body + TAIL);
    if ("verdict" in loaded) throw new Error(`${loaded.verdict.outcome}: ${loaded.verdict.message}`);
    const verdict = checkSubjects(loaded.module, [subject], () => points, emptyStats());
    expect(verdict.message ?? "", verdict.outcome).toBe("");
    expect(verdict.outcome).toBe("ok");
  });

  test.each(Object.entries(refused))("%s: refused where it is", (_, { source, code, at }) => {
    const result = compileFast(HEAD + source + TAIL, MODULE_FILE);
    expect(result.code).toBeUndefined();
    const shown = result.diagnostics.map((d) => `ADC${d.code} ${`(${d.line},${d.column})`}: ${d.message}`);
    expect(shown.length, shown.join("\n")).toBe(1);
    expect(shown[0].startsWith(`ADC${code} ${at}:`), shown[0]).toBe(true);
  });
});
