// The differentiation operators as users import them. The compiler replaces every call it can
// resolve with the generated derivative functions, so at run time these bodies only run when
// the transformer did not (they explain how to enable it), or for methods marked with `@grad`
// whose derivatives were registered by the generated code.
import { checkGradient, type CheckGradOptions, type CheckGradResult } from "./check";
import type {
  DerivativeRules,
  GradFn,
  GradOptions,
  HessianFn,
  HvpFn,
  JacobianFn,
  JacobianOptions,
  JvpFn,
  JvpOptions,
  JvpVectorFn,
  ValueAndGradFn,
  VjpFn,
  Wrt,
} from "./types";

type AnyFn = (...args: any[]) => number;

/** What the generated code registers for a method marked with `@grad`. */
export interface RegisteredDerivatives {
  /** Parameter names, in order, to resolve `wrt` by name. */
  readonly params: readonly string[];
  /** Fused value and full gradient (one entry per parameter, always a tuple). */
  readonly valueAndGrad: (...args: any[]) => [number, unknown[]];
  /** A method reading `this`: valueAndGrad takes the instance first (the `this` the derivative is called with). */
  readonly receiver?: boolean;
}

const DERIVATIVES = Symbol.for("adc.derivatives");

/** Called by generated code for methods marked with `@grad`. Not for hand use. */
export function registerDerivatives(fn: Function, derivatives: RegisteredDerivatives): void {
  Object.defineProperty(fn, DERIVATIVES, { value: derivatives, enumerable: false });
}

function registered(fn: Function): RegisteredDerivatives | undefined {
  return (fn as unknown as Record<symbol, RegisteredDerivatives | undefined>)[DERIVATIVES];
}

export function notCompiled(operator: string, fn: unknown): Error {
  const name = typeof fn === "function" && fn.name ? fn.name : "f";
  return new Error(
    `adc: ${operator}(${name}) was not compiled. adc differentiates at build time: ` +
      `add { "transform": "adc/transformer", "transformProgram": true } to ` +
      `compilerOptions.plugins in tsconfig.json and build with tspc, or run \`adc compile <file.ts>\`.`,
  );
}

function isDecoratorContext(x: unknown): x is { kind: string } {
  return typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string";
}

/** Picks the requested gradients out of the full tuple, bare for a single `wrt`. */
function selector(d: RegisteredDerivatives, wrt: Wrt | undefined): (all: unknown[]) => unknown {
  const index = (w: number | string): number => {
    const i = typeof w === "number" ? w : d.params.indexOf(w);
    if (i < 0 || i >= d.params.length) throw new Error(`adc: no parameter ${JSON.stringify(w)}`);
    return i;
  };
  if (wrt === undefined) return d.params.length === 1 ? (all) => all[0] : (all) => all;
  if (typeof wrt === "number" || typeof wrt === "string") {
    const i = index(wrt);
    return (all) => all[i];
  }
  const picks = wrt.map(index);
  return (all) => picks.map((i) => all[i]);
}

function lookup(operator: string, f: Function, options: unknown): RegisteredDerivatives {
  if (isDecoratorContext(options)) throw notCompiled(`@${operator}`, f);
  const d = registered(f);
  if (!d) throw notCompiled(operator, f);
  if (!d.receiver) return d;
  // A method reading `this`, looked up at run time (`grad(C.prototype.m).call(instance, x)`): the
  // instance is the `this` the derivative is called with. Calls adc resolves pass it themselves.
  return {
    params: d.params,
    valueAndGrad(this: unknown, ...args: unknown[]) {
      return d.valueAndGrad(this, ...args);
    },
  };
}

/**
 * The gradient of a scalar function: one entry per parameter (bare for a single parameter).
 * Also usable as a method decorator, `@grad`, which compiles the method where it is defined.
 */
// The decorator overload comes first: TypeScript resolves `@grad` against the overloads in order,
// and would otherwise pick `grad(f)` and complain that a GradFn is not a method.
export function grad(f: Function, context: ClassMethodDecoratorContext<any, any>): void;
export function grad<F extends AnyFn>(f: F): GradFn<F>;
export function grad<F extends AnyFn, const W extends Wrt>(f: F, options: GradOptions<W>): GradFn<F, W>;
export function grad(f: Function, options?: unknown): unknown {
  const d = lookup("grad", f, options);
  const pick = selector(d, (options as GradOptions | undefined)?.wrt);
  return function (this: unknown, ...args: unknown[]) {
    return pick(d.valueAndGrad.apply(this, args)[1]);
  };
}

