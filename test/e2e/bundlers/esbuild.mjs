// An esbuild bundle with adc's plugin: `node test/e2e/bundlers/esbuild.mjs [entry.ts]`.
import * as path from "node:path";
import * as esbuild from "esbuild";
import adc from "adc/esbuild";

const e2e = path.resolve(import.meta.dirname, "..");
const entry = process.argv[2] ?? path.join(e2e, "src", "main.ts");

await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "cjs",
  outfile: path.join(e2e, "build", "esbuild", "main.js"),
  sourcemap: true,
  logLevel: "silent",
  plugins: [adc({ tsconfig: path.join(e2e, "tsconfig.json") })],
}).catch((error) => {
  // esbuild's own report: file:line:column: ERROR: text, one per message.
  for (const m of error.errors ?? []) {
    const at = m.location ? `${path.relative(process.cwd(), m.location.file)}:${m.location.line}:${m.location.column}: ` : "";
    console.error(`${at}error: ${m.text}`);
  }
  process.exit(1);
});
