// A file without adc: the transformer leaves it alone and tsc emits it as usual.
export function helper(x: number): number {
  return x + 1;
}
