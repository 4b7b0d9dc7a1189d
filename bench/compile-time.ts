// `npm run bench` (last part), or alone `npx tsx bench/compile-time.ts`: what adc costs at build
// time. For three projects — (a) the fixtures as one project, (b) generated modules of 250, 500,
// 1,000 and 2,000 marked functions, (c) bench/workloads — it times `tspc` with the adc plugin
// against plain `tsc` on the same files (wall time of the whole process, median of the runs,
// interleaved; also tspc without the plugin, which is what ts-patch's own patching costs), and
// `adc compile` (compileFile, in this process, warmed up) per 1,000 source lines. Targets (issue 10): tspc ≤ 1.5× tsc on (a); time linear in the number of functions on (b).
//
// Environment: ADC_BENCH_RUNS (runs of each tool per project, default 2; generated modules of
// 1,000 functions and more run once), ADC_BENCH_SIZES (the generated modules' sizes, default
// 250,500,1000,2000).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compileFile } from "../compiler";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.ADC_BENCH_RUNS ?? 2);
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

/** A marked function of the generated module: a loop over an array, a branch, transcendental calls. */
export function generatedModule(count: number): string {
  const out = ['import { grad } from "adc";', ""];
  for (let i = 0; i < count; i++) {
    out.push(
      `export function f${i}(x: Float64Array, a: number): number {`,
      "  let s = 0;",
      "  for (let j = 0; j < x.length; j++) {",
      `    const v = x[j] * a + ${(i % 7) + 1};`,
      "    s += v > 0 ? Math.sin(v) * v : Math.exp(v);",
      "  }",
      "  return s * a;",
      "}",
      `export const g${i} = grad(f${i});`,
      "",
    );
  }
  return out.join("\n");
}

/** A project directory: the files, `adc` resolving to this checkout, a tsconfig with and without the plugin. */
function project(name: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `adc-compile-time-${name.replace(/[^\w]+/g, "-")}-`));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, "src", file)), { recursive: true });
    fs.writeFileSync(path.join(dir, "src", file), text);
  }
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "adc"), "dir");
  const options = {
    target: "ES2022", module: "node16", moduleResolution: "node16", strict: true, skipLibCheck: true,
    types: [], rootDir: "src", outDir: "build",
  };
  const config = (plugins: boolean) => JSON.stringify({
    compilerOptions: { ...options, ...(plugins ? { plugins: [{ transform: "adc/transformer", transformProgram: true }] } : {}) },
    include: ["src"],
  });
  fs.writeFileSync(path.join(dir, "tsconfig.adc.json"), config(true));
  fs.writeFileSync(path.join(dir, "tsconfig.plain.json"), config(false));
  return dir;
}

type Tool = "tsc" | "tspc plain" | "tspc";

/** tsc; tspc without the plugin (what ts-patch itself costs: it patches tsc as it loads); tspc with adc. */
function run(dir: string, tool: Tool): { seconds: number; ok: boolean; output: string } {
  const t0 = performance.now();
  const r = spawnSync(bin(tool === "tsc" ? "tsc" : "tspc"), ["-p", tool === "tspc" ? "tsconfig.adc.json" : "tsconfig.plain.json"], { cwd: dir, encoding: "utf8" });
  return { seconds: (performance.now() - t0) / 1e3, ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row {
  readonly project: string;
  readonly lines: number;
  readonly tsc: number;
  /** tspc without the plugin. */
  readonly patched: number;
  readonly tspc: number;
  /** adc compile of the marked files, in process. */
  readonly adc: number;
}

function measure(name: string, files: Record<string, string>, marked: readonly string[], runs = RUNS): Row {
  process.stderr.write(`compile time: ${name}\n`);
  const dir = project(name, files);
  const times: Record<Tool, number[]> = { tsc: [], "tspc plain": [], tspc: [] };
  for (let i = 0; i < runs; i++) {
    for (const tool of ["tsc", "tspc plain", "tspc"] as const) {
      const r = run(dir, tool);
      if (!r.ok) throw new Error(`${tool} failed on ${name}:\n${r.output.slice(0, 2000)}`);
      times[tool].push(r.seconds);
    }
  }
  const adc: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const file of marked) {
      const result = compileFile(path.join(dir, "src", file));
      if (result.code === undefined) throw new Error(`adc refused ${file}`);
    }
    adc.push((performance.now() - t0) / 1e3);
  }
  // Every line of the project: the marked files and the ones whose functions they differentiate.
  const lines = Object.values(files).reduce((n, text) => n + text.split("\n").length, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  const row = { project: name, lines, tsc: median(times.tsc), patched: median(times["tspc plain"]), tspc: median(times.tspc), adc: median(adc) };
  process.stderr.write(`  tsc ${row.tsc.toFixed(2)} s, tspc without adc ${row.patched.toFixed(2)} s, tspc ${row.tspc.toFixed(2)} s, adc compile ${row.adc.toFixed(2)} s\n`);
  return row;
}

function read(dir: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), "utf8")]));
}

