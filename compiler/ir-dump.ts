// What `adc ir` prints: the IR of every function a module marks (and their callees), then the
// optimised fused gradient of each marked function.
import ts from "typescript";
import { derivativeFunctions } from "./ad/derivatives";
import type { AdcDiagnostic } from "./diagnostics";
import { findMarkers } from "./frontend/markers";
import { functionKey } from "./frontend/resolve";
import { printFunction } from "./ir/print";
import { lowerClosure } from "./module";

export function printFunctionsIr(program: ts.Program, sourceFile: ts.SourceFile): { text: string; diagnostics: readonly AdcDiagnostic[] } {
  const checker = program.getTypeChecker();
  const { markers, diagnostics } = findMarkers(checker, sourceFile);
  if (diagnostics.length > 0) return { text: "", diagnostics };
  const closure = lowerClosure(checker, markers.map((m) => m.decl));
  if (closure.diagnostics.length > 0) return { text: "", diagnostics: closure.diagnostics };
  const parts: string[] = [];
  for (const fn of closure.lowered.values()) parts.push(printFunction(fn.func));
  const marked = new Set(markers.map((m) => functionKey(m.decl)));
  for (const key of marked) {
    const fn = closure.lowered.get(key)!;
    const wrt = fn.func.params.map((_, i) => i);
    const [spec] = derivativeFunctions(fn.func, { kind: "grad", wrt, bare: false }, { fn: `${key}_grad`, seed: "seed", field: () => "", bind: () => undefined }, key);
    parts.push(printFunction({ name: spec.name, params: fn.func.params, body: spec.body }));
  }
  return { text: parts.join("\n"), diagnostics: [] };
}
