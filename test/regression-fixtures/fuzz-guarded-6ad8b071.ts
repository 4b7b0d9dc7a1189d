// Found by npm run fuzz -- --seed 2027 --from 9716 --programs 1 --categories guarded (fuzz mismatch:
// grad(f) against central differences, error 5.6e-4 at the second point). Not adc's bug: at that
// point `x + y - x === y` holds, and a few ulps of y away it does not, so central differences
// (at every step from 1e-5 down) differentiate the other branch; forward and reverse mode agree on
// the branch the point takes. The oracle's kink test now also asks that f(x) be the mean of its
// neighbours (test/support/oracle.ts, nearKink), which skips such isolated points.
// Checked by test/fuzz-regressions.test.ts at the points in fuzz-guarded-6ad8b071.json.
import { defineDerivative, grad, hessian, hvp, jacobian, jvp, valueAndGrad, vjp } from "adc";

export function f(x: number, y: number, z: number): number {
  if (-(x % 2) < Math.min(Math.exp(x), x)) {
    {
    }
  } else {
    if (x + y - x === y) {
      const t1 = x + -(0.5 + x);
    } else {
      y++;
      z += 2 * Math.max(x, Math.sin(2));
    }
    const v0: number = Math.sin(0.1 * Math.abs(2 - z));
    if ((2 <= 2 && 0.5 >= 10 ? z * z : v0) > (z > Math.E ? v0 : Math.pow(1 + x * x, x))) return Math.trunc(y);
  }
  const v1 = (1 + Math.pow(1 + Math.sin(0.75) * Math.sin(0.75), -0.5) * Math.pow(1 + Math.sin(0.75) * Math.sin(0.75), -0.5)) ** (-0.5);
  if (Math.pow(1 + Math.tanh(v1) * Math.tanh(v1), -0.5) <= Math.tan(0.1 * (z - 0.5))) {
    const v2 = Math.max(Math.ceil(z + x), 0);
    const v3 = Math.pow(v2, -2);
    const v4 = 0.1 * v3 * Math.round(2.5 > v1 ? x : 1);
    if (v2 > 0.1) {
      z *= Math.atan(v4 * ((0.1 - Math.E) * (y + Math.PI)));
    }
    if (Math.pow(1 + x * x, 1.5) === Math.tan(0.1 * 2) && (v1 < Math.E ? x : Math.PI) < Math.max(v1, Math.PI)) return Math.abs(Math.min(Math.sinh(Math.atan(z)), +z, v1 * 2));
    y *= -(0.1 + 2 * 4);
  } else {
    const x: number = Math.exp(Math.tanh(Math.abs(y))) ** (0.01 * y ** 3) * 10;
    z *= Math.exp(v1) ** 0.5 / 3;
  }
  ++z;
  return Math.pow(1 + 0.01 * (-4 * (z + x)) * (0.01 * (-4 * (z + x))), Math.atan(y * (y - 0.1)));
}
export const g = grad(f);
export const jg = jvp(f);
