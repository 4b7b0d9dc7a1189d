// Helpers of bad-inputs/callee-not-exported.ts (visible calls hidden, which is not exported) and
// of bad-inputs/module-constant-not-exported.ts.
function hidden(x: number): number {
  return x * x;
}
export function visible(x: number): number {
  return hidden(x) * x;
}

// For bad-inputs/module-constant-not-exported.ts: scaled reads a table its module does not export.
const factors = [2, 3];
export function scaled(x: number): number {
  return factors[1] * x;
}