/** The value and the gradient together, in one pass. */
export function valueAndGrad<F extends AnyFn>(f: F): ValueAndGradFn<F>;
export function valueAndGrad<F extends AnyFn, const W extends Wrt>(
  f: F,
  options: GradOptions<W>,
): ValueAndGradFn<F, W>;
export function valueAndGrad(f: AnyFn, options?: unknown): unknown {
  const d = lookup("valueAndGrad", f, options);
  const pick = selector(d, (options as GradOptions | undefined)?.wrt);
  return function (this: unknown, ...args: unknown[]) {
    const [value, all] = d.valueAndGrad.apply(this, args);
    return [value, pick(all)];
  };
}

/**
 * The value and a pullback: `pullback(seed)` returns seed × the gradient (all parameters); for a
 * function returning a tuple, an array or an object, seedᵀ·J with the seed shaped like the value.
 */
export function vjp<F extends (...args: any[]) => unknown>(f: F): VjpFn<F> {
  const d = lookup("vjp", f, undefined);
  const pick = selector(d, undefined);
  // A registered method has only its fused gradient; the output is scalar, so the pullback of
  // a seed is the gradient scaled by it.
  return function (this: unknown, ...args: unknown[]) {
    const [value, all] = d.valueAndGrad.apply(this, args);
    return [value, (seed: number) => pick(all.map((g) => scaleBy(g, seed)))];
  } as unknown as VjpFn<F>;
}

function scaleBy(g: unknown, s: number): unknown {
  return typeof g === "number" ? g * s : (g as unknown[]).map((x) => scaleBy(x, s));
}

/**
 * Checks adc's gradient of `f` at `args` against central differences (see checkGradient): the
 * compiler replaces the call with one that passes the generated gradient.
 */
export function checkGrad<F extends AnyFn>(f: F, args: Parameters<F>, options?: CheckGradOptions): CheckGradResult {
  const d = lookup("checkGrad", f, undefined);
  return checkGradient(f, (...xs: number[]) => d.valueAndGrad(...xs)[1] as number[], args, options);
}

/**
 * Forward mode: the value and the directional derivative J·ẋ along `tangents`, in one pass. With
 * `{ directions: k }` (vector mode), k tangents at once: `[value, [J·ẋ₁, …, J·ẋₖ]]`.
 */
export function jvp<F extends (...args: any[]) => unknown>(f: F): JvpFn<F>;
export function jvp<F extends (...args: any[]) => unknown, const K extends number>(
  f: F,
  options: JvpOptions<K>,
): JvpVectorFn<F, K>;
export function jvp(f: Function, options?: unknown): unknown {
  void options;
  throw notCompiled("jvp", f);
}

/**
 * The Jacobian of a function returning a number or a tuple of numbers: one row per result, one
 * column per parameter. Forward mode when f has no more parameters than results, else reverse
 * (or as `options.mode` says).
 */
export function jacobian<F extends (...args: any[]) => unknown>(f: F, options?: JacobianOptions): JacobianFn<F> {
  void options;
  throw notCompiled("jacobian", f);
}

/** The Hessian of a scalar function, by forward mode over its reverse sweep (one vector sweep). */
export function hessian<F extends AnyFn>(f: F): HessianFn<F> {
  throw notCompiled("hessian", f);
}

/** The Hessian-vector product H·v of a scalar function, by forward over reverse (no Hessian built). */
export function hvp<F extends AnyFn>(f: F): HvpFn<F> {
  throw notCompiled("hvp", f);
}

/**
 * Registers a derivative for `f` (its forward rule, its reverse rule, or both), used by both modes
 * wherever differentiated code calls `f`; `f` may then be a `declare`d function adc cannot see.
 * adc finds the call at compile time: `f` and the rules must be function declarations.
 */
export function defineDerivative<F extends AnyFn>(f: F, rules: DerivativeRules<F>): void {
  void f;
  void rules;
}

/** `x` itself, but with derivative zero in both modes: nothing flows back or forward through it. */
export function stopGradient(x: number): number {
  return x;
}
