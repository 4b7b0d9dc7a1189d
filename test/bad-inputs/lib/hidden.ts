// A helper of bad-inputs/callee-not-exported.ts: visible calls hidden, which is not exported.
function hidden(x: number): number {
  return x * x;
}
export function visible(x: number): number {
  return hidden(x) * x;
}
