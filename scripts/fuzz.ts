// `npm run fuzz -- --programs N --seed S`: random programs from the property-test generators
// (test/support/categories.ts), compiled by adc in worker threads and checked by the oracle
// (test/support/oracle.ts) outside vitest. Program i of seed S is a pure function of (S, i), so a
// run can be split into chunks (--from) and any program checked again alone. A failing program is
// shrunk to a minimal one and written as a regression fixture (test/regression-fixtures/).
// See TESTING.md.
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { CATEGORIES, categoryNamed, defaultCategories, type Category } from "../test/support/categories";
import {
  FIXTURES_DIR,
  categoryOf,
  checkAlone,
  checkBatch,
  generate,
  programSeed,
  shrink,
  writeFixture,
} from "../test/support/campaign";
import { addStats, emptyStats, type Outcome, type Stats } from "../test/support/oracle";

const OUTCOMES: readonly Outcome[] = ["ok", "mismatch", "crash", "refused", "invalid"];

interface Options {
  readonly programs: number;
  readonly seed: number;
  readonly from: number;
  readonly jobs: number;
  readonly batch: number;
  readonly categories: readonly string[];
  readonly shrinkSeconds: number;
  /** Failures shrunk and written at most (the rest are counted and listed). */
  readonly maxFixtures: number;
  readonly fixtures: string;
  /** A worker silent this long is taken to hang. */
  readonly hangSeconds: number;
}

/** One window of consecutive programs, the unit of work a worker gets. */
interface Window {
  readonly start: number;
  readonly count: number;
}

/** The program's source, for a report (a hanging program cannot be shrunk in-process). */
function sourceOf(options: Options, index: number): string {
  const category = categoryOf(options.categories.map(categoryNamed), options.seed, index);
  return category.render([generate(category, programSeed(options.seed, index))]).text;
}

interface ProgramResult {
  readonly index: number;
  readonly category: string;
  readonly outcome: Outcome;
  readonly message?: string;
  /** The fixture written for it, if any. */
  readonly fixture?: string;
}

type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "busy" }
  | { readonly type: "done"; readonly results: ProgramResult[]; readonly stats: Stats };

