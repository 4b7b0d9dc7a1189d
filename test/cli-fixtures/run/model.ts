// A project file that marks a function itself: `adc run` compiles it when main.ts imports it.
import { grad } from "adc";

export function cube(x: number): number {
  return x * x * x;
}

export const dcube = grad(cube);
