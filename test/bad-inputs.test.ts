// The bad-input corpus: every file in test/bad-inputs/ (syntax errors, every refused construct,
// type errors, operator misuse, decorators on the wrong thing, recursion without a base case), and
// inputs made here (missing, unreadable and wrong-kind files, a 20,000-line function, 5,000 nested
// ifs, deep parentheses, unwritable outputs, bad command lines), run through the built CLI
// (`adc compile -o`, and `adc check`). Each must be answered by a located diagnostic (exit 1) or a
// clean usage error (exit 2): never a stack trace or an internal error, never an output file, in
// bounded time. A corpus file says what it expects in its second line: `// expect: ADC1005` (that
// code among the diagnostics), `// expect: diagnostic` (any located one); `// known: …` marks a gap
// that is reported and still open (the test expects it to fail, and fails once it is fixed).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const root = path.resolve(__dirname, "..");
const corpus = path.join(__dirname, "bad-inputs");
const bin = path.join(root, "bin", "adc.js");
const driver = path.join(__dirname, "support", "cli-batch.mjs");

/** Seconds any one ordinary input may take (a busy 2-core machine), and the huge ones. */
const BOUND = 60;
const HUGE_BOUND = 300;

interface Run {
  readonly name: string;
  readonly args: readonly string[];
  /** What must answer it. */
  readonly expect: "usage" | "diagnostic" | `ADC${number}` | "compiled-or-diagnostic";
  /** An open gap, reported: expected to fail until fixed. */
  readonly known?: string;
  /** The output file (-o) that must not exist afterwards. */
  readonly output?: string;
  readonly bound: number;
}

