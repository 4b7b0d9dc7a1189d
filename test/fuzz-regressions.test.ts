// Every program the fuzz command (scripts/fuzz.ts) found wrong, shrunk and kept as a fixture in
// test/regression-fixtures/fuzz-*.ts: compiled with adc as a user would (compileSource) and checked
// by the same oracle at the points recorded beside it (fuzz-*.json). A fixture whose bug is still
// open says so (`open` in its JSON): it is expected to fail, and this test fails once it passes,
// so that the fixture is marked fixed.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import ts from "typescript";
import { compileSource } from "../compiler";
import { formatDiagnostic } from "../compiler/diagnostics";
import { createProgram } from "../compiler/program";
import { FIXTURES_DIR, type FuzzFixture } from "./support/campaign";
import { evaluate } from "./support/load";
import { checkSubjects, emptyStats, type Verdict } from "./support/oracle";

const fixtures = fs
  .readdirSync(FIXTURES_DIR)
  .filter((f) => /^fuzz-.*\.json$/.test(f))
  .sort();

/** A fixture that made adc hang is compiled by the built CLI in a subprocess first, with this limit. */
const HANG_LIMIT_MS = 30_000;

function verdictOf(name: string, fixture: FuzzFixture): Verdict {
  const file = path.join(FIXTURES_DIR, `${name}.ts`);
  if (fixture.hangs) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adc-hang-")), "out.ts");
    const run = spawnSync(process.execPath, [path.resolve(__dirname, "../bin/adc.js"), "compile", file, "-o", out], { timeout: HANG_LIMIT_MS, encoding: "utf8" });
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    if (run.status === null) return { outcome: "crash", message: `adc compile does not finish in ${HANG_LIMIT_MS / 1000} s` };
  }
  const result = compileSource(fs.readFileSync(file, "utf8"), file);
  if (result.diagnostics.length > 0 || result.code === undefined) {
    return { outcome: "refused", message: result.diagnostics.map((d) => formatDiagnostic(d)).join("\n") };
  }
  if (fixture.typecheck) {
    // adc's output must type-check under strict like its input.
    const program = createProgram(file, result.code);
    const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
    if (errors.length > 0) return { outcome: "crash", message: `the output does not type-check: ${errors.join("; ")}` };
  }
  return checkSubjects(evaluate(result.code, file), fixture.subjects, (k) => fixture.points[k], emptyStats());
}

describe("programs the fuzz command found", () => {
  test("every fixture has its module beside it", () => {
    for (const f of fixtures) expect(fs.existsSync(path.join(FIXTURES_DIR, f.replace(/\.json$/, ".ts"))), f).toBe(true);
  });

  for (const f of fixtures) {
    const name = f.replace(/\.json$/, "");
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, f), "utf8")) as FuzzFixture;
    const title = `${name}: ${fixture.found}`;
    if (fixture.open) {
      // Still open: fails (as recorded) until the bug is fixed; then drop `open` from the JSON.
      test.fails(`${title} (open: ${fixture.open})`, () => {
        const verdict = verdictOf(name, fixture);
        expect(verdict.outcome, verdict.message).toBe("ok");
      });
    } else {
      test(title, () => {
        const verdict = verdictOf(name, fixture);
        expect(verdict.outcome, verdict.message).toBe("ok");
      });
    }
  }
});
