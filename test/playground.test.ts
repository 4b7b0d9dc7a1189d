// The playground (playground/) in headless Chromium: adc compiled for the browser compiles, runs
// and draws the seed in the page. Debian's chromium driven by playwright-core (never a downloaded
// browser); skipped when /usr/bin/chromium is absent, except under .ci/run, which installs it and
// sets ADC_REQUIRE_CHROMIUM. ADC_SCREENSHOT=1 rewrites docs/playground.png, README's picture.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);
if (!available && process.env.ADC_REQUIRE_CHROMIUM) throw new Error(`${executablePath} is missing, and ADC_REQUIRE_CHROMIUM is set`);
const title = available ? "playground in headless Chromium" : `playground in headless Chromium (skipped: no ${executablePath}; apt-get install -y chromium)`;

const seed = `function f(x1: number, x2: number): number {
  return x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
}
`;

describe.skipIf(!available)(title, () => {
  let server: Server;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    // @ts-expect-error: build.mjs and serve.mjs are plain JavaScript modules without declarations
    const { buildPlayground } = await import("../playground/build.mjs");
    // @ts-expect-error: as above
    const { serve } = await import("../playground/serve.mjs");
    await buildPlayground({ minify: false });
    server = await serve(0);
    userDataDir = mkdtempSync(path.join(os.tmpdir(), "adc-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1400, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Waits until the page shows the answer to its latest edit. */
  const settled = () => page.waitForSelector("body[data-state=ready]", { timeout: 60_000 });
  const cell = (param: string, column: string) => page.locator(`#gradient tr[data-param="${param}"] td.${column}`).textContent();

  test("the seed at (2, 0.5): the gradient, central differences, the graph and the generated code", async () => {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await settled();
    // The page opens on Baydin's example at (2, 5): ∂f/∂x1 = 1/x1 + x2 = 5.5.
    expect(await cell("x1", "adc")).toBe("5.50000000000");

    await page.locator("#source").fill("");
    await page.locator("#source").pressSequentially(seed);
    await settled();
    await page.locator('#point input[name="x1"]').fill("2");
    await page.locator('#point input[name="x2"]').fill("0.5");
    await settled();
    expect(errors).toEqual([]);
    expect(await page.locator("#diagnostics").isHidden()).toBe(true);

    // ∇f(2, ½) = (−0.358298904800, −0.119432968267), by hand: (1 − x1²)·e, −x1·x2·e with e = exp(−17/8).
    const e = Math.exp(-17 / 8);
    expect((1 - 4) * e).toBeCloseTo(-0.3582989048, 12);
    expect(await cell("x1", "adc")).toBe("-0.358298904800");
    expect(await cell("x2", "adc")).toBe("-0.119432968267");
    expect(Number(await cell("x1", "numeric"))).toBeCloseTo(-0.3582989048, 8);
    expect(Number(await cell("x2", "numeric"))).toBeCloseTo(-0.119432968267, 8);
    expect(await page.locator("#check").textContent()).toMatch(/^checkGradient: ok \(max error /);

    // The graph: Graphviz's SVG, with the output's node at f = 0.238866 and x1's adjoint.
    const nodes = await page.locator("#graph svg g.node text").allTextContents();
    expect(nodes).toContain("u₆ = u₋₁ · u₅");
    expect(nodes).toContain("ū = -0.358299");
    expect(nodes).toContain("= 0.238866");

    const code = await page.locator("#code").textContent();
    expect(code).toContain("function f_grad(x1: number, x2: number): [number, number] {");
    expect(code).not.toContain("playground_grad"); // the marker the page appends is not shown

    const screenshot = process.env.ADC_SCREENSHOT ? path.resolve(__dirname, "../docs/playground.png") : path.join(userDataDir, "playground.png");
    await page.screenshot({ path: screenshot, fullPage: true });
  });

  test("a refusal is shown with its code and frame, and clears when the code is mended", async () => {
    await page.locator("#source").fill(`function f(x: number): number {\n  try { return x; } catch { return 0; }\n}\n`);
    await settled();
    const shown = await page.locator("#diagnostics").textContent();
    expect(shown).toContain("playground.ts(2,3): error ADC1005: try/catch cannot be differentiated");
    expect(shown).toContain("> 2 |   try { return x; } catch { return 0; }");
    await page.locator("#source").fill(`function f(x: number): number {\n  return x * x;\n}\n`);
    await settled();
    expect(await page.locator("#diagnostics").isHidden()).toBe(true);
    expect(await cell("x", "adc")).toBe("2.00000000000"); // d(x²)/dx at x = 1, the default point
  });
});

test("the page and its worker type-check (esbuild only strips their types)", () => {
  const tsc = path.resolve(__dirname, "../node_modules/typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", path.resolve(__dirname, "../playground")], { encoding: "utf8" });
  expect(run.stdout + run.stderr).toBe("");
  expect(run.status).toBe(0);
});
