// grad of an arrow function bound to a const
// expect: ADC2001
import { grad } from "adc";
const h = (x: number) => x * x;
export const g = grad(h);
