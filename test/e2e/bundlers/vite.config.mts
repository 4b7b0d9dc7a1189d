// A small Vite app built for Node (SSR) with adc's plugin: `vite build --config …` from the
// repository root. ADC_E2E_ENTRY picks the entry (test/e2e/src/main.ts, or a refused file).
import * as path from "node:path";
import { defineConfig } from "vite";
import adc from "adc/vite";

const e2e = path.resolve(import.meta.dirname, "..");
const entry = process.env.ADC_E2E_ENTRY ?? path.join(e2e, "src", "main.ts");

export default defineConfig({
  root: e2e,
  logLevel: "warn",
  plugins: [adc({ tsconfig: path.join(e2e, "tsconfig.json") })],
  build: {
    ssr: entry,
    outDir: path.join(e2e, "build", "vite"),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: "main.mjs" } },
  },
});
