// Type-level view of the operators: what `grad(f)` returns, so the editor is right with or
// without the transformer.
import type { Tensor } from "./tensor";

/** The cotangent (gradient) type of a parameter: it has the parameter's shape. */
export type Cotangent<T> = T extends number
  ? number
  : T extends Tensor
    ? Tensor
    : T extends Float64Array
      ? Float64Array
      : T extends readonly (infer E)[]
        ? Cotangent<E>[]
        : T extends object
          ? { -readonly [K in keyof T]: Cotangent<T[K]> }
          : never;

/** Which parameters to differentiate: one (bare gradient) or several (tuple), by index or name. */
export type Wrt = number | string | readonly (number | string)[];

export interface GradOptions<W extends Wrt = Wrt> {
  /** Parameters to differentiate with respect to, by index or name. Default: all of them. */
  readonly wrt?: W;
}

type AnyFn = (...args: any[]) => number;

/** The gradients of a parameter list: bare for one parameter, a tuple otherwise. */
export type GradsOf<P extends readonly unknown[]> = P extends readonly [infer Only]
  ? Cotangent<Only>
  : { -readonly [K in keyof P]: Cotangent<P[K]> };

type Pick1<P extends readonly unknown[], I> = I extends keyof P ? Cotangent<P[I]> : number;

/** The gradient a `grad(f, { wrt })` call returns, chosen by `wrt`. */
export type GradOut<F extends AnyFn, W> = [W] extends [undefined]
  ? GradsOf<Parameters<F>>
  : W extends number
    ? Pick1<Parameters<F>, W>
    : W extends string
      ? number
      : W extends readonly unknown[]
        ? { -readonly [K in keyof W]: W[K] extends number ? Pick1<Parameters<F>, W[K]> : number }
        : never;

export type GradFn<F extends AnyFn, W = undefined> = (...args: Parameters<F>) => GradOut<F, W>;
export type ValueAndGradFn<F extends AnyFn, W = undefined> = (
  ...args: Parameters<F>
) => [number, GradOut<F, W>];
export type Pullback<F extends AnyFn> = (seed: number) => GradsOf<Parameters<F>>;
export type VjpFn<F extends AnyFn> = (...args: Parameters<F>) => [number, Pullback<F>];
