// `adc graph`: the seed's evaluation trace as DOT and SVG, with values, tangents and adjoints that
// the tool computes, checked against the known values of the seed and Baydin examples and against
// central differences.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { graphOfFile } from "../compiler";
import { adjoints, evaluate, tangents } from "../compiler/graph/evaluate";
import { GraphRequestError, lowerForGraph, renderSvg } from "../compiler/graph";
import { createProgram } from "../compiler/program";

const fixture = (name: string) => path.resolve(__dirname, "../fixtures", `${name}.ts`);

function lowered(name: string, fn: string) {
  const program = createProgram(fixture(name));
  const result = lowerForGraph(program.getTypeChecker(), program.getSourceFile(fixture(name))!, fn);
  expect(result.diagnostics).toEqual([]);
  return { func: result.func!, functions: result.functions };
}

/** The value, forward tangents (one per direction eᵢ) and reverse adjoints of the inputs at a point. */
function derivatives(name: string, fn: string, at: number[]) {
  const { func, functions } = lowered(name, fn);
  const trace = evaluate(func, at, functions);
  const forward = tangents(trace).get(trace.output)!;
  const reverse = adjoints(trace);
  return {
    value: trace.values.get(trace.output) as number,
    forward,
    reverse: func.params.map((p) => reverse.get(p.value) ?? 0),
    at: (x: number[]) => evaluate(func, x, functions).values.get(func.body.yields[0]) as number,
  };
}

const close = (actual: number, expected: number, tolerance: number) =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));

describe("known values", () => {
  test("seed f(x) = x1·exp(−½(x1² + x2²)) at (2, ½)", () => {
    const d = derivatives("seed", "f", [2, 0.5]);
    expect(close(d.value, 0.238865936533, 1e-12)).toBe(true);
    const gradient = [-0.3582989048, -0.119432968267];
    d.reverse.forEach((g, i) => expect(close(g, gradient[i], 1e-11), `reverse ${i}: ${g}`).toBe(true));
    d.forward.forEach((g, i) => expect(close(g, gradient[i], 1e-11), `forward ${i}: ${g}`).toBe(true));
  });

  test("Baydin et al. f = ln x1 + x1·x2 − sin x2 at (2, 5)", () => {
    const d = derivatives("baydin", "f", [2, 5]);
    expect(close(d.value, 11.6520714552, 1e-11)).toBe(true);
    const gradient = [5.5, 1.71633781454];
    d.reverse.forEach((g, i) => expect(close(g, gradient[i], 1e-11), `reverse ${i}: ${g}`).toBe(true));
    d.forward.forEach((g, i) => expect(close(g, gradient[i], 1e-11), `forward ${i}: ${g}`).toBe(true));
  });
});

describe("forward = reverse = central differences, through branches and calls", () => {
  const cases: [string, string, number[][]][] = [
    ["call-chain", "f", [[0.7, 1.3], [-1.2, 0.5]]],
    ["call-chain", "twice", [[0.7, 1.3], [-1.2, 0.5]]],
    ["early-return", "guard", [[-1], [1.5]]],
    ["early-return", "nestedReturns", [[2, 1], [1, 3], [0.5, 1], [-3, 1], [-1, -1]]],
    ["recursion", "p", [[1.3, 3.5], [0.7, 5.5]]], // n off the integers: ∂/∂n is 0 there, not a jump
    ["recursion", "ping", [[1.3, 3.5], [0.7, 4.5]]],
    ["ternary", "nested", [[0.7, 1.3], [-1.2, 0.5]]],
    ["conditions", "logical", [[0.7, 1.3], [-1.2, 0.5]]],
    ["math-trig", "polar", [[0.7, 1.3]]],
    ["sigmoid", "neuron", [[0.3, -0.2, 0.1, 1.5, 2]]],
  ];
  test.each(cases)("%s: %s", (name, fn, points) => {
    for (const x of points) {
      const d = derivatives(name, fn, x);
      const h = 1e-6;
      x.forEach((_, i) => {
        const shifted = (s: number) => d.at(x.map((v, j) => (j === i ? v + s : v)));
        const numeric = (shifted(h) - shifted(-h)) / (2 * h);
        const where = `${fn}(${x}) ∂/∂x${i}`;
        expect(close(d.forward[i], d.reverse[i], 1e-12), `${where}: forward ${d.forward[i]} reverse ${d.reverse[i]}`).toBe(true);
        expect(close(d.reverse[i], numeric, 1e-6), `${where}: reverse ${d.reverse[i]} numeric ${numeric}`).toBe(true);
      });
    }
  });
});

