// a module constant read by a helper inlined into a function with a parameter of that name
// expect: ADC1004
import { grad } from "adc";
const table = [10, 20];
function scaled(v: number, i: number): number {
  return v * table[i];
}
export function f(x: number[], table: number): number {
  let s = 0;
  for (let i = 0; i < 2; i++) s += scaled(x[i], i) * table;
  return s;
}
export const g = grad(f);
