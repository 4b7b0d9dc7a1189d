// The one PRNG the tests and the benchmarks draw from: mulberry32, kept with `adc check`, which
// uses it too (compiler/random.ts).
export { mulberry32 } from "../../compiler/random";
