// options given to jvp
// expect: ADC2002
import { jvp } from "adc";
export function p(x: number, y: number): [number, number] {
  return [x * y, x + y];
}
export const d = jvp(p, { wrt: 0 } as any);
