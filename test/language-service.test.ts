// adc's language-service plugin in tsserver, spoken to over its protocol as an editor does: open
// a file of test/e2e/editor (its tsconfig.json lists the plugin), ask for diagnostics and quick
// info. tsserver loads the plugin from the build (dist/language-service) through the
// node_modules/adc link, as in a project that installed adc; `npm run build` first.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPackage, requireBuild, root } from "./support/link";

const e2e = path.join(root, "test", "e2e");
const project = path.join(e2e, "editor");
const tsserver = path.join(root, "node_modules", "typescript", "lib", "tsserver.js");

interface Response {
  readonly request_seq: number;
  readonly success: boolean;
  readonly body?: any;
  readonly message?: string;
}

/** tsserver over stdio: requests are lines of JSON, responses come framed by Content-Length. */
class TsServer {
  private readonly process: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private seq = 0;
  private readonly waiting = new Map<number, (r: Response) => void>();

  constructor() {
    // tsserver looks for plugins beside its own node_modules; in a user's project that is the
    // project's. Here it runs from the repository's, so it is told where the project's are.
    this.process = spawn(process.execPath, [tsserver, "--pluginProbeLocations", e2e, "--disableAutomaticTypingAcquisition"], {
      cwd: project,
    });
    this.process.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  request(command: string, args: object): Promise<Response> {
    const seq = ++this.seq;
    this.process.stdin.write(`${JSON.stringify({ seq, type: "request", command, arguments: args })}\n`);
    return new Promise((resolve) => this.waiting.set(seq, resolve));
  }

  close(): void {
    this.process.kill();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = /^Content-Length: (\d+)\r\n\r\n/.exec(this.buffer.toString("latin1", 0, 64));
      if (!header) return;
      const start = header[0].length;
      const end = start + Number(header[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.toString("utf8", start, end)) as Response & { type: string };
      this.buffer = this.buffer.subarray(end);
      if (message.type === "response") this.waiting.get(message.request_seq)?.(message);
    }
  }
}

let server: TsServer;

beforeAll(() => {
  requireBuild("dist/language-service/index.js", "dist/runtime/index.d.ts");
  linkPackage(e2e);
  server = new TsServer();
});

afterAll(() => server?.close());

describe("tsserver with adc/language-service", () => {
  it("reports adc's refusal with its code at the construct's range, beside TypeScript's own errors", async () => {
    const file = path.join(project, "src", "refused.ts");
    await server.request("open", { file });
    const response = await server.request("semanticDiagnosticsSync", { file });
    expect(response.success).toBe(true);
    const diagnostics = (response.body as { code: number; text: string; start: { line: number; offset: number }; end: { line: number; offset: number } }[])
      .map((d) => ({ code: d.code, text: d.text, start: d.start, end: d.end }));
    expect(diagnostics).toEqual([
      { code: 2322, text: "Type 'number' is not assignable to type 'string'.", start: { line: 13, offset: 14 }, end: { line: 13, offset: 23 } },
      // The try statement, lines 5-9: the range tspc and `adc compile` report.
      { code: 91005, text: "ADC1005: try/catch cannot be differentiated", start: { line: 5, offset: 3 }, end: { line: 9, offset: 4 } },
    ]);
  });

  it("reports nothing for a file adc accepts", async () => {
    const file = path.join(project, "src", "main.ts");
    await server.request("open", { file });
    const response = await server.request("semanticDiagnosticsSync", { file });
    expect(response.body).toEqual([]);
  });

  it("shows the generated function's signature on grad(f)", async () => {
    const file = path.join(project, "src", "main.ts");
    // `export const df = grad(f);` is line 7; offset 19 is inside `grad`.
    const response = await server.request("quickinfo", { file, line: 7, offset: 19 });
    expect(response.success).toBe(true);
    const documentation = String(response.body.documentation);
    expect(documentation).toContain("adc generates function f_grad(x1: number, x2: number): [number, number]");
    expect(documentation).toContain("Gradient of f (main.ts:4) with respect to x1, x2.");
  });

  it("sees an edit before it is saved", async () => {
    const file = path.join(project, "src", "main.ts");
    // Replace line 5's body by a call adc cannot see (ADC1003), as typed in the editor.
    await server.request("change", { file, line: 5, offset: 3, endLine: 5, endOffset: 52, insertString: "return Number.parseFloat(String(x1)) + x2;" });
    const response = await server.request("semanticDiagnosticsSync", { file });
    const codes = (response.body as { code: number; text: string }[]).map((d) => d.code);
    expect(codes).toEqual([91003]);
  });
});
