// Found by the fuzz command (loops-vjp), shrunk by hand: vjp's pullback pops the fill value that
// the forward sweep pushed as if it were x[i], so the gradient is wrong (-0.02418…; grad gives
// -0.02224…, which central differences confirm), and numbers are left on the tape.
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-loops-vjp-fill.json.
import { vjp } from "adc";

export function f(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) {
    x.fill((1 + Math.atan(x[i]) * Math.atan(x[i])) ** (-0.5));
  }
  return x[0] + x[1];
}
export const v = vjp(f);
