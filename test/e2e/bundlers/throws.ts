// An exception inside generated code: its stack (adc run, or a bundle under node --enable-source-maps) names this file and line.
import { defineDerivative, grad } from "adc";

export function soft(x: number): number {
  return Math.log(1 + Math.exp(x));
}

export function softReverse(x: number, seed: number): number {
  if (x > 3) throw new RangeError(`softReverse: ${x} is out of range`);
  return seed / (1 + Math.exp(-x));
}
defineDerivative(soft, { reverse: softReverse });

export function f(x: number): number {
  const y = x * x;
  return 2 * soft(y);
}

console.log(grad(f)(1));
console.log(grad(f)(2));