const USAGE = `Usage: npm run fuzz -- [options]

  --programs <n>        programs to check (default 1000)
  --seed <s>            the run's seed (default 1); program i of seed s is always the same program
  --from <i>            index of the first program (default 0): chunks of one run, or one program again
  --jobs <n>            worker threads (default: the number of cores)
  --batch <n>           programs compiled together as one module (default 8)
  --categories <list>   comma-separated (default: ${defaultCategories().map((c) => c.name).join(",")}); "all" adds
                        the opt-in ones (${CATEGORIES.filter((c) => c.optIn).map((c) => c.name).join(", ")})
  --shrink-seconds <t>  time to shrink each failure (default 120; 0: no shrinking, no fixtures)
  --max-fixtures <n>    failures shrunk and written as fixtures at most (default 20)
  --fixtures <dir>      where fixtures go (default test/regression-fixtures)
  --hang-seconds <t>    a worker silent this long is stopped; its programs are tried again one by one,
                        and one that hangs alone counts as a crash (default 300)

Categories:
${CATEGORIES.map((c) => `  ${c.name.padEnd(14)}${c.description}${c.optIn ? " [opt-in]" : ""}`).join("\n")}
`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      programs: { type: "string" },
      seed: { type: "string" },
      from: { type: "string" },
      jobs: { type: "string" },
      batch: { type: "string" },
      categories: { type: "string" },
      "shrink-seconds": { type: "string" },
      "max-fixtures": { type: "string" },
      fixtures: { type: "string" },
      "hang-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const integer = (name: string, text: string | undefined, fallback: number, min = 0): number => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return Number(text);
  };
  const names = values.categories === undefined ? defaultCategories().map((c) => c.name) : values.categories === "all" ? CATEGORIES.map((c) => c.name) : values.categories.split(",");
  names.forEach(categoryNamed); // unknown names fail here
  return {
    programs: integer("programs", values.programs, 1000, 1),
    seed: integer("seed", values.seed, 1),
    from: integer("from", values.from, 0),
    jobs: integer("jobs", values.jobs, os.availableParallelism(), 1),
    batch: integer("batch", values.batch, 8, 1),
    categories: names,
    shrinkSeconds: integer("shrink-seconds", values["shrink-seconds"], 120),
    maxFixtures: integer("max-fixtures", values["max-fixtures"], 20),
    fixtures: path.resolve(values.fixtures ?? FIXTURES_DIR),
    hangSeconds: integer("hang-seconds", values["hang-seconds"], 300, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Worker: checks windows of programs

function runWorker(options: Options): void {
  const categories = options.categories.map(categoryNamed);
  let fixturesLeft = options.maxFixtures;
  parentPort!.on("message", (message: { window: Window; fixturesLeft: number }) => {
    fixturesLeft = Math.min(fixturesLeft, message.fixturesLeft);
    const stats = emptyStats();
    const results: ProgramResult[] = [];
    const { start, count } = message.window;
    // Programs of the window grouped by category: one module per group.
    const groups = new Map<Category, number[]>();
    for (let i = start; i < start + count; i++) {
      const c = categoryOf(categories, options.seed, i);
      groups.set(c, [...(groups.get(c) ?? []), i]);
    }
    for (const [category, indices] of groups) {
      const seeds = indices.map((i) => programSeed(options.seed, i));
      const raws = seeds.map((s) => generate(category, s));
      const verdicts = checkBatch(category, raws, seeds, stats);
      verdicts.forEach((verdict, k) => {
        const index = indices[k];
        const result: ProgramResult = { index, category: category.name, outcome: verdict.outcome, message: verdict.message };
        if (verdict.outcome === "ok") return results.push(result);
        parentPort!.postMessage({ type: "busy" } satisfies FromWorker);
        const alone = indices.length > 1 ? checkAlone(category, raws[k], seeds[k]) : verdict;
        if (alone.outcome === "ok") {
          return results.push({ ...result, message: `fails only compiled together with the other programs of its module (--from ${start} --programs ${count} --batch ${options.batch}):\n${verdict.message}` });
        }
        if (options.shrinkSeconds === 0 || fixturesLeft <= 0) return results.push({ ...result, outcome: alone.outcome, message: alone.message });
        fixturesLeft--;
        const shrunk = shrink(category, seeds[k], alone, options.shrinkSeconds * 1000);
        const fixture = writeFixture(options.fixtures, category, shrunk, seeds[k], { seed: options.seed, index });
        results.push({ ...result, outcome: shrunk.verdict.outcome, message: shrunk.verdict.message, fixture });
      });
    }
    parentPort!.postMessage({ type: "done", results, stats } satisfies FromWorker);
  });
  parentPort!.postMessage({ type: "ready" } satisfies FromWorker);
}

// ---------------------------------------------------------------------------------------------
// Main: hands out windows, shows progress, reports

function spawn(options: Options): Worker {
  // Workers do not inherit tsx's loader: register it, then load this file.
  return new Worker(`require("tsx/cjs"); require(${JSON.stringify(__filename)});`, { eval: true, workerData: options });
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

async function runMain(options: Options): Promise<number> {
  const windows: Window[] = [];
  for (let i = options.from; i < options.from + options.programs; i += options.batch) {
    windows.push({ start: i, count: Math.min(options.batch, options.from + options.programs - i) });
  }
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const byCategory = new Map<string, Record<Outcome, number>>();
  const failures: ProgramResult[] = [];
  const stats = emptyStats();
  let done = 0;
  let fixturesLeft = options.maxFixtures;
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastLine = 0;

  const progress = (final = false) => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const line =
      `${done.toLocaleString("en")}/${options.programs.toLocaleString("en")} programs  ${rate.toFixed(1)}/s  ` +
      OUTCOMES.map((o) => `${o} ${counts[o].toLocaleString("en")}`).join("  ") +
      `  elapsed ${duration(elapsed)}` +
      (final ? "" : `  eta ${duration((options.programs - done) / rate)}`);
    if (tty) process.stderr.write(`\r\x1b[K${line}${final ? "\n" : ""}`);
    else if (final || Date.now() - lastLine > 30_000) {
      process.stderr.write(`${line}\n`);
      lastLine = Date.now();
    }
  };

  const record = (r: ProgramResult) => {
    done++;
    counts[r.outcome]++;
    const c = byCategory.get(r.category) ?? (Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>);
    c[r.outcome]++;
    byCategory.set(r.category, c);
    if (r.outcome !== "ok") {
      failures.push(r);
      if (tty) process.stderr.write("\r\x1b[K");
      process.stderr.write(`program ${r.index} (${r.category}): ${r.outcome}${r.fixture ? ` → ${path.relative(process.cwd(), r.fixture)}` : ""}\n  ${(r.message ?? "").split("\n")[0]}\n`);
    }
  };

  process.stderr.write(
    `fuzz: ${options.programs} programs from ${options.from}, seed ${options.seed}, ${options.jobs} worker${options.jobs === 1 ? "" : "s"}, ` +
      `batches of ${options.batch}, categories ${options.categories.join(",")}\n`,
  );
  const timer = setInterval(() => progress(), 1000);
  let next = 0;
  await new Promise<void>((resolve) => {
    let live = 0;
    const start = () => {
      const worker = spawn(options);
      live++;
      let current: Window | undefined;
      let heard = Date.now();
      const watchdog = setInterval(() => {
        if (!current || Date.now() - heard < options.hangSeconds * 1000) return;
        // Silent too long: a new worker takes over. Each program of the window is tried again
        // alone (next), and one that hangs alone is a crash.
        if (current.count > 1) {
          const singles = Array.from({ length: current.count }, (_, k) => ({ start: current!.start + k, count: 1 }));
          windows.splice(next, 0, ...singles);
        } else {
          const i = current.start;
          record({
            index: i,
            category: categoryOf(options.categories.map(categoryNamed), options.seed, i).name,
            outcome: "crash",
            message: `hangs: no answer in ${options.hangSeconds} s (compiling or checking it)\n${sourceOf(options, i)}`,
          });
        }
        current = undefined;
        clearInterval(watchdog);
        void worker.terminate();
      }, 1000);
      const give = () => {
        if (next >= windows.length) {
          current = undefined;
          clearInterval(watchdog);
          void worker.terminate();
          return;
        }
        current = windows[next++];
        heard = Date.now();
        worker.postMessage({ window: current, fixturesLeft });
      };
      worker.on("message", (m: FromWorker) => {
        heard = Date.now();
        if (m.type === "ready") give();
        else if (m.type === "done") {
          for (const r of m.results) {
            if (r.fixture) fixturesLeft--;
            record(r);
          }
          addStats(stats, m.stats);
          give();
        }
      });
      worker.on("error", (e) => {
        if (current) {
          for (let i = current.start; i < current.start + current.count; i++) {
            record({ index: i, category: categoryOf(options.categories.map(categoryNamed), options.seed, i).name, outcome: "crash", message: `the worker died: ${e.message}` });
          }
          current = undefined;
        }
      });
      worker.on("exit", () => {
        clearInterval(watchdog);
        live--;
        if (next < windows.length) start();
        else if (live === 0) resolve();
      });
    };
    for (let j = 0; j < Math.min(options.jobs, windows.length); j++) start();
  });
  clearInterval(timer);
  progress(true);

  const elapsed = (Date.now() - started) / 1000;
  // getrusage of the whole process: the workers' threads included, whatever else loads the machine.
  const usage = process.cpuUsage();
  const cpu = (usage.user + usage.system) / 1e6;
  const cpus = os.cpus();
  const summary = [
    "",
    `command:  npm run fuzz -- --programs ${options.programs} --seed ${options.seed}${options.from ? ` --from ${options.from}` : ""} --jobs ${options.jobs} --batch ${options.batch} --categories ${options.categories.join(",")}`,
    `machine:  ${cpus.length} × ${cpus[0]?.model ?? "?"}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end`,
    `time:     ${duration(elapsed)} (${(done / elapsed).toFixed(1)} programs/s); CPU ${duration(cpu)} in all threads, ${((cpu * 1000) / done).toFixed(0)} ms per program (what ${options.jobs} idle cores would take: ${duration(cpu / options.jobs)})`,
    `counts:   ${OUTCOMES.map((o) => `${o} ${counts[o]}`).join(", ")}`,
    ...[...byCategory].map(([c, n]) => `  ${c.padEnd(14)}${OUTCOMES.map((o) => `${o} ${n[o]}`).join(", ")}`),
    `checked:  ${stats.points} points (${stats.skipped} not compared with central differences: kinks, guarded domains), ` +
      `${stats.jvps} jvps, ${stats.hvpChecked} Hessian entries, ${stats.dotTests} dot-product tests`,
  ];
  if (failures.length > 0) {
    summary.push("failures:");
    for (const f of failures) {
      summary.push(`  program ${f.index} (${f.category}) ${f.outcome}${f.fixture ? ` → ${path.relative(process.cwd(), f.fixture)}` : ""}`);
      summary.push(...(f.message ?? "").split("\n").slice(0, f.fixture ? 2 : 40).map((l) => `    ${l}`));
    }
  }
  process.stdout.write(`${summary.join("\n")}\n`);
  return failures.length === 0 ? 0 : 1;
}

if (isMainThread) {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  runMain(options).then((code) => process.exit(code));
} else {
  runWorker(workerData as Options);
}
