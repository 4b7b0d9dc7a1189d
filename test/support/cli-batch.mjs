// Runs many `adc` invocations in one process, for test/bad-inputs.test.ts: starting node and
// TypeScript once instead of once per input. Each invocation goes through the built CLI's main()
// (dist/cli.js, what bin/adc.js calls) with stdout and stderr captured; its exit code, output and
// time are appended to a JSON-lines file. `node cli-batch.mjs <runs.json> <results.jsonl>`,
// runs.json: [{ "args": [...], "cwd": "..." }]. Before each run its index goes to stderr, so a run
// that hangs or kills the process can be named by the caller.
import * as fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { main } = require("../../dist/cli.js");

const [runsFile, resultsFile] = process.argv.slice(2);
const runs = JSON.parse(fs.readFileSync(runsFile, "utf8"));
const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

for (let i = 0; i < runs.length; i++) {
  const { args, cwd } = runs[i];
  write.err(`run ${i}\n`);
  let stdout = "";
  let stderr = "";
  process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
  process.stderr.write = (chunk) => ((stderr += String(chunk)), true);
  const before = process.cwd();
  process.chdir(cwd);
  const start = performance.now();
  let code;
  try {
    code = await main(args);
  } catch (e) {
    // main() must not throw: record it as what a user would see, an uncaught exception.
    code = "threw";
    stderr += String(e && e.stack ? e.stack : e);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.chdir(before);
  }
  const ms = performance.now() - start;
  fs.appendFileSync(resultsFile, `${JSON.stringify({ i, code, stdout, stderr, ms })}\n`);
}
