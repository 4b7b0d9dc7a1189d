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

export type AnyFn = (...args: any[]) => number;

/** The gradients of a parameter list: bare for one parameter, a tuple otherwise. */
export type GradsOf<P extends readonly unknown[]> = P extends readonly [infer Only]
  ? Cotangent<Only>
  : { -readonly [K in keyof P]: Cotangent<P[K]> };

type Pick1<P extends readonly unknown[], I> = I extends keyof P ? Cotangent<P[I]> : number;

/**
 * A parameter chosen by name: TypeScript's types do not carry parameter names, so it is the
 * gradient type of some parameter (exact when all parameters have the same type, e.g. numbers).
 */
type ByName<P extends readonly unknown[]> = Cotangent<P[number]>;

/** The gradient a `grad(f, { wrt })` call returns, chosen by `wrt`. */
export type GradOut<F extends AnyFn, W> = [W] extends [undefined]
  ? GradsOf<Parameters<F>>
  : W extends number
    ? Pick1<Parameters<F>, W>
    : W extends string
      ? ByName<Parameters<F>>
      : W extends readonly unknown[]
        ? { -readonly [K in keyof W]: W[K] extends number ? Pick1<Parameters<F>, W[K]> : ByName<Parameters<F>> }
        : never;

export type GradFn<F extends AnyFn, W = undefined> = (...args: Parameters<F>) => GradOut<F, W>;
export type ValueAndGradFn<F extends AnyFn, W = undefined> = (
  ...args: Parameters<F>
) => [number, GradOut<F, W>];
export type Pullback<F extends AnyFn> = (seed: number) => GradsOf<Parameters<F>>;
export type VjpFn<F extends AnyFn> = (...args: Parameters<F>) => [number, Pullback<F>];

/** A value of a function adc differentiates in forward mode: a number or a tuple of numbers. */
type VecFn = (...args: any[]) => number | readonly number[];

/** One number per parameter, as a mutable tuple (a tangent, a Jacobian row, a Hessian row). */
export type Row<P extends readonly unknown[]> = { -readonly [K in keyof P]: number };

/** The result shape of a function, mutable: number, or a tuple of numbers. */
export type Out<R> = R extends number ? number : { -readonly [K in keyof R]: number };

/** `jvp(f)(primals, tangents)`: the value and the directional derivative J·ẋ, both shaped like f's result. */
export type JvpFn<F extends VecFn> = (primals: Parameters<F>, tangents: Parameters<F>) => [Out<ReturnType<F>>, Out<ReturnType<F>>];

/** One row of P's shape per entry of R (a generic mapped type, so tuples stay tuples). */
export type Rows<R, P extends readonly unknown[]> = { -readonly [I in keyof R]: Row<P> };

/** K copies of T as a tuple, for a literal K (an array otherwise). */
export type TupleOf<T, K extends number, Acc extends T[] = []> = number extends K
  ? T[]
  : Acc["length"] extends K
    ? Acc
    : TupleOf<T, K, [...Acc, T]>;

export interface JvpOptions<K extends number> {
  /** Vector mode: how many tangent directions one call carries (a literal, 1 to 64). */
  readonly directions: K;
}

/** `jvp(f, { directions: k })(primals, [v₁…vₖ])`: the value and J·vᵢ for each direction, in one pass. */
export type JvpVectorFn<F extends VecFn, K extends number> = (
  primals: Parameters<F>,
  tangents: TupleOf<Parameters<F>, K>,
) => [Out<ReturnType<F>>, TupleOf<Out<ReturnType<F>>, K>];

/** `jacobian(f)(...x)`: one row per result (one row for a scalar f), one column per parameter. */
export type JacobianFn<F extends VecFn> = (
  ...args: Parameters<F>
) => ReturnType<F> extends number ? [Row<Parameters<F>>] : Rows<ReturnType<F>, Parameters<F>>;

/** `hessian(f)(...x)`: the n×n matrix of second derivatives, row i = ∇(∂f/∂xᵢ). */
export type HessianFn<F extends AnyFn> = (...args: Parameters<F>) => Rows<Parameters<F>, Parameters<F>>;

/** `hvp(f)(primals, v)`: the Hessian-vector product H·v, one entry per parameter. */
export type HvpFn<F extends AnyFn> = (primals: Parameters<F>, v: Parameters<F>) => Row<Parameters<F>>;

export interface JacobianOptions {
  /**
   * Forward mode (one vector sweep carrying n directions) or reverse mode (one reverse sweep per
   * result). Default: forward when f has no more parameters than results, else reverse.
   */
  readonly mode?: "forward" | "reverse";
}

/**
 * Derivative rules for a function, registered with `defineDerivative(f, { forward, reverse })`.
 * Either one is enough: adc derives the other (n forward calls, or the gradient dotted with ẋ).
 */
export interface DerivativeRules<F extends AnyFn> {
  /** `forward(x₁…xₙ, ẋ₁…ẋₙ)` returns `[f(x), ∇f(x)·ẋ]`. */
  readonly forward?: (...args: [...Parameters<F>, ...Parameters<F>]) => [number, number];
  /** `reverse(x₁…xₙ, seed)` returns seed × ∇f(x): bare for one parameter, else one entry per parameter. */
  readonly reverse?: (...args: [...Parameters<F>, number]) => GradsOf<Parameters<F>>;
}
