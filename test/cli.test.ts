// The `adc` command as users run it: the built CLI (`npm run build` first) in a subprocess.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { compileFile, irOfFile } from "../compiler";
import { CodeDescriptions } from "../compiler/diagnostics";

const root = path.resolve(__dirname, "..");

// Each case starts node and a TypeScript program: seconds each on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });
const bin = path.join(root, "bin", "adc.js");
const seed = "fixtures/seed.ts";
const refused = "test/cli-fixtures/try-catch.ts";

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function adc(...args: string[]): Run {
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ADC_DEBUG: "" },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let tmp: string;

beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist", "cli.js"))) {
    throw new Error("dist/cli.js is missing: run `npm run build` before these tests");
  }
});

afterEach(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function tempDir(): string {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adc-cli-"));
  return tmp;
}

describe("adc compile", () => {
  it("prints the transformed module, the same as compileFile and the snapshot", () => {
    const run = adc("compile", seed);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const expected = compileFile(seed);
    expect(expected.diagnostics).toEqual([]);
    expect(run.stdout).toBe(expected.code);
    const snapshot = path.join(root, "fixtures", "seed.out.ts");
    if (fs.existsSync(snapshot)) expect(run.stdout).toBe(fs.readFileSync(snapshot, "utf8"));
  });

  it("writes the module with -o and prints nothing", () => {
    const out = path.join(tempDir(), "seed.out.ts");
    const run = adc("compile", seed, "-o", out);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(fs.readFileSync(out, "utf8")).toBe(compileFile(seed).code);
    expect(fs.readdirSync(tmp)).toEqual(["seed.out.ts"]); // no temporary file left behind
  });

  it("accepts --output=<file> before the command's arguments", () => {
    const out = path.join(tempDir(), "out.ts");
    expect(adc(`--output=${out}`, "compile", seed).status).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
  });

  it("reports a refused construct as file(line,col): error ADC1005, exits 1, writes nothing", () => {
    const out = path.join(tempDir(), "out.ts");
    const run = adc("compile", refused, "-o", out);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^test\/cli-fixtures\/try-catch\.ts\(5,3\): error ADC1005: /);
    expect(run.stderr).toMatch(/^> +5 \|   try \{$/m); // the code frame
    expect(run.stderr).toMatch(/Found 1 error\.\n$/);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("leaves an existing -o file untouched when compilation fails", () => {
    const out = path.join(tempDir(), "out.ts");
    fs.writeFileSync(out, "previous\n");
    expect(adc("compile", refused, "-o", out).status).toBe(1);
    expect(fs.readFileSync(out, "utf8")).toBe("previous\n");
  });
});

describe("adc run", () => {
  const f = (x1: number, x2: number) => x1 * Math.exp(-0.5 * (x1 * x1 + x2 * x2));
  const central = (g: (x: number) => number, x: number, h = 1e-6) => (g(x + h) - g(x - h)) / (2 * h);

  it("runs the README's first example and prints the gradient, equal to central differences", () => {
    const run = adc("run", "examples/first/main.ts");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const numbers = (line: string) => [...line.matchAll(/-?\d+\.\d+(?:e-?\d+)?/g)].map((m) => Number(m[0]));
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^f\(2, 0\.5\) +=/);
    expect(numbers(lines[0].split("=")[1])[0]).toBeCloseTo(f(2, 0.5), 14);
    const [g1, g2] = numbers(lines[1].split("=")[1]);
    expect(Math.abs(g1 - central((x) => f(x, 0.5), 2))).toBeLessThan(1e-8);
    expect(Math.abs(g2 - central((x) => f(2, x), 0.5))).toBeLessThan(1e-8);
    const [, values, gradients] = lines[2].split("=");
    const [value, [d1, d2]] = [numbers(values)[0], numbers(gradients)];
    expect(value).toBeCloseTo(f(0.5, -1), 14);
    expect(Math.abs(d1 - central((x) => f(x, -1), 0.5))).toBeLessThan(1e-8);
    expect(Math.abs(d2 - central((x) => f(0.5, x), -1))).toBeLessThan(1e-8);
    expect(lines[3]).toMatch(/^checkGrad: ok /);
  });

  it("compiles the project files the program imports, passes its arguments and keeps its exit code", () => {
    const run = adc("run", "test/cli-fixtures/run/main.ts", "1.5", "--verbose", "x");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(7);
    // d/dx x³ = 3x²
    expect(JSON.parse(run.stdout)).toEqual({ x: 1.5, dcube: 3 * 1.5 * 1.5, args: ["--verbose", "x"] });
  });

  it("reports a refused construct like compile and runs nothing", () => {
    const run = adc("run", refused);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^test\/cli-fixtures\/try-catch\.ts\(5,3\): error ADC1005: /);
  });

  it("prints an exception of the program with its stack at the source's line, exit 1", () => {
    const run = adc("run", "test/cli-fixtures/run/throws.ts");
    expect(run.status).toBe(1);
    const file = path.join(root, "test", "cli-fixtures", "run", "throws.ts");
    expect(run.stderr.split("\n").slice(0, 3)).toEqual([
      "RangeError: negative",
      `    at norm (${file}:7:22)`,
      `    at Object.<anonymous> (${file}:11:1)`,
    ]);
    expect(run.stderr).not.toMatch(/run-module|cli\.js/); // adc's loader is not part of the story
  });
});

describe("source maps", () => {
  it("adc run: an exception inside generated code reports the line of the source it came from", () => {
    const run = adc("run", "test/e2e/bundlers/throws.ts");
    expect(run.status).toBe(1);
    const file = path.join(root, "test", "e2e", "bundlers", "throws.ts");
    // grad(f)(1) = 2·σ(1)·2·1, printed before grad(f)(2) reaches the rule's throw.
    expect(Number(run.stdout)).toBeCloseTo(4 / (1 + Math.exp(-1)), 14);
    expect(run.stderr.split("\n").slice(0, 5)).toEqual([
      "RangeError: softReverse: 4 is out of range",
      `    at softReverse (${file}:9:20)`,
      // The generated pullback adapter of soft: its declaration; f_grad: the line of f calling soft.
      `    at soft_pullback (${file}:4:1)`,
      `    at f_grad (${file}:16:3)`,
      `    at Object.<anonymous> (${file}:20:13)`,
    ]);
  });

  it("adc compile --source-map -o writes the map beside the module; generated lines map to their source", () => {
    const out = path.join(tempDir(), "main.out.ts");
    const run = adc("compile", "examples/first/main.ts", "--source-map", "-o", out);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const code = fs.readFileSync(out, "utf8");
    expect(code.endsWith("\n//# sourceMappingURL=main.out.ts.map\n")).toBe(true);
    const map = JSON.parse(fs.readFileSync(`${out}.map`, "utf8")) as { sources: string[]; file: string; sourcesContent: string[] };
    expect(map.file).toBe("main.out.ts");
    const source = path.relative(tmp, path.join(root, "examples", "first", "main.ts")).split(path.sep).join("/");
    expect(map.sources).toEqual([source]);
    expect(map.sourcesContent[0]).toBe(fs.readFileSync(path.join(root, "examples", "first", "main.ts"), "utf8"));
    expect(fs.readdirSync(tmp).sort()).toEqual(["main.out.ts", "main.out.ts.map"]);
  });

  it("adc compile --source-map to stdout appends the map inline", () => {
    const run = adc("compile", "examples/first/main.ts", "--source-map");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,[A-Za-z0-9+/=]+\n$/);
  });
});

