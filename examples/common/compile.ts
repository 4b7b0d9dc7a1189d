// Compiles a model file with adc at start-up (as `adc compile` would) and imports the result, so
// an example runs adc's generated gradient without a build step of its own. The generated module
// is written next to the model, under build/, for reading.
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { compileFile, formatDiagnostic } from "adc/compiler";

/** The module `file` becomes once adc has spliced in the derivatives it marks; throws adc's diagnostics. */
export async function compileWithAdc<T>(file: string): Promise<T> {
  const result = compileFile(file);
  if (result.code === undefined) {
    throw new Error(`adc refused ${path.basename(file)}:\n${result.diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`);
  }
  const out = path.join(path.dirname(file), "build", `${path.basename(file, ".ts")}.generated.ts`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, result.code);
  return (await import(pathToFileURL(out).href)) as T;
}