interface Result {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

let tmp: string;
const runs: Run[] = [];
const results = new Map<string, Result>();

const header = (text: string, key: string) => new RegExp(`^// ${key}: (.+)$`, "m").exec(text.split("\n").slice(0, 4).join("\n"))?.[1];

/** Inputs made here rather than committed: huge, unreadable, missing, of the wrong kind. */
function makeInputs(dir: string): { name: string; file: string; expect: Run["expect"]; bound?: number }[] {
  const made: { name: string; file: string; expect: Run["expect"]; bound?: number }[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  // A 20,000-line function: it may compile (then completely) or be refused, in bounded time.
  const lines = Array.from({ length: 20_000 }, (_, i) => (i % 10 === 0 ? `  y = y * 0.999 + Math.sin(x + ${i % 7});` : `  y = y * 0.999 + x * ${(i % 13) / 10};`));
  made.push({
    name: "a 20,000-line function",
    file: write("long-function.ts", `import { grad } from "adc";\nexport function f(x: number): number {\n  let y = x;\n${lines.join("\n")}\n  return y;\n}\nexport const g = grad(f);\n`),
    expect: "compiled-or-diagnostic",
    bound: HUGE_BOUND,
  });
  const n = 5000;
  made.push({
    name: "5,000 nested ifs",
    file: write("nested-ifs.ts", `import { grad } from "adc";\nexport function f(x: number): number {\n  let y = x;\n${"if (x > 0) {\n".repeat(n)}y = y * x;\n${"}\n".repeat(n)}  return y;\n}\nexport const g = grad(f);\n`),
    expect: "compiled-or-diagnostic",
    bound: HUGE_BOUND,
  });
  made.push({
    name: "10,000 nested parentheses",
    file: write("nested-parens.ts", `import { grad } from "adc";\nexport function f(x: number): number {\n  return ${"(".repeat(10_000)}x${" * x)".repeat(10_000)};\n}\nexport const g = grad(f);\n`),
    expect: "compiled-or-diagnostic",
    bound: HUGE_BOUND,
  });
  made.push({ name: "a missing file", file: path.join(dir, "missing.ts"), expect: "usage" });
  fs.mkdirSync(path.join(dir, "directory.ts"));
  made.push({ name: "a directory named .ts", file: path.join(dir, "directory.ts"), expect: "usage" });
  made.push({ name: "a JavaScript file", file: write("plain.js", "export function f(x) { return x; }\n"), expect: "usage" });
  made.push({ name: "a declaration file", file: write("types.d.ts", "export declare function f(x: number): number;\n"), expect: "usage" });
  return made;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist", "cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` before these tests");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adc-bad-"));
  const out = (name: string) => path.join(tmp, "out", `${name.replace(/[^\w.-]+/g, "_")}.out.ts`);
  fs.mkdirSync(path.join(tmp, "out"));
  for (const f of fs.readdirSync(corpus).filter((f) => f.endsWith(".ts")).sort()) {
    const text = fs.readFileSync(path.join(corpus, f), "utf8");
    const expect = (header(text, "expect") ?? "diagnostic") as Run["expect"];
    const known = header(text, "known");
    const file = path.join("test", "bad-inputs", f);
    runs.push({ name: `${f}: adc compile -o`, args: ["compile", file, "-o", out(f)], expect, known, output: out(f), bound: BOUND });
    runs.push({ name: `${f}: adc check`, args: ["check", file], expect, known, bound: BOUND });
  }
  for (const m of makeInputs(tmp)) {
    const rel = path.relative(root, m.file);
    runs.push({ name: `${m.name}: adc compile -o`, args: ["compile", rel, "-o", out(m.name)], expect: m.expect, output: m.expect === "compiled-or-diagnostic" ? undefined : out(m.name), bound: m.bound ?? BOUND });
    if (m.expect !== "compiled-or-diagnostic") runs.push({ name: `${m.name}: adc check`, args: ["check", rel], expect: m.expect, bound: m.bound ?? BOUND });
  }
  // Command lines that are wrong in themselves.
  const seed = "fixtures/seed.ts";
  const usage: [string, string[]][] = [
    ["no arguments", []],
    ["an unknown command", ["differentiate", seed]],
    ["an unknown option", ["compile", seed, "--fast"]],
    ["a missing input", ["compile"]],
    ["an extra argument", ["compile", seed, seed]],
    ["-o into a directory that does not exist", ["compile", seed, "-o", path.join(tmp, "nowhere", "out.ts")]],
    ["-o naming a directory", ["compile", seed, "-o", path.join(tmp, "out")]],
    ["check with a bad --seed", ["check", seed, "--seed", "-1"]],
    ["check with --points 0", ["check", seed, "--points", "0"]],
    ["graph without --fn", ["graph", seed]],
    ["graph with a bad --at", ["graph", seed, "--fn", "f", "--at", "1,x"]],
    ["graph of an unknown function", ["graph", seed, "--fn", "nope"]],
    ["a graph option given to compile", ["compile", seed, "--fn", "f"]],
  ];
  for (const [name, args] of usage) runs.push({ name: `${name}: adc ${args.join(" ")}`, args, expect: "usage", bound: BOUND });

  // One process for all (node and TypeScript start once); a run that hangs is named by the driver's progress.
  const runsFile = path.join(tmp, "runs.json");
  const resultsFile = path.join(tmp, "results.jsonl");
  fs.writeFileSync(runsFile, JSON.stringify(runs.map((r) => ({ args: r.args, cwd: root }))));
  const total = runs.reduce((s, r) => s + r.bound, 0);
  const child = spawnSync(process.execPath, [driver, runsFile, resultsFile], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ADC_DEBUG: "" },
    timeout: total * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, "utf8").trim().split("\n").filter(Boolean) : [];
  for (const line of lines) {
    const r = JSON.parse(line) as Result & { i: number };
    results.set(runs[r.i].name, r);
  }
  if (results.size < runs.length) {
    const stuck = runs[results.size];
    const why = child.error ? String(child.error) : `exit ${child.status}, signal ${child.signal}`;
    results.set(stuck.name, { code: "did not finish", stdout: "", stderr: `${why}\n${child.stderr.slice(-2000)}`, ms: NaN });
  }
}, HUGE_BOUND * 10_000);

afterAll(() => {
  const timed = [...results].filter(([, r]) => Number.isFinite(r.ms)).sort((a, b) => b[1].ms - a[1].ms);
  if (timed.length > 0) {
    const slowest = timed.slice(0, 5).map(([name, r]) => `  ${(r.ms / 1000).toFixed(1)} s  ${name}`);
    console.log(`bad inputs: ${results.size} runs; the slowest:\n${slowest.join("\n")}`);
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const LOCATED = /^(.+)\((\d+),(\d+)\): error (ADC\d{4}): .+$/m;
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** What is wrong with how adc answered a run (empty when it answered well). */
function problems(run: Run, r: Result): string[] {
  const found: string[] = [];
  if (r.code === "did not finish") return [`did not finish: ${r.stderr}`];
  if (STACK.test(r.stderr) || STACK.test(r.stdout)) found.push("prints a stack trace");
  if (/internal error/.test(r.stderr)) found.push("reports an internal error");
  if (r.ms > run.bound * 1000) found.push(`takes ${(r.ms / 1000).toFixed(1)} s (bound ${run.bound} s)`);
  if (run.output && fs.existsSync(run.output)) found.push(`writes ${run.output}`);
  const leftovers = fs.readdirSync(path.join(tmp, "out")).filter((f) => f.endsWith(".tmp"));
  if (leftovers.length > 0) found.push(`leaves temporary files: ${leftovers.join(", ")}`);
  const located = r.code === 1 && LOCATED.test(r.stderr) && /Found \d+ errors?\.\n$/.test(r.stderr);
  const clean = r.code === 2 && /^adc: .+\n(.+\n)*Run adc --help for usage\.\n$/.test(r.stderr);
  switch (run.expect) {
    case "usage":
      if (!clean) found.push(`is not a clean usage error (exit 2, a message and the pointer to --help)`);
      break;
    case "compiled-or-diagnostic":
      if (!(located || (r.code === 0 && r.stderr === ""))) found.push("neither compiles cleanly nor gives a located diagnostic");
      break;
    default:
      if (!located) found.push("is not answered by a located diagnostic (exit 1)");
      else if (run.expect !== "diagnostic" && !r.stderr.includes(`error ${run.expect}:`)) found.push(`gives no ${run.expect}`);
      if (r.stdout !== "" && run.args[0] === "compile") found.push("prints to stdout");
  }
  return found;
}

describe("bad inputs through the CLI", () => {
  test("the corpus has at least 50 files", () => {
    expect(fs.readdirSync(corpus).filter((f) => f.endsWith(".ts")).length).toBeGreaterThanOrEqual(50);
  });

  // Names are known only once the corpus is read: one test per run, declared from the file list.
  const names = fs.readdirSync(corpus).filter((f) => f.endsWith(".ts")).sort();
  const known = new Map(names.map((f) => [f, header(fs.readFileSync(path.join(corpus, f), "utf8"), "known")]));
  for (const f of names) {
    for (const command of ["adc compile -o", "adc check"]) {
      const name = `${f}: ${command}`;
      const gap = known.get(f);
      const body = () => {
        const run = runs.find((r) => r.name === name)!;
        const r = results.get(name);
        expect(r, "ran").toBeDefined();
        expect(problems(run, r!), `${r!.stderr}`).toEqual([]);
      };
      if (gap) test.fails(`${name} (known gap: ${gap})`, body);
      else test(name, body);
    }
  }

  test("inputs made here and wrong command lines", () => {
    const made = runs.filter((r) => !r.name.includes(".ts: adc "));
    expect(made.length).toBeGreaterThan(20);
    const wrong = made.flatMap((run) => {
      const r = results.get(run.name);
      if (!r) return [`${run.name}: did not run`];
      return problems(run, r).map((p) => `${run.name} ${p}\n${r.stderr.slice(0, 600)}`);
    });
    expect(wrong).toEqual([]);
  });

  test("a file adc may not read is a clean usage error", () => {
    const file = path.join(tmp, "locked.ts");
    fs.writeFileSync(file, `import { grad } from "adc";\nexport function f(x: number): number { return x * x; }\nexport const g = grad(f);\n`);
    fs.chmodSync(file, 0o000);
    const out = path.join(tmp, "locked.out.ts");
    // Root reads anything: run the CLI as nobody then (setpriv), else as ourselves.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      fs.chmodSync(tmp, 0o755);
      if (spawnSync("setpriv", ["--version"]).status !== 0) return; // cannot drop privileges here
    }
    const command = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath] : [process.execPath];
    const run = spawnSync(command[0], [...command.slice(1), bin, "compile", file, "-o", out], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^adc: .*locked\.ts: cannot read it \(permission denied\)\nRun adc --help for usage\.\n$/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
