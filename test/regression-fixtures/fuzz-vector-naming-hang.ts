// Found by the fuzz command (vector, seed 2026, program 182), shrunk by hand: adc never finished
// compiling it. The tangent of the parameter f_adjoint wants the name f_adjoint_dot, which belongs
// to the family of generated names of f (f_adjoint…); Naming.fresh stepped out of the family by
// appending "Local", but f_adjoint_dotLocal is still in it, and the loop trying f_adjoint_dotLocal_N
// never ended. Fixed: fresh() steps out with a prefix (local_f_adjoint_dot). Checked by
// test/fuzz-regressions.test.ts (compiled in a subprocess with a time limit).
import { jvp } from "adc";

export function f(x: number, f_adjoint: number): [number, number] {
  if (x >= 0) {
    return [x, f_adjoint];
  }
  return [f_adjoint, x];
}
export const jg = jvp(f);
