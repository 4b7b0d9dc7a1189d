// Forward mode on every fixture: the fixture's source plus one `jvp(fn)` per function its cases
// differentiate, compiled as the fixture itself (so relative imports and line numbers hold). The
// result is snapshot as fixtures/<name>.jvp.out.ts beside the reverse-mode one.
import * as fs from "node:fs";
import { compileSource, type CompileResult } from "../../compiler";
import { copyArgs, fixturePath, leaves, rebuild, type Arg } from "./cases";

/** The functions a fixture's cases name (`fn: f`, `fn: Model.loss`), in order, once each. */
export function caseFunctions(text: string): string[] {
  const from = text.indexOf("export const cases");
  const names = [...text.slice(from).matchAll(/\bfn:\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/**
 * The fixture's text with `export const jvpCases = [{ fn, jvp: jvp(fn) }, …]` appended; jvp joins
 * the fixture's import from "adc" (or is imported at the end), so line numbers stay.
 */
export function withJvpCases(name: string): string {
  const text = fs.readFileSync(fixturePath(name), "utf8");
  const entries = caseFunctions(text).map((e) => `  { fn: ${e}, jvp: adc_jvp(${e}) },`);
  const adcImport = /^import \{([^}]*)\} from "adc";$/m;
  const withImport = adcImport.test(text)
    ? text.replace(adcImport, (_, names: string) => `import {${names.trimEnd().replace(/,$/, "")}, jvp as adc_jvp } from "adc";`)
    : `${text}import { jvp as adc_jvp } from "adc";\n`;
  return `${withImport}export const jvpCases = [\n${entries.join("\n")}\n];\n`;
}

export function compileWithJvp(name: string): CompileResult {
  return compileSource(withJvpCases(name), fixturePath(name));
}

/**
 * Forward-mode ∇f at x: one jvp per number in the arguments (each leaf of an array or object in
 * turn seeded with 1, every other tangent 0); gradient[i] lists parameter i's leaves in order.
 */
export function forwardGradient(
  jvp: (primals: Arg[], tangents: Arg[]) => [number, number],
  x: readonly Arg[],
): { value: number; gradient: number[][] } {
  let value = NaN;
  const gradient = x.map((xi, i) =>
    leaves(xi).map((_, j) => {
      const tangents = x.map((xk, k) => rebuild(xk, leaves(xk).map((_, m) => (k === i && m === j ? 1 : 0))) as Arg);
      const [y, dy] = jvp(copyArgs(x), tangents);
      value = y;
      return dy;
    }),
  );
  return { value, gradient };
}

/** |a − b| relative where they are large, absolute where small (as checkGradient measures). */
export function gap(a: number, b: number): number {
  if (a === b) return 0;
  const e = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
  return Number.isNaN(e) ? Infinity : e;
}
