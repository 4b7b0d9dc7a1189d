// adc's bundler plugins in real builds: test/e2e/src/main.ts bundled by Vite (an SSR build) and
// by esbuild, each with adc's plugin, run under Node, its printed gradients checked against
// central differences; a refused file fails each build with its ADC code and location. The
// plugins load from the build (dist/bundler) through the node_modules/adc link; `npm run build`
// first.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { linkPackage, requireBuild, root } from "./support/link";

const e2e = path.join(root, "test", "e2e");
const refused = path.join(e2e, "refused", "src", "main.ts");
const throws = path.join(e2e, "bundlers", "throws.ts");

/** Under node --enable-source-maps, the stack of an exception in generated code names the source lines. */
function expectMappedStack(bundle: string): void {
  const main = run(["--enable-source-maps", bundle]);
  expect(main.status).toBe(1);
  expect(Number(main.output.split("\n")[0])).toBeCloseTo(4 / (1 + Math.exp(-1)), 14);
  const frames = main.output.split("\n").filter((line) => line.startsWith("    at ")).slice(0, 4);
  expect(frames.map((line) => line.replace(/:(\d+):\d+\)$/, ":$1)").replace(/^ +at (Object\.)?/, ""))).toEqual([
    `softReverse (${throws}:9)`,
    `soft_pullback (${throws}:4)`, // the adapter adc generates for soft's rule: soft's declaration
    `f_grad (${throws}:16)`, // return 2 * soft(y)
    `<anonymous> (${throws}:20)`,
  ]);
}

function run(args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env, NO_COLOR: "1" } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const f = (x1: number, x2: number) => x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
const central = (g: (x: number) => number, x: number, h = 1e-6) => (g(x + h) - g(x - h)) / (2 * h);

/** test/e2e/src/main.ts prints ∇f(2, 0.5), helper(3) and [f, ∂f/∂x1, the Hessian]. */
function expectSeedOutput(output: string): void {
  const [gradient, helper, forward] = output.trim().split("\n").map((line) => JSON.parse(line) as unknown);
  const [g1, g2] = gradient as number[];
  expect(Math.abs(g1 - central((x) => f(x, 0.5), 2))).toBeLessThan(1e-8);
  expect(Math.abs(g2 - central((x) => f(2, x), 0.5))).toBeLessThan(1e-8);
  expect(helper).toBe(4);
  const [y, dy, h] = forward as [number, number, number[][]];
  expect(y).toBe(f(2, 0.5));
  expect(Math.abs(dy - g1)).toBeLessThan(1e-15);
  // The Hessian's first row: differences of the gradient, here of ∂f/∂x1 along x1 and x2.
  const d1 = (x1: number, x2: number) => central((x) => f(x, x2), x1, 1e-5);
  expect(Math.abs(h[0][0] - central((x) => d1(x, 0.5), 2, 1e-4))).toBeLessThan(1e-5);
  expect(Math.abs(h[0][1] - central((x) => d1(2, x), 0.5, 1e-4))).toBeLessThan(1e-5);
}

beforeAll(() => {
  requireBuild("dist/bundler/vite.js", "dist/bundler/esbuild.js", "dist/runtime/index.js");
  linkPackage(e2e);
});

const vite = [path.join(root, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "test/e2e/bundlers/vite.config.mts"];
const esbuild = [path.join(e2e, "bundlers", "esbuild.mjs")];

describe("adc/vite", () => {
  it("builds the e2e app; the bundle prints the seed's gradient", () => {
    const build = run(vite);
    expect(build.output).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    const main = run([path.join(e2e, "build", "vite", "main.mjs")]);
    expect(main.status).toBe(0);
    expectSeedOutput(main.output);
  });

  it("maps an exception inside generated code back to the marked function's line", () => {
    expect(run(vite, { ADC_E2E_ENTRY: throws }).status).toBe(0);
    expectMappedStack(path.join(e2e, "build", "vite", "main.mjs"));
  });

  it("fails the build on a refused file with its ADC code, file, line and column", () => {
    const build = run(vite, { ADC_E2E_ENTRY: refused });
    expect(build.status).not.toBe(0);
    expect(build.output).toContain("test/e2e/refused/src/main.ts(5,3): error ADC1005: try/catch cannot be differentiated");
    expect(build.output).toMatch(/test\/e2e\/refused\/src\/main\.ts:5:\d/);
  });
});

describe("adc/esbuild", () => {
  it("bundles the e2e app; the bundle prints the seed's gradient", () => {
    const build = run(esbuild);
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    const main = run([path.join(e2e, "build", "esbuild", "main.js")]);
    expect(main.status).toBe(0);
    expectSeedOutput(main.output);
  });

  it("maps an exception inside generated code back to the marked function's line", () => {
    expect(run([...esbuild, throws]).status).toBe(0);
    expectMappedStack(path.join(e2e, "build", "esbuild", "main.js"));
  });

  it("fails the bundle on a refused file with its ADC code, file, line and column", () => {
    const build = run([...esbuild, refused]);
    expect(build.status).toBe(1);
    expect(build.output).toMatch(/^test\/e2e\/refused\/src\/main\.ts:5:2: error: .*ADC1005: try\/catch cannot be differentiated/m);
  });
});
