// When an array's size is its length. `new Float64Array(n)` truncates n (`new Float64Array(1.5)`
// has length 1) and `new Array(n)` throws unless n is whole; both throw for a negative n. So a size
// that is an array's length, or a whole constant ≥ 0, is the made array's length and cannot throw.

/** Whether a size is a whole number ≥ 0 the compiler can see: a `length`, or such a constant. */
export function isWholeSize(isLength: boolean, constant: number | boolean | undefined): boolean {
  return isLength || (typeof constant === "number" && Number.isSafeInteger(constant) && constant >= 0);
}
