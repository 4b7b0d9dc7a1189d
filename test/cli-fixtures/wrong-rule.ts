// A registered reverse rule that is wrong (cube's derivative is 3x², not 2x): adc check catches it,
// since forward mode uses the (right) forward rule and central differences the function itself.
import { defineDerivative, grad } from "adc";

export function cube(x: number): number {
  return x * x * x;
}

export function cubeForward(x: number, dx: number): [number, number] {
  return [x * x * x, 3 * x * x * dx];
}

export function cubeReverse(x: number, seed: number): number {
  return 2 * x * seed;
}

defineDerivative(cube, { forward: cubeForward, reverse: cubeReverse });

export function f(x: number): number {
  return cube(x) + x;
}

export const df = grad(f);