describe("DOT", () => {
  test("the seed at (2, ½) in reverse mode matches the snapshot", async () => {
    const { dot, diagnostics } = graphOfFile(fixture("seed"), { fn: "f", at: [2, 0.5], mode: "reverse" });
    expect(diagnostics).toEqual([]);
    await expect(dot).toMatchFileSnapshot("graph-fixtures/seed.dot");
  });

  test("without a point, each branch of an if is a cluster", async () => {
    const { dot } = graphOfFile(fixture("early-return"), { fn: "nestedReturns" });
    expect(dot).toContain('subgraph "cluster_u3_then"');
    expect(dot).toContain('subgraph "cluster_u3_else"');
    await expect(dot).toMatchFileSnapshot("graph-fixtures/early-return.dot");
  });

  test("with a point, only the branches taken are drawn", () => {
    const { dot } = graphOfFile(fixture("early-return"), { fn: "nestedReturns", at: [1, 3] });
    expect(dot).toContain('subgraph "cluster_u3_then"');
    expect(dot).not.toContain('subgraph "cluster_u3_else"');
    expect(dot).toContain('"u10" [label="u₁₀ = log(u₇)\\n= 2.48491\\nū = 1"]');
  });

  test("a call is one node", () => {
    const { dot } = graphOfFile(fixture("call-chain"), { fn: "f" });
    expect(dot).toContain('"u1" [label="u₁ = g(u₋₁, u₀)"]');
  });

  test("unknown functions and points of the wrong arity are request errors", () => {
    expect(() => graphOfFile(fixture("seed"), { fn: "g" })).toThrow(new GraphRequestError("no function 'g' in seed.ts (its functions: f)"));
    expect(() => graphOfFile(fixture("seed"), { fn: "f", at: [1] })).toThrow(new GraphRequestError("--at gives 1 value but f takes 2 (x1, x2)"));
    expect(() => graphOfFile(fixture("loop-overwrite"), { fn: "repeatedSquare" })).toThrow(
      new GraphRequestError("adc graph draws scalar code (branches and calls); 'repeatedSquare' has a loop"),
    );
    expect(() => graphOfFile(fixture("loop-sum"), { fn: "weighted" })).toThrow(
      new GraphRequestError("adc graph draws scalar code (branches and calls); 'weighted' takes arrays or objects"),
    );
  });
});

/** The text lines of each node of an SVG Graphviz drew, by node name. */
function svgNodes(svg: string): Map<string, string[]> {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
  const nodes = new Map<string, string[]>();
  for (const [, body] of svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)) {
    const title = decode(/<title>(.*?)<\/title>/.exec(body)![1]);
    nodes.set(title, [...body.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => decode(m[1])));
  }
  return nodes;
}

describe("SVG", () => {
  test("the seed at (2, ½), reverse mode: the nodes, f = 0.238866 and the inputs' adjoints", async () => {
    const { dot } = graphOfFile(fixture("seed"), { fn: "f", at: [2, 0.5], mode: "reverse" });
    const svg = await renderSvg(dot!);
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    const nodes = svgNodes(svg);
    expect([...nodes.keys()].sort()).toEqual(["output", "u-1", "u0", "u1", "u2", "u3", "u4", "u5", "u6"]);
    expect(nodes.get("u-1")).toEqual(["u₋₁ = x1", "= 2", "ū = -0.358299"]);
    expect(nodes.get("u0")).toEqual(["u₀ = x2", "= 0.5", "ū = -0.119433"]);
    expect(nodes.get("u5")).toEqual(["u₅ = exp(u₄)", "= 0.119433", "ū = 2"]);
    expect(nodes.get("u6")).toEqual(["u₆ = u₋₁ · u₅", "= 0.238866", "ū = 1"]);
    expect(nodes.get("output")).toEqual(["f(x1, x2)", "= 0.238866", "ȳ = 1"]);
    // The README shows this picture: it stays what `adc graph` draws.
    await expect(svg).toMatchFileSnapshot("../docs/seed-graph.svg");
  });

  test("forward mode: the same values, and the output's tangents are the gradient", async () => {
    const { dot } = graphOfFile(fixture("seed"), { fn: "f", at: [2, 0.5], mode: "forward" });
    const nodes = svgNodes(await renderSvg(dot!));
    expect(nodes.get("u-1")).toEqual(["u₋₁ = x1", "= 2", "u̇ = (1, 0)"]);
    expect(nodes.get("u0")).toEqual(["u₀ = x2", "= 0.5", "u̇ = (0, 1)"]);
    expect(nodes.get("u6")).toEqual(["u₆ = u₋₁ · u₅", "= 0.238866", "u̇ = (-0.358299, -0.119433)"]);
    expect(nodes.get("output")).toEqual(["f(x1, x2)", "= 0.238866", "ẏ = (-0.358299, -0.119433)"]);
  });
});
