// A helper that is not exported: generated code in another module cannot call it.
function hidden(x: number): number {
  return x * x;
}

export function visible(x: number): number {
  return hidden(x) * x;
}
