// Builds the playground into playground/build/: the page's script and the compiler's worker
// (compiler/ and runtime/ bundled by esbuild, TypeScript's compiler API included, node:fs and
// node:path shimmed), and files.json, the virtual file system the worker's TypeScript reads (the
// ES2022 standard library and adc's runtime sources). Needs runtime/tensor/wasm/kernels.generated.ts
// (`npm run build:wasm`, which `npm install` runs).
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
export const outDir = join(here, "build");

/** TypeScript's lib files from `entry` on, following `/// <reference lib="…" />`. */
function libFiles(entry) {
  const libDir = dirname(createRequire(import.meta.url).resolve("typescript/lib/lib.d.ts"));
  const found = new Map();
  const visit = (name) => {
    if (found.has(name)) return;
    const text = readFileSync(join(libDir, name), "utf8");
    found.set(name, text);
    for (const [, lib] of text.matchAll(/\/\/\/\s*<reference\s+lib="([^"]+)"/g)) visit(`lib.${lib.toLowerCase()}.d.ts`);
  };
  visit(entry);
  return found;
}

function runtimeFiles(dir = join(root, "runtime")) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) return runtimeFiles(file);
    return entry.name.endsWith(".ts") ? [file] : [];
  });
}

function virtualFiles() {
  const files = { "/node_modules/adc/package.json": JSON.stringify({ name: "adc" }) };
  for (const [name, text] of libFiles("lib.es2022.d.ts")) files[`/lib/${name}`] = text;
  for (const file of runtimeFiles()) files[`/node_modules/adc/${relative(root, file).split("\\").join("/")}`] = readFileSync(file, "utf8");
  return files;
}

/** node:fs and node:path for the browser: reads of the virtual file system, and path-browserify. */
const nodeShims = {
  name: "node-shims",
  setup(build) {
    build.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: join(here, "src/shims/fs.ts") }));
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: createRequire(import.meta.url).resolve("path-browserify") }));
  },
};

export async function buildPlayground({ minify = true } = {}) {
  if (!existsSync(join(root, "runtime/tensor/wasm/kernels.generated.ts"))) {
    throw new Error("playground: runtime/tensor/wasm/kernels.generated.ts is missing; run `npm run build:wasm` first");
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "files.json"), JSON.stringify(virtualFiles()));
  await esbuild.build({
    entryPoints: { main: join(here, "src/main.ts"), worker: join(here, "src/worker.ts") },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify,
    sourcemap: "linked",
    plugins: [nodeShims],
    inject: [join(here, "src/shims/process.ts")],
    logLevel: "warning",
  });
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const start = Date.now();
  await buildPlayground();
  console.log(`playground: built ${relative(process.cwd(), outDir)} in ${Date.now() - start} ms`);
}
