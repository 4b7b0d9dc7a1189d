// The ts-patch plugin: unit checks of its plumbing, then end to end — a small project
// (test/e2e) built with tspc and run with node. Needs `npm run build` first (the plugin and the
// runtime load from dist/, as they do from an installed package).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CompileResult } from "../compiler/index";
import adcProgramTransformer, { importsAdc, INTERNAL_ERROR_CODE } from "../compiler/transformer";
import { linkPackage } from "./support/link";

// The plumbing tests substitute the pipeline's answer; the end-to-end tests below run tspc in a
// subprocess, where the real pipeline runs.
const pipeline = vi.hoisted(() => ({
  fake: undefined as undefined | ((program: import("typescript").Program, fileName: string) => CompileResult),
}));
vi.mock("../compiler/index", async (original) => {
  const real = await original<typeof import("../compiler/index")>();
  return {
    ...real,
    compileProgramFile: (program: ts.Program, fileName: string) =>
      (pipeline.fake ?? real.compileProgramFile)(program, fileName),
  };
});

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
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adc-transformer-"));
  });
  afterAll(() => {
    pipeline.fake = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A one-file program; `import "adc"` needs no resolution (a side-effect import, which TypeScript
   * 6 checks by default: not here).
   */
  function programOf(text: string): { program: ts.Program; file: string } {
    const file = path.join(dir, `m${Math.random().toString(36).slice(2)}.ts`);
    fs.writeFileSync(file, text);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      types: [],
      target: ts.ScriptTarget.ES2022,
      noUncheckedSideEffectImports: false,
    };
    return { program: ts.createProgram([file], options), file };
  }

  function report(program: ts.Program, file: string): string[] {
    const sourceFile = program.getSourceFile(file)!;
    return program.getSemanticDiagnostics(sourceFile).map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return `(${line + 1},${character + 1}) TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
  }

  it("returns the same program when no root file imports adc", () => {
    pipeline.fake = () => {
      throw new Error("not called");
    };
    const { program } = programOf("export const x = 1;\n");
    expect(adcProgramTransformer(program, undefined, {}, { ts })).toBe(program);
  });

  it("serves the transformed text; user errors keep their lines, generated-code errors are flagged", () => {
    const text = 'import "adc";\nexport const x: number = 1;\nexport const y: string = 3;\n';
    const { program, file } = programOf(text);
    pipeline.fake = (_, fileName) => ({
      fileName,
      // Two generated lines spliced in after line 2, one of which does not type-check.
      code: text.replace("= 1;\n", "= 1;\nconst generated: number = 2;\nconst bad: string = generated;\n"),
      diagnostics: [],
    });
    const result = adcProgramTransformer(program, undefined, {}, { ts });
    expect(result).not.toBe(program);
    expect(result.getSourceFile(file)!.text).toContain("const bad: string = generated;");
    expect(report(result, file)).toEqual([
      "(3,14) TS2322: Type 'number' is not assignable to type 'string'.",
      "(1,1) TS2322: adc: in the code adc generated for this file (line 4, column 7) of the module " +
        "`adc compile` prints: Type 'number' is not assignable to type 'string'. (this is a bug in adc; please report it)",
    ]);
    // The unchanged lib files are the old program's, not parsed again.
    const lib = program.getSourceFiles().find((f) => f.isDeclarationFile)!;
    expect(result.getSourceFile(lib.fileName)).toBe(lib);
  });

  it("also transforms project files that only the root files import", () => {
    const { program: first, file: imported } = programOf('import "adc";\nexport const a = 1;\n');
    const entry = path.join(dir, "entry.ts");
    fs.writeFileSync(entry, `import { a } from "./${path.basename(imported, ".ts")}";\nexport const b = a;\n`);
    const program = ts.createProgram([entry], first.getCompilerOptions());
    const seen: string[] = [];
    pipeline.fake = (_, fileName) => {
      seen.push(path.resolve(fileName));
      return { fileName, code: "export const a = 2;\n", diagnostics: [] };
    };
    const result = adcProgramTransformer(program, undefined, {}, { ts });
    expect(seen).toEqual([imported]);
    expect(result.getSourceFile(imported)!.text).toBe("export const a = 2;\n");
  });

  it("keeps a refused file's text and appends adc's diagnostics to tsc's", () => {
    const { program, file } = programOf('import "adc";\nexport const y: string = 3;\n');
    const sourceFile = program.getSourceFile(file)!;
    pipeline.fake = (_, fileName) => ({
      fileName,
      code: undefined,
      diagnostics: [
        { code: 1005, message: "try/catch cannot be differentiated", fileName, line: 2, column: 1,
          start: 14, length: 6, sourceText: sourceFile.text },
      ],
    });
    const result = adcProgramTransformer(program, undefined, {}, { ts });
    expect(result).toBe(program);
    expect(report(result, file)).toEqual([
      "(2,14) TS2322: Type 'number' is not assignable to type 'string'.",
      "(2,1) TS91005: ADC1005: try/catch cannot be differentiated",
    ]);
  });

  it("reports a crash of the pipeline on the file instead of throwing", () => {
    const { program, file } = programOf('import "adc";\n');
    pipeline.fake = () => {
      throw new Error("boom");
    };
    const result = adcProgramTransformer(program, undefined, {}, { ts });
    const diagnostics = result.getSemanticDiagnostics(result.getSourceFile(file));
    expect(diagnostics.map((d) => d.code)).toEqual([INTERNAL_ERROR_CODE]);
    expect(ts.flattenDiagnosticMessageText(diagnostics[0].messageText, " ")).toMatch(/internal error.*boom.*please report/);
  });
});

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
    linkPackage(e2e);
    linkPackage(path.join(root, "examples", "quickstart"));
  });

  it("builds test/e2e, and the built program prints the seed's gradient", () => {
    fs.rmSync(path.join(e2e, "build"), { recursive: true, force: true });
    const build = run(tspc, ["-p", "test/e2e", "--pretty", "false"]);
    expect(build.output).toBe("");
    expect(build.status).toBe(0);

    const main = run(process.execPath, [path.join(e2e, "build", "main.js")]);
    expect(main.status).toBe(0);
    const [gradient, helper, forward] = main.output.trim().split("\n").map((line) => JSON.parse(line) as unknown);
    expect(Array.isArray(gradient)).toBe(true);
    const [g1, g2] = gradient as number[];
    expect(Math.abs(g1 - -0.358298904800)).toBeLessThan(1e-12);
    expect(Math.abs(g2 - -0.119432968267)).toBeLessThan(1e-12);
    expect(helper).toBe(4); // the file without adc is emitted as usual
    // jvp along e₁ gives ∂f/∂x1; the Hessian's first row is x1(x1² − 3)e, x2(x1² − 1)e.
    const [y, dy, h] = forward as [number, number, number[][]];
    expect(Math.abs(y - 0.238865936533)).toBeLessThan(1e-12);
    expect(Math.abs(dy - -0.3582989048)).toBeLessThan(1e-12);
    expect(Math.abs(h[0][0] - 0.238865936533)).toBeLessThan(1e-12);
    expect(Math.abs(h[0][1] - 0.1791494524)).toBeLessThan(1e-11);

    // The README's "Use it in your project" also runs the same file with the CLI: same output.
    const cli = run(process.execPath, [path.join(root, "bin", "adc.js"), "run", path.join(e2e, "src", "main.ts")]);
    expect(cli.output).toBe(main.output);
    expect(cli.status).toBe(0);
  });

  it("is the project the README's \"Use it in your project\" describes", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Use it in your project"), readme.indexOf("## With tsc"));
    // The tsconfig.json shown is test/e2e's, verbatim.
    const shown = /```jsonc\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBe(fs.readFileSync(path.join(e2e, "tsconfig.json"), "utf8"));
    // Its dependencies are the ones the section installs, at the versions this repository tests.
    const pkg = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts?: Record<string, string>;
    };
    const project = pkg(e2e);
    const ours = pkg(root);
    expect(project.dependencies).toEqual({ adc: "file:../.." });
    expect(project.scripts?.build).toBe("tspc -p .");
    for (const name of ["typescript", "ts-patch"]) {
      expect(project.devDependencies[name]).toBe(ours.devDependencies[name]);
      expect(section).toContain(`${name}@${ours.devDependencies[name]}`);
    }
    expect(section).toContain("npx tspc -p .");
  });

  it("reports a refused construct as a tsc error on its line and exits non-zero", () => {
    const build = run(tspc, ["-p", "test/e2e/refused", "--pretty", "false"]);
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/test\/e2e\/refused\/src\/main\.ts\(5,3\): error TS91005: ADC1005: /);
    expect(build.output).not.toContain("internal error");
  });

  it("reports the user's own type errors in a transformed file at their original lines", () => {
    const build = run(tspc, ["-p", "test/e2e/user-error", "--pretty", "false"]);
    expect(build.status).not.toBe(0);
    expect(build.output).toBe(
      "test/e2e/user-error/src/main.ts(10,14): error TS2322: Type 'number' is not assignable to type 'string'.\n",
    );
  });

  it("reports them at the same lines when an incremental build replays its cache", () => {
    const buildInfo = path.join(e2e, "user-error", "build", "incremental.tsbuildinfo");
    fs.rmSync(buildInfo, { force: true });
    const args = ["-p", "test/e2e/user-error", "--pretty", "false", "--incremental", "--tsBuildInfoFile", buildInfo];
    const first = run(tspc, args);
    const second = run(tspc, args);
    expect(fs.existsSync(buildInfo)).toBe(true);
    for (const build of [first, second]) {
      expect(build.output).toBe(
        "test/e2e/user-error/src/main.ts(10,14): error TS2322: Type 'number' is not assignable to type 'string'.\n",
      );
    }
  });

  it("builds examples/quickstart, which fits its line and passes its gradient check", () => {
    const example = path.join(root, "examples", "quickstart");
    fs.rmSync(path.join(example, "build"), { recursive: true, force: true });
    const build = run(tspc, ["-p", "examples/quickstart", "--pretty", "false"]);
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    const main = run(process.execPath, [path.join(example, "build", "main.js")]);
    expect(main.status).toBe(0);
    expect(main.output).toMatch(/^fit: y = 1\.98\d\d·x \+ 1\.05\d\d, loss 0\.30\d+\ngradient check: ok /);
  });
});
