// Found by the property tests (adc's output type-checked under strict), shrunk by hand: adc wrote
// Math.PI and Math.E as number literals, so `Math.PI === a && Math.E !== a` becomes
// `3.141592653589793 === a && 2.718281828459045 !== a`, which TypeScript rejects (TS2367: after the
// first comparison `a` has the literal type 3.141592653589793). The gradient itself was right; the
// backend now prints Math's constants by name (emit.ts, mathConstants).
// Checked by test/fuzz-regressions.test.ts: the output type-checks, and the oracle at the points in the .json.
import { grad, jvp } from "adc";

export function f(a: number): number {
  if (Math.PI === a && Math.E !== a) return a;
  return 2 * a * a;
}
export const g = grad(f);
export const jg = jvp(f);
