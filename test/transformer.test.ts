// The ts-patch plugin: unit checks of its plumbing, then end to end — a small project
// (test/e2e) built with tspc and run with node. Needs `npm run build` first (the plugin and the
// runtime load from dist/, as they do from an installed package).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it, vi } from "vitest";
import adcProgramTransformer, { importsAdc } from "../compiler/transformer";

const root = path.resolve(__dirname, "..");

// Each case starts node and a TypeScript program: seconds each on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });
const e2e = path.join(root, "test", "e2e");
const tspc = path.join(root, "node_modules", ".bin", "tspc");

describe("importsAdc", () => {
  it.each([
    ['import { grad } from "adc";', true],
    ["import {grad} from 'adc'", true],
    ['import * as adc from "adc";', true],
    ['import "adc";', true],
    ['const adc = require("adc");', true],
    ['export { grad } from "adc";', true],
    ['import { x } from "adc-tools";', false],
    ['import { x } from "./adc";', false],
    ["const adc = 1; // no import", false],
  ])("%s → %s", (text, expected) => {
    expect(importsAdc(text)).toBe(expected);
  });
});

describe("program transformer plumbing", () => {
  it("returns the same program when no root file imports adc", () => {
    const program = ts.createProgram([path.join(e2e, "src", "helper.ts")], { strict: true, noEmit: true });
    expect(adcProgramTransformer(program, undefined, {}, { ts })).toBe(program);
  });
});

/** `npm install adc` in a user project links the package into node_modules; so do we. */
function linkPackage(): void {
  const link = path.join(e2e, "node_modules", "adc");
  try {
    if (fs.realpathSync(link) === fs.realpathSync(root)) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // missing: create it below
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
}

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("tspc with the adc plugin", () => {
  beforeAll(() => {
    for (const file of ["dist/compiler/transformer.js", "dist/runtime/index.js", "dist/runtime/index.d.ts"]) {
      if (!fs.existsSync(path.join(root, file))) {
        throw new Error(`${file} is missing: run \`npm run build\` before these tests`);
      }
    }
    linkPackage();
  });

  it("builds test/e2e, and the built program prints the seed's gradient", () => {
    fs.rmSync(path.join(e2e, "build"), { recursive: true, force: true });
    const build = run(tspc, ["-p", "test/e2e", "--pretty", "false"]);
    expect(build.output).toBe("");
    expect(build.status).toBe(0);

    const main = run(process.execPath, [path.join(e2e, "build", "main.js")]);
    expect(main.status).toBe(0);
    const [gradient, helper] = main.output.trim().split("\n").map((line) => JSON.parse(line) as unknown);
    expect(Array.isArray(gradient)).toBe(true);
    const [g1, g2] = gradient as number[];
    expect(Math.abs(g1 - -0.358298904800)).toBeLessThan(1e-12);
    expect(Math.abs(g2 - -0.119432968267)).toBeLessThan(1e-12);
    expect(helper).toBe(4); // the file without adc is emitted as usual
  });

  it("reports a refused construct as a tsc error on its line and exits non-zero", () => {
    const build = run(tspc, ["-p", "test/e2e/refused", "--pretty", "false"]);
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/test\/e2e\/refused\/src\/main\.ts\(5,3\): error TS\d+: ADC1005: /);
    expect(build.output).not.toContain("internal error");
  });
});