describe("adc compile --out-dir", () => {
  /** A project of two files: main.ts imports model.ts, which marks cube. */
  function project(): string {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "src", "sub"), { recursive: true });
    fs.copyFileSync(path.join(root, "test", "cli-fixtures", "run", "model.ts"), path.join(dir, "src", "sub", "model.ts"));
    fs.writeFileSync(path.join(dir, "src", "main.ts"), 'import { dcube } from "./sub/model";\nconsole.log(dcube(2));\n');
    return dir;
  }

  it("compiles a directory into the out dir at the same relative paths, each like adc compile", () => {
    const dir = project();
    const out = path.join(dir, "out");
    const run = adc("compile", path.join(dir, "src"), "--out-dir", out);
    expect(run.stderr).toBe(`adc: wrote 2 files to ${out}\n`);
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(out, "sub", "model.ts"), "utf8")).toBe(compileFile(path.join(dir, "src", "sub", "model.ts")).code);
    expect(fs.readFileSync(path.join(out, "main.ts"), "utf8")).toBe(fs.readFileSync(path.join(dir, "src", "main.ts"), "utf8"));
    // The output runs: d/dx x³ at 2 is 12.
    expect(adc("run", path.join(out, "main.ts")).stdout).toBe("12\n");
  });

  it("takes a tsconfig.json's files; a refused file is reported and not written, the others are", () => {
    const dir = project();
    fs.copyFileSync(path.join(root, refused), path.join(dir, "src", "refused.ts"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, types: [] }, include: ["src"] }));
    const out = path.join(dir, "out");
    const run = adc("compile", path.join(dir, "tsconfig.json"), "--out-dir", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refused\.ts\(5,3\): error ADC1005: /);
    expect(run.stderr).toMatch(/adc: wrote 2 files to .*; 1 error\n$/);
    expect(fs.readdirSync(out).sort()).toEqual(["main.ts", "sub"]);
  });

  it("--watch compiles again when an input changes", async () => {
    const dir = project();
    const out = path.join(dir, "out", "sub", "model.ts");
    const child = spawn(process.execPath, [bin, "compile", path.join(dir, "src"), "--out-dir", path.join(dir, "out"), "--watch"], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const until = async (condition: () => boolean) => {
      for (let waited = 0; !condition(); waited += 100) {
        if (waited > 60_000) throw new Error(`timed out; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await until(() => stderr.includes("watching for changes"));
      expect(fs.readFileSync(out, "utf8")).toContain("return x * x * x;");
      const source = path.join(dir, "src", "sub", "model.ts");
      fs.writeFileSync(source, fs.readFileSync(source, "utf8").replace("return x * x * x;", "return x * x;"));
      await until(() => fs.readFileSync(out, "utf8").includes("return x * x;"));
      expect(fs.readFileSync(out, "utf8")).toBe(compileFile(source).code);
    } finally {
      child.kill();
    }
  });
});

describe("adc ir", () => {
  it("prints the IR of the marked functions", () => {
    const run = adc("ir", seed);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(irOfFile(seed).text);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  it("reports diagnostics the same way as compile", () => {
    const run = adc("ir", refused);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^test\/cli-fixtures\/try-catch\.ts\(5,3\): error ADC1005: /);
  });
});

describe("adc graph", () => {
  it("prints the DOT of the seed at a point, the same as the snapshot", () => {
    const run = adc("graph", seed, "--fn", "f", "--at", "2,0.5", "--mode", "reverse");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(fs.readFileSync(path.join(root, "test", "graph-fixtures", "seed.dot"), "utf8"));
  });

  it("writes an SVG with -o f.svg: the values and the inputs' adjoints", () => {
    const out = path.join(tempDir(), "f.svg");
    const run = adc("graph", seed, "--fn", "f", "--at", "2,0.5", "-o", out);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const svg = fs.readFileSync(out, "utf8").replace(/&#45;/g, "-");
    expect(svg).toContain("<svg");
    for (const text of ["<title>u-1</title>", "<title>u6</title>", "= 0.238866", "ū = -0.358299", "ū = -0.119433"]) {
      expect(svg).toContain(text);
    }
  });

  it("takes arrays in --at and unrolls the loop: the inputs' adjoints are the hand gradient", () => {
    const run = adc("graph", "fixtures/loop-sum.ts", "--fn", "weighted", "--at", "[0.3,-1.2],[1,0.5]");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('label="loop at line 14, iteration 2"');
    // weighted = s², s = Σ sin(xᵢ)·wᵢ: ∂/∂xᵢ = 2s·cos(xᵢ)·wᵢ, ∂/∂wᵢ = 2s·sin(xᵢ)
    const s = Math.sin(0.3) - 0.5 * Math.sin(1.2);
    const gradient = { "x[0]": 2 * s * Math.cos(0.3), "x[1]": 2 * s * Math.cos(-1.2) * 0.5, "w[0]": 2 * s * Math.sin(0.3), "w[1]": 2 * s * Math.sin(-1.2) };
    for (const [name, g] of Object.entries(gradient)) {
      // The input's node: `"u-1[0]" [label="u₋₁[0] = x[0]\n= 0.3\nū = -0.325768", shape=ellipse];`
      const node = run.stdout.split("\n").find((line) => line.includes(` = ${name}\\n`));
      const shown = Number(/ū = ([^"]+)"/.exec(node ?? "")?.[1]);
      expect(Math.abs(shown - g) / Math.abs(g), `${name}: shown ${shown}, hand ${g}`).toBeLessThan(1e-5);
    }
  });

  it("reports a refused function with the diagnostics of compile, exit 1", () => {
    const run = adc("graph", refused, "--fn", "g");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^test\/cli-fixtures\/try-catch\.ts\(5,3\): error ADC1005: /);
  });
});

describe("adc check", () => {
  it("prints a table of reverse vs forward vs central differences and exits 0 when they agree", () => {
    const run = adc("check", "fixtures/second-order.ts", "--points", "2", "--seed", "5");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe("| function | at | forward vs reverse | reverse vs central differences | status |");
    // 11 marked functions × 2 points, all agreeing, then the summary.
    expect(lines.filter((l) => / ok \|$/.test(l))).toHaveLength(22);
    expect(lines.at(-1)).toBe("All 22 checks agree.");
    // Seeded: the same points every run.
    expect(adc("check", "fixtures/second-order.ts", "--points", "2", "--seed", "5").stdout).toBe(run.stdout);
  });

  it("exits 1 when a registered derivative is wrong", () => {
    const run = adc("check", "test/cli-fixtures/wrong-rule.ts", "--points", "2");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\| f \| \(.*\) \| .* \| DISAGREE \|/);
    expect(run.stdout).toMatch(/2 of 2 checks disagree\.\n$/);
  });

  it("reports diagnostics like compile, and rejects a bad --points", () => {
    expect(adc("check", refused).status).toBe(1);
    const run = adc("check", seed, "--points", "0");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("adc: --points must be an integer ≥ 1\nRun adc --help for usage.\n");
  });

  it("answers a function of an array with a usage error that names checkGrad", () => {
    const run = adc("check", "test/cli-fixtures/array-parameter.ts");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "adc: check draws random numbers for the parameters; 'f' takes Float64Array (check it with checkGrad(f, args) in a program)\nRun adc --help for usage.\n",
    );
  });
});

describe("help and version", () => {
  it.each([["--help"], ["-h"], ["compile", "--help"], ["ir", "-h"], ["graph", "--help"]])("adc %s prints usage", (...args) => {
    const run = adc(...args);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: adc <command> <file\.ts>/);
    expect(run.stdout).toContain("compile");
    expect(run.stdout).toContain("-o, --output <file>");
    for (const [code, description] of Object.entries(CodeDescriptions)) {
      expect(run.stdout).toContain(`ADC${code}  ${description}`);
    }
    expect(run.stdout).toMatch(/3 +internal error/);
  });

  it("--version prints the package version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    const run = adc("--version");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });
});

describe("usage errors exit 2 with one line and a pointer to --help", () => {
  it.each([
    [["compile", seed, "--bogus"], "adc: unknown option '--bogus'"],
    [["compile", seed, "-x"], "adc: unknown option '-x'"],
    [["frobnicate", seed], "adc: unknown command 'frobnicate'"],
    [[], "adc: missing command"],
    [["compile"], "adc: missing input file: adc compile <file.ts>"],
    [["compile", "no/such/file.ts"], "adc: no/such/file.ts: no such file"],
    [["compile", "package.json"], "adc: package.json: expected a TypeScript source file (.ts)"],
    [["compile", seed, "fixtures/other.ts"], "adc: unexpected argument 'fixtures/other.ts' (several inputs go with --out-dir <dir>)"],
    [["compile", seed, "-o"], "adc: Option '-o, --output <value>' argument missing"],
    [["graph", seed], "adc: missing --fn <name>: adc graph <file.ts> --fn <name>"],
    [["graph", seed, "--fn", "g"], "adc: no function 'g' in seed.ts (its functions: f)"],
    [["graph", seed, "--fn", "f", "--at", "2"], "adc: --at gives 1 value but f takes 2 (x1, x2)"],
    [["graph", seed, "--fn", "f", "--at", "2,x"], "adc: --at: 'x' is not a number (expected e.g. --at 2,0.5)"],
    [["graph", seed, "--fn", "f", "--at", "[2,0.5"], "adc: --at: '[2,0.5' is not a point: values separated by commas, each a number, an array or an object, e.g. --at '[1,2,3],{w:1,b:0}'"],
    [
      ["graph", "fixtures/loop-overwrite.ts", "--fn", "repeatedSquare", "--at", "1.1,400"],
      "adc: the trace of repeatedSquare at this point has 1203 nodes, more than the 500 adc graph draws: choose a point where its loops run fewer times, raise --max-nodes, or leave out --at to draw the loops as clusters",
    ],
    [["graph", seed, "--fn", "f", "--at", "2,0.5", "--max-nodes", "0"], "adc: --max-nodes must be an integer ≥ 1"],
    [["compile", seed, "--max-nodes", "9"], "adc: --max-nodes is an option of adc graph, not adc compile"],
    [["graph", seed, "--fn", "f", "--at", "2,0.5", "--mode", "sideways"], "adc: --mode must be forward or reverse, not 'sideways'"],
    [["graph", seed, "--fn", "f", "--mode", "forward"], "adc: --mode needs --at <point>: derivatives are shown at a point"],
    [["graph", seed, "--fn", "f", "-o", "f.png"], "adc: cannot tell the format of f.png from its extension: use --format dot|svg"],
    [["compile", seed, "--fn", "f"], "adc: --fn is an option of adc graph, not adc compile"],
    [["run"], "adc: missing input file: adc run <file.ts>"],
    [["compile", seed, "--watch"], "adc: --watch needs --out-dir <dir>"],
    [["compile", seed, "fixtures/baydin.ts"], "adc: unexpected argument 'fixtures/baydin.ts' (several inputs go with --out-dir <dir>)"],
    [["ir", seed, "--out-dir", "x"], "adc: --out-dir is an option of adc compile, not adc ir"],
    [["run", "-o", "x.ts", seed], "adc: adc run takes no -o: it runs the program"],
  ])("adc %j", (args, message) => {
    const run = adc(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`${message}\nRun adc --help for usage.\n`);
  });

  it("an unwritable -o is reported without naming the temporary file", () => {
    const out = path.join(tempDir(), "missing-dir", "out.ts");
    const run = adc("compile", seed, "-o", out);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`adc: cannot write ${out}: ENOENT: no such file or directory\nRun adc --help for usage.\n`);
  });
});

describe("internal errors", () => {
  it("print one line, no stack, and exit 3", async () => {
    vi.resetModules();
    vi.doMock("../compiler", async (original) => ({
      ...(await original<typeof import("../compiler")>()),
      compileFile: () => {
        throw new Error("boom");
      },
    }));
    const stderr: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const previous = process.env.ADC_DEBUG;
    delete process.env.ADC_DEBUG;
    try {
      const { main } = (await import("../cli" as string)) as typeof import("../cli");
      expect(await main(["compile", seed])).toBe(3);
    } finally {
      write.mockRestore();
      vi.doUnmock("../compiler");
      if (previous !== undefined) process.env.ADC_DEBUG = previous;
    }
    const text = stderr.join("");
    expect(text).toMatch(/^adc: internal error: boom\n.*please report/);
    expect(text).not.toContain("    at ");
  });
});
