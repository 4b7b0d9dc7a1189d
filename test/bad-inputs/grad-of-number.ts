// grad of something that is not a function
// expect: ADC2001
import { grad } from "adc";
const k = 3;
export const g = grad(k as any);
