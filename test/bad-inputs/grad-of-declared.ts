// grad of a function without a body
// expect: ADC2001
import { grad } from "adc";
declare function opaque(x: number): number;
export const g = grad(opaque);
