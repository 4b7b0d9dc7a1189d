// adc's gradients of the workloads: compiles bench/workloads/marked.ts, loads the result and adapts
// it to benchWorkloads' signatures, with the tape's peak size for one call. `npm run bench` uses it;
// alone, `npx tsx bench/workloads/adc.ts` times only the workloads (ADC_BENCH_ONLY=GMM or LSTM, or
// a size such as "d=2 k=5", picks rows).
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { compileFile, formatDiagnostic } from "../../compiler";
import { tape } from "../../runtime";
import { benchWorkloads, targetLines, type GmmGradientFn, type GradientImplementation, type LstmGradientFn } from "./bench";

/**
 * Compiles a module of markers with adc, writes the result beside it as `*.generated.ts` (gitignored)
 * with its runtime import pointed at this checkout, and imports it.
 */
export async function compileMarked<T>(marked: string): Promise<T> {
  const result = compileFile(marked);
  if (result.diagnostics.length > 0 || result.code === undefined) {
    throw new Error(`adc refused ${marked}:\n\n${result.diagnostics.map((d) => formatDiagnostic(d)).join("\n\n")}`);
  }
  const file = marked.replace(/\.ts$/, ".generated.ts");
  const runtime = path.relative(path.dirname(file), path.join(__dirname, "../../runtime")).replace(/\\/g, "/");
  fs.writeFileSync(file, result.code.replace(/from "adc"/g, `from "${runtime}"`));
  return (await import(pathToFileURL(file).href)) as T;
}

/** Compiles `marked` (a module exporting gmmGradient and lstmGradient) with adc and loads it. */
export async function loadAdcWorkloads(marked = path.join(__dirname, "marked.ts"), name = "adc"): Promise<GradientImplementation> {
  const m = await compileMarked<{
    gmmGradient?: (...args: Parameters<GmmGradientFn>) => Float64Array[];
    lstmGradient?: (...args: Parameters<LstmGradientFn>) => Float64Array[];
  }>(marked);
  const { gmmGradient, lstmGradient } = m;
  const gmm: GmmGradientFn | undefined = gmmGradient && ((...args) => {
    const [alpha, means, q, l] = gmmGradient(...args);
    return { alpha: alpha!, means: means!, q: q!, l: l! };
  });
  const lstm: LstmGradientFn | undefined = lstmGradient && ((...args) => {
    const [main, extra] = lstmGradient(...args);
    return { main: main!, extra: extra! };
  });
  const tapeBytes = (call: () => void): number => {
    tape.resetPeak();
    call();
    return tape.peakBytes;
  };
  return { name, gmm, lstm, tapeBytes };
}

if (typeof require !== "undefined" && require.main === module) {
  loadAdcWorkloads()
    .then((adc) => benchWorkloads([adc]))
    .then((results) => console.log(`\n${targetLines(results).join("\n")}`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
