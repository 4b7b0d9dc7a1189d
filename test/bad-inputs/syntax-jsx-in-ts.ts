// JSX in a .ts file
// expect: ADC1000
import { grad } from "adc";
export function f(x: number): number {
  const e = <div>{x}</div>;
  return x;
}
export const g = grad(f);
