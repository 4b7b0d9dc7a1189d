// The generated code of every fixture (fixtures/*.out.ts) type-checks under `strict: true`, all
// files in one program, with "adc" resolving as the compiler resolves it; and so do the fixture
// sources themselves, against the operators' declared types.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { expect, test } from "vitest";
import { createProgram } from "../compiler/program";
import { FIXTURES_DIR, fixtureNames } from "./support/cases";

test("every fixtures/*.out.ts type-checks under strict", () => {
  const outputs = fs.readdirSync(FIXTURES_DIR).filter((f) => f.endsWith(".out.ts")).sort();
  expect(outputs.map((f) => f.slice(0, -".out.ts".length))).toEqual(fixtureNames());

  // One program whose (virtual) root imports every snapshot.
  const root = path.join(FIXTURES_DIR, "__typecheck__.ts");
  const text = outputs.map((f) => `import "./${f.slice(0, -".ts".length)}";`).join("\n") + "\n";
  const program = createProgram(root, text);
  expect(program.getCompilerOptions().strict).toBe(true);
  for (const f of outputs) {
    expect(program.getSourceFile(path.join(FIXTURES_DIR, f)), `${f} is in the program`).toBeDefined();
  }

  const diagnostics = ts.getPreEmitDiagnostics(program);
  const printed = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => path.resolve(FIXTURES_DIR, ".."),
    getNewLine: () => "\n",
  });
  expect(printed).toBe("");
});

test("every fixture source type-checks under strict (the operators' types are right in the editor)", () => {
  const sources = fixtureNames().map((name) => `${name}.ts`);
  const root = path.join(FIXTURES_DIR, "__typecheck_sources__.ts");
  const text = sources.map((f) => `import "./${f.slice(0, -".ts".length)}";`).join("\n") + "\n";
  const program = createProgram(root, text);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const printed = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => path.resolve(FIXTURES_DIR, ".."),
    getNewLine: () => "\n",
  });
  expect(printed).toBe("");
});