async function main(): Promise<void> {
  // Warm adc's compiler up on one fixture first, so the in-process times are of optimised code.
  compileFile(path.join(ROOT, "fixtures", "arithmetic.ts"));
  const rows: Row[] = [];
  const line = (r: Row) =>
    `| ${r.project} | ${r.lines} | ${r.tsc.toFixed(2)} | ${r.patched.toFixed(2)} | ${r.tspc.toFixed(2)} | ${(r.tspc / r.tsc).toFixed(2)} | ${(r.tspc / r.patched).toFixed(2)} | ${r.adc.toFixed(2)} | ${((r.adc / r.lines) * 1000).toFixed(3)} |`;

  const fixtureDir = path.join(ROOT, "fixtures");
  const fixtureNames = fs.readdirSync(fixtureDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".out.ts"));
  const fixtures = { ...read(fixtureDir, fixtureNames), ...read(fixtureDir, fs.readdirSync(path.join(fixtureDir, "lib")).map((f) => `lib/${f}`)) };
  rows.push(measure(`(a) fixtures (${fixtureNames.length} files)`, fixtures, fixtureNames));

  for (const count of (process.env.ADC_BENCH_SIZES ?? "250,500,1000,2000").split(",").map(Number)) {
    rows.push(measure(`(b) ${count} generated functions`, { "generated.ts": generatedModule(count) }, ["generated.ts"], count >= 1000 ? 1 : RUNS));
  }

  const workloads = path.join(ROOT, "bench", "workloads");
  const sources = ["gmm.ts", "lstm.ts", "gmm-user.ts", "lstm-user.ts", "user-helpers.ts", "marked.ts", "marked-user.ts", "marked-forward.ts"];
  rows.push(measure("(c) bench/workloads", read(workloads, sources), ["marked.ts", "marked-user.ts", "marked-forward.ts"]));

  console.log("| project | source lines | tsc (s) | tspc, no plugin (s) | tspc + adc (s) | tspc + adc ÷ tsc | ÷ tspc, no plugin | adc compile in process (s) | adc s / 1,000 lines |");
  console.log("|:---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(line(r));
  const a = rows[0]!;
  const ratio = a.tspc / a.tsc;
  console.log(`\ntspc ÷ tsc on the fixtures: ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? "met ✓" : "missed ✗"}`);
  const generated = rows.filter((r) => r.project.startsWith("(b)"));
  const first = generated[0]!;
  const last = generated[generated.length - 1]!;
  const growth = (last.tspc - last.tsc) / (first.tspc - first.tsc);
  const adcGrowth = last.adc / first.adc;
  const count = (r: Row) => Number(/\d+/.exec(r.project.slice(4))![0]);
  const size = count(last) / count(first);
  console.log(
    `generated modules, ${size}× the functions: adc's share of tspc grows ${growth.toFixed(1)}×, adc compile ${adcGrowth.toFixed(1)}× ` +
      `(linear: ${size}×) ${adcGrowth <= size * 1.25 ? "met ✓" : "missed ✗"}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
