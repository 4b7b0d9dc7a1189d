// The files the compiler reads in the browser: TypeScript's standard library and adc's runtime
// (its sources, as the CLI reads them in a checkout), by absolute path. build.mjs collects them
// into files.json; the worker loads that before it compiles anything.
export const files = new Map<string, string>();

export function loadFiles(entries: Record<string, string>): void {
  for (const [name, text] of Object.entries(entries)) files.set(name, text);
}

/** Where the runtime sits, as an installed package would: `packageNameOf` finds "adc" above it. */
export const runtimeRoot = "/node_modules/adc";
export const runtimeEntry = `${runtimeRoot}/runtime/index.ts`;
export const libDirectory = "/lib";
