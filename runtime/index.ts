// The `adc` package as users import it.
export { checkGrad, grad, valueAndGrad, vjp, registerDerivatives } from "./operators";
export type { RegisteredDerivatives } from "./operators";
export { checkGradient, centralDifference } from "./check";
export { zerosLike, drain, addSlice } from "./memory";
export type { Writable } from "./memory";
export { Tape, tape } from "./tape";
export type { CheckGradOptions, CheckGradResult } from "./check";
export type {
  Cotangent,
  GradFn,
  GradOptions,
  GradOut,
  GradsOf,
  Pullback,
  ValueAndGradFn,
  VjpFn,
  Wrt,
} from "./types";
export * from "./tensor";
