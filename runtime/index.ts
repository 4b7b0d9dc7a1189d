// The `adc` package as users import it.
export {
  checkGrad,
  defineDerivative,
  grad,
  hessian,
  hvp,
  jacobian,
  jvp,
  registerDerivatives,
  stopGradient,
  valueAndGrad,
  vjp,
} from "./operators";
export type { RegisteredDerivatives } from "./operators";
export { checkGradient, centralDifference } from "./check";
export { zerosLike, drain, addSlice, addTo, copy } from "./memory";
export type { Writable } from "./memory";
export { jacobianRows, jacobianColumns, hessianRows } from "./rows";
export { Tape, tape } from "./tape";
export type { TapeMark, TapeSegment } from "./tape";
export type { CheckGradOptions, CheckGradResult } from "./check";
export type {
  Cotangent,
  DerivativeRules,
  FieldsGradient,
  HessianFn,
  HvpFn,
  JacobianFn,
  JacobianOptions,
  JvpFn,
  JvpOptions,
  JvpVectorFn,
  TupleOf,
  Out,
  Row,
  Rows,
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
