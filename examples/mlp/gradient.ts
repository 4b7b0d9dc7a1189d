// Which gradient of the MLP loss runs: adc's, generated from model.ts, or the hand-written one
// (hand.ts). The examples, bench/mlp.ts and test/training.test.ts all get theirs from here.
//
//   "adc"   compile model.ts with adc and use its `lossAndGrad`; fail if adc refuses it.
//   "hand"  the hand-written gradient.
//   "auto"  adc's if adc compiles model.ts, else the hand-written one with a printed notice.
//
// The environment variable ADC_GRADIENT (adc | hand | auto) overrides the default for one run.
// Whatever runs is reported by `source`, and every example prints it.
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { Rng, randn } from "adc";
import { compileFile, formatDiagnostic } from "adc/compiler";
import { type LossAndGrad, gradientGap, initMlp, lossAndGradHand } from "./hand";

export type GradientChoice = "adc" | "hand" | "auto";

/** The default when ADC_GRADIENT is not set. */
export const DEFAULT_GRADIENT: GradientChoice = "auto";

export interface LoadedGradient {
  readonly lossAndGrad: LossAndGrad;
  readonly source: "adc" | "hand-written";
  /** Why adc's gradient is not the one running (its first diagnostic), when it is not. */
  readonly notice?: string;
}

const MODEL = path.join(__dirname, "model.ts");
const GENERATED = path.join(__dirname, "build", "model.generated.ts");

/** The choice from ADC_GRADIENT, or `fallback`. */
export function gradientChoice(fallback: GradientChoice = DEFAULT_GRADIENT): GradientChoice {
  const env = process.env.ADC_GRADIENT;
  if (env === undefined || env === "") return fallback;
  if (env === "adc" || env === "hand" || env === "auto") return env;
  throw new Error(`ADC_GRADIENT=${env}: expected adc, hand or auto`);
}

/** adc's gradient of model.ts's loss, or the reason adc refused it. */
export async function compileAdcGradient(): Promise<LossAndGrad | { refused: string }> {
  const result = compileFile(MODEL);
  if (result.code === undefined) {
    const first = result.diagnostics[0];
    const text = first ? formatDiagnostic(first).split("\n")[0]! : "no code and no diagnostic";
    return { refused: text.replace(path.dirname(MODEL) + path.sep, "examples/mlp/") };
  }
  fs.mkdirSync(path.dirname(GENERATED), { recursive: true });
  fs.writeFileSync(GENERATED, result.code);
  const m = (await import(pathToFileURL(GENERATED).href)) as { lossAndGrad?: unknown };
  if (typeof m.lossAndGrad !== "function") return { refused: "the compiled model.ts exports no lossAndGrad function" };
  // valueAndGrad(loss, { wrt: "p" }) returns [loss, gradient of p]; its declared type is looser.
  return m.lossAndGrad as LossAndGrad;
}

/**
 * Checks a gradient against the hand-written one in float64 on a small random problem (so a
 * wrong gradient never trains silently); throws on a disagreement.
 */
export function checkAgainstHand(lossAndGrad: LossAndGrad, what: string): void {
  const rng = new Rng(7);
  const p = initMlp(5, 6, 3, rng, "float64");
  p.b1 = randn([6], { rng, dtype: "float64" });
  const x = randn([8, 5], { rng, dtype: "float64" });
  const labels = Int32Array.from({ length: 8 }, (_, i) => (i * 5) % 3);
  const [l1, g1] = lossAndGrad(p, x, labels);
  const [l2, g2] = lossAndGradHand(p, x, labels);
  const gap = Math.max(gradientGap(g1, g2), Math.abs(l1 - l2) / Math.max(1, Math.abs(l2)));
  if (!(gap < 1e-9)) throw new Error(`${what} disagrees with the hand-written gradient (relative gap ${gap})`);
}

/** The gradient to train with, by `choice` (see the top of this file). */
export async function loadLossAndGrad(choice: GradientChoice = gradientChoice()): Promise<LoadedGradient> {
  if (choice === "hand") return { lossAndGrad: lossAndGradHand, source: "hand-written" };
  const adc = await compileAdcGradient();
  if (typeof adc === "function") {
    checkAgainstHand(adc, "adc's gradient");
    return { lossAndGrad: adc, source: "adc" };
  }
  if (choice === "adc") throw new Error(`ADC_GRADIENT=adc, but adc refused examples/mlp/model.ts: ${adc.refused}`);
  return { lossAndGrad: lossAndGradHand, source: "hand-written", notice: adc.refused };
}

/** One line for the examples to print: which gradient runs, and why not adc's. */
export function describeGradient(g: LoadedGradient): string {
  if (g.source === "adc") return "gradient: adc's, generated from examples/mlp/model.ts";
  if (g.notice === undefined) return "gradient: hand-written (examples/mlp/hand.ts), as asked";
  return `gradient: hand-written (examples/mlp/hand.ts); adc does not differentiate model.ts yet:\n  ${g.notice}`;
}
