// Type-level view of the operators: what `grad(f)` returns, so the editor is right with or
// without the transformer.
import type { Tensor } from "./tensor";

/** The cotangent (gradient) type of a parameter: it has the parameter's shape (tuples stay tuples). */
export type Cotangent<T> = T extends number
  ? number
  : T extends Tensor
    ? Tensor
    : T extends Float64Array
      ? Float64Array
      : T extends object
        ? { -readonly [K in keyof T]: Cotangent<T[K]> }
        : never;

/**
 * Which parameters to differentiate: one (bare gradient) or several (tuple), by index or name. For
 * an instance method marked or passed as `m.loss`, `"this"` names the fields it reads.
 */
export type Wrt = number | string | readonly (number | string)[];

/**
 * The gradient with respect to `"this"`: an object of the fields the method reads, each shaped
 * like its field (TypeScript's method types do not say which fields those are).
 */
export type FieldsGradient = { [field: string]: any };

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
    : W extends "this"
      ? FieldsGradient
      : W extends string
        ? ByName<Parameters<F>>
        : W extends readonly unknown[]
          ? { -readonly [K in keyof W]: W[K] extends number ? Pick1<Parameters<F>, W[K]> : W[K] extends "this" ? FieldsGradient : ByName<Parameters<F>> }
          : never;

export type GradFn<F extends AnyFn, W = undefined> = (...args: Parameters<F>) => GradOut<F, W>;
export type ValueAndGradFn<F extends AnyFn, W = undefined> = (
  ...args: Parameters<F>
) => [number, GradOut<F, W>];
/** A function adc differentiates as a whole: its value is a number, a tuple, an array or an object. */
type VecFn = (...args: any[]) => unknown;

/** `pullback(seed)`: seedᵀ·J, the seed shaped like f's value (a number for a scalar f). */
export type Pullback<F extends VecFn> = (seed: Out<ReturnType<F>>) => GradsOf<Parameters<F>>;
export type VjpFn<F extends VecFn> = (...args: Parameters<F>) => [Out<ReturnType<F>>, Pullback<F>];

/** One entry per parameter, shaped like it, as a mutable tuple (an hvp's H·v, like its v). */
export type Row<P extends readonly unknown[]> = { -readonly [K in keyof P]: Cotangent<P[K]> };

/** The shape of a function's value, mutable: number, a tuple, an array or an object of numbers. */
export type Out<R> = Cotangent<R>;

/** `jvp(f)(primals, tangents)`: the value and the directional derivative J·ẋ, both shaped like f's result. */
export type JvpFn<F extends VecFn> = (primals: Parameters<F>, tangents: Parameters<F>) => [Out<ReturnType<F>>, Out<ReturnType<F>>];

/**
 * A Jacobian's rows, one per number of a value of type R, each of type G (the gradient's): one
 * for a number, a tuple's worth for a tuple, an array of them for an array or object.
 */
export type Rows<R, G> = R extends number
  ? [G]
  : R extends readonly unknown[]
    ? number extends R["length"]
      ? G[]
      : { -readonly [I in keyof R]: G }
    : G[];

/** Whether every parameter is a number (then a Hessian has a row per parameter, as a tuple). */
type AllNumbers<P extends readonly unknown[]> = P extends readonly number[] ? true : false;

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

/**
 * `jacobian(f)(...x)`: one row per number of f's value (one row for a scalar f), each shaped like
 * the gradient (bare for a function of one parameter).
 */
export type JacobianFn<F extends VecFn> = (...args: Parameters<F>) => Rows<ReturnType<F>, GradsOf<Parameters<F>>>;

/** `hessian(f)(...x)`: row i = ∇(∂f/∂xᵢ), one per number of the arguments, each shaped like the gradient. */
export type HessianFn<F extends AnyFn> = (...args: Parameters<F>) => HessianRows<Parameters<F>, GradsOf<Parameters<F>>>;

/** One row of type G per parameter (a tuple) when all are numbers, else one per number of them. */
type HessianRows<P extends readonly unknown[], G> = AllNumbers<P> extends true ? { -readonly [K in keyof P]: G } : G[];

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
