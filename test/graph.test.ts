// `adc graph`: the seed's evaluation trace as DOT and SVG, with values, tangents and adjoints that
// the tool computes, checked against the known values of the seed and Baydin examples and against
// central differences; loops unrolled at a point (hand values, central differences of the values
// shown, the cap) and drawn as clusters without one.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { graphOfFile } from "../compiler";
import { evaluate } from "../compiler/graph/evaluate";
import { formatNumber } from "../compiler/graph/format";
import { adjoints, tangents } from "../compiler/graph/sweeps";
import { GraphRequestError, lowerForGraph, renderSvg, type PointValue } from "../compiler/graph";
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
  const forward = trace.output.kind === "node" ? tangents(trace).get(trace.output)! : at.map(() => 0);
  const reverse = adjoints(trace);
  return {
    value: trace.output.x as number,
    forward,
    reverse: trace.inputs.map((input) => reverse.get(input) ?? 0),
    at: (x: number[]) => evaluate(func, x, functions).output.x as number,
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
    ["loop-overwrite", "repeatedSquare", [[1.1, 3.5], [-1.05, 2.5]]], // n off the integers, as for p
    ["loop-overwrite", "decay", [[2, 0.3, 10.5], [-1, 0.1, 1.5]]],
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

  test("a loop unrolled: weighted at x = [0.3, −1.2], w = [1, 0.5], the picture README shows", async () => {
    const { dot } = graphOfFile(fixture("loop-sum"), { fn: "weighted", at: [[0.3, -1.2], [1, 0.5]] });
    const svg = await renderSvg(dot!);
    const nodes = svgNodes(svg);
    // ∂(s²)/∂x₀ = 2s·cos(x₀)·w₀ with s = sin(0.3) + 0.5·sin(−1.2)
    const s = Math.sin(0.3) + 0.5 * Math.sin(-1.2);
    expect(nodes.get("u-1[0]")).toEqual(["u₋₁[0] = x[0]", "= 0.3", `ū = ${formatNumber(2 * s * Math.cos(0.3))}`]);
    expect(nodes.get("u9@2")).toEqual(["u₉⁽²⁾ (s) = u₉⁽¹⁾ + u₈⁽²⁾", `= ${formatNumber(s)}`, `ū = ${formatNumber(2 * s)}`]);
    await expect(svg).toMatchFileSnapshot("../docs/loop-graph.svg");
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

/** loop-overwrite's decay, written out here: y ← y − rate·sin(y), `steps` times. */
function decayByHand(x: number, rate: number, steps: number): number {
  let y = x;
  for (let k = 0; k < steps; k++) y -= rate * Math.sin(y);
  return y;
}

/** Each DOT node's label lines, by node id. */
function dotLabels(dot: string): Map<string, string[]> {
  const labels = new Map<string, string[]>();
  for (const [, id, label] of dot.matchAll(/^\s*"([^"]+)" \[label="((?:[^"\\]|\\.)*)"/gm)) labels.set(id, label.split("\\n"));
  return labels;
}

/** The number a label line shows after `prefix` (`ū = `, `= `). */
function shown(lines: readonly string[] | undefined, prefix: string): number {
  const line = lines?.find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`no line '${prefix}…' in ${JSON.stringify(lines)}`);
  return Number(line.slice(prefix.length));
}

/** The point with the element at `path` (`[1, "w", 0]`: parameter 1, field w, element 0) moved by h. */
function shift(point: readonly PointValue[], path: readonly (number | string)[], h: number): PointValue[] {
  const copy = structuredClone(point) as PointValue[];
  let holder = copy as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  holder[path[path.length - 1]] = (holder[path[path.length - 1]] as number) + h;
  return copy;
}

/** The path of a source name such as `m.w[0]`, given the parameter names. */
function sourcePath(name: string, params: readonly string[]): (number | string)[] {
  const [, param, rest] = /^([A-Za-z_$][\w$]*)(.*)$/.exec(name)!;
  const keys = [...rest.matchAll(/\[(\d+)\]|\.([A-Za-z_$][\w$]*)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]));
  return [params.indexOf(param), ...keys];
}

describe("loops and arrays at a point: unrolled", () => {
  test("a = a · a three times at a = 1.1: one cluster per iteration, the test that ends the loop, hand values", () => {
    const { dot } = graphOfFile(fixture("loop-overwrite"), { fn: "repeatedSquare", at: [1.1, 3] });
    const labels = dotLabels(dot!);
    for (const k of [1, 2, 3]) expect(dot).toContain(`label="loop at line 6, iteration ${k}"`);
    expect(dot).toContain('label="loop at line 6: the test that ends it"');
    expect(dot).not.toContain("iteration 4");
    // After iteration k, a = 1.1^(2^k); its adjoint is d(a₃)/d(aₖ) = 2^(3−k) · aₖ^(2^(3−k) − 1).
    for (const k of [1, 2, 3]) {
      const value = 1.1 ** (2 ** k);
      const adjoint = 2 ** (3 - k) * value ** (2 ** (3 - k) - 1);
      const lines = labels.get(`u4@${k}`)!;
      expect(lines[0]).toMatch(new RegExp(`^u₄⁽${"¹²³"[k - 1]}⁾ \\(a\\) = `));
      expect(close(shown(lines, "= "), value, 1e-5), `a after iteration ${k}`).toBe(true);
      expect(close(shown(lines, "ū = "), adjoint, 1e-5), `ā after iteration ${k}`).toBe(true);
    }
    expect(close(shown(labels.get("u-1"), "ū = "), 8 * 1.1 ** 7, 1e-5)).toBe(true); // d(a⁸)/da
    expect(shown(labels.get("u0"), "ū = ")).toBe(0); // n only counts
  });

  const cases: [string, string, PointValue[]][] = [
    ["loop-sum", "weighted", [[0.3, -1.2, 2], [1, 0.5, -2]]],
    ["loop-sum", "sumOfSquares", [[1, -2, 0.5], 2.5]], // counts off the integers: no jump there
    ["for-of", "rowNorms", [[[1, 2], [0.5, -1.5], [3, 0.25]]]],
    ["array-calls", "loss", [{ w: [0.3, -0.2], b: 0.1 }, [1, 2], 0.4, [[1, 2], [0.5, -1.5]]]],
    ["loop-overwrite", "decay", [2, 0.3, 4.5]],
    ["array-push", "hiddenStates", [[0.5, -1, 2], 0.7, 0.3]], // a local array that grows
    ["array-push", "collectKept", [[0.5, -1, 2], 0.3]],
    ["array-push", "perRow", [[[1, 2], [0.5, -1]], 0.3]],
    ["callback-combinations", "capturedAccumulator", [[[1, 2], [0.5, -1]], 0.3]],
  ];
  test.each(cases)("%s: %s, reverse mode: each input's adjoint shown is its central difference", (name, fn, at) => {
    const { func, functions } = lowered(name, fn);
    const params = func.params.map((p) => p.name);
    const dot = graphOfFile(fixture(name), { fn, at }).dot!;
    const labels = dotLabels(dot);
    const output = (point: PointValue[]) => evaluate(func, point, functions).output.x as number;
    let checked = 0;
    const inputs = new Set([...dot.matchAll(/^\s*"([^"]+)" \[.*, shape=ellipse\];$/gm)].map((m) => m[1]));
    for (const [id, lines] of labels) {
      // Inputs are the ellipses named after the parameter they are: `u₋₃.w[0] = m.w[0]`.
      const input = /^\S+ = (\S+)$/.exec(lines[0]);
      if (!inputs.has(id) || !input) continue;
      const path = sourcePath(input[1], params);
      if (typeof path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], at) !== "number") continue;
      if (func.params[path[0] as number].value.type.kind === "int") continue;
      const h = 1e-6;
      const numeric = (output(shift(at, path, h)) - output(shift(at, path, -h))) / (2 * h);
      const adjoint = shown(lines, "ū = ");
      expect(close(adjoint, numeric, 1e-5), `∂${fn}/∂${input[1]}: shown ${adjoint}, numeric ${numeric}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(1);
  });

  test("forward mode: the output's tangents are the gradient, one per input element", () => {
    const at = [[0.3, -1.2], [1, 0.5]];
    const { dot } = graphOfFile(fixture("loop-sum"), { fn: "weighted", at, mode: "forward" });
    const line = dotLabels(dot!).get("output")!.find((l) => l.startsWith("ẏ = "))!;
    const tangents = line.slice("ẏ = (".length, -1).split(", ").map(Number);
    // f = s², s = Σ sin(xᵢ)·wᵢ: ∂f/∂xᵢ = 2s·cos(xᵢ)·wᵢ, ∂f/∂wᵢ = 2s·sin(xᵢ).
    const [x, w] = at;
    const s = Math.sin(x[0]) * w[0] + Math.sin(x[1]) * w[1];
    const gradient = [...x.map((xi, i) => 2 * s * Math.cos(xi) * w[i]), ...x.map((xi) => 2 * s * Math.sin(xi))];
    expect(tangents).toHaveLength(4);
    tangents.forEach((t, i) => expect(close(t, gradient[i], 1e-5), `tangent ${i}: ${t} vs ${gradient[i]}`).toBe(true));
  });

  test("past the cap, a request error says how big the trace is and what to do", () => {
    expect(() => graphOfFile(fixture("loop-overwrite"), { fn: "repeatedSquare", at: [1.1, 400] })).toThrow(
      new GraphRequestError(
        "the trace of repeatedSquare at this point has 1203 nodes, more than the 500 adc graph draws: " +
          "choose a point where its loops run fewer times, raise --max-nodes, or leave out --at to draw the loops as clusters",
      ),
    );
    const { dot } = graphOfFile(fixture("loop-overwrite"), { fn: "repeatedSquare", at: [1.1, 400], maxNodes: 1203 });
    expect(dot).toContain('label="loop at line 6, iteration 400"');
  });

  test("a loop that runs on and on stops at the evaluation budget, with a request error", () => {
    const { func, functions } = lowered("loop-overwrite", "decay");
    // Five operations an iteration (k < steps, sin(y), rate·…, y − …, k + 1): 1000 iterations are far past a budget of 1000.
    expect(() => evaluate(func, [2, 0.3, 1000], functions, 1000)).toThrow(
      new GraphRequestError("evaluating 'decay' at this point takes more than 1000 operations (a loop that does not end?)"),
    );
    expect(evaluate(func, [2, 0.3, 10], functions, 1000).output.x).toBeCloseTo(decayByHand(2, 0.3, 10), 12);
  });

  test("a point of the wrong shape is a request error naming the element", () => {
    expect(() => graphOfFile(fixture("array-calls"), { fn: "loss", at: [{ w: [0.3, "a" as unknown as number], b: 0.1 }, [1, 2], 0.4, [[1]]] })).toThrow(
      new GraphRequestError("--at: m.w[1] should be a number, not a"),
    );
    expect(() => graphOfFile(fixture("loop-sum"), { fn: "weighted", at: [1, [2]] })).toThrow(
      new GraphRequestError("--at: x should be an array, e.g. [1, 2, 3], not 1"),
    );
  });
});

describe("loops without a point: clusters", () => {
  test("a loop is a cluster with its carried values, its test and its body", async () => {
    const { dot } = graphOfFile(fixture("loop-sum"), { fn: "weighted" });
    const labels = dotLabels(dot!);
    expect(labels.get("u1")).toEqual(["u₁ (i) = 0, then u₁₀"]);
    expect(labels.get("u2")).toEqual(["u₂ (s) = 0, then u₉"]);
    expect(labels.get("u5")).toEqual(["u₅ = u₋₁[u₁]"]);
    expect(dot).toContain('subgraph "cluster_u1_test"');
    expect(dot).toContain('subgraph "cluster_u1_body"');
    await expect(dot).toMatchFileSnapshot("graph-fixtures/loop-sum.dot");
  });
});
