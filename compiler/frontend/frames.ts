// Where control goes when it leaves a region early. Structured SSA has no jumps: a region ends by
// yielding values, so `return`, `break` and `continue` become the values the enclosing region
// yields — for a function body the result; for a loop body the loop's carried values plus an
// exit code saying how the iteration ended (and the returned value, if the loop can return).
import ts from "typescript";
import type { Builder } from "../ir/builder";
import { Codes, Refusal } from "../diagnostics";
import type { Type, Value } from "../ir/types";

/** Variables in scope: symbol → current SSA value (undefined: declared, not yet assigned). */
export type Env = Map<ts.Symbol, Value | undefined>;

/**
 * How a statement list ends: it falls through with the variables' values, or control leaves the
 * region (return, break, continue) and `exit` is what the region yields.
 */
export type Outcome = { env: Env } | { exit: Value[] };

/** What a region yields once its statements are lowered: their exit, or the frame's fall-off values. */
export function exitOf(outcome: Outcome, frame: Frame, at: ts.Node): Value[] {
  return "exit" in outcome ? outcome.exit : frame.fallOff(outcome.env, at);
}

export interface Frame {
  /** `return value` (several values for a function returning a tuple). */
  returnWith(values: Value[], env: Env, at: ts.Node): Value[];
  /** The end of the region's statements is reached. */
  fallOff(env: Env, at: ts.Node): Value[];
  /** `break` / `continue`, optionally labelled. */
  jump(kind: "break" | "continue", label: string | undefined, env: Env, at: ts.Node): Value[];
}

export class FunctionFrame implements Frame {
  constructor(
    private readonly name: string,
    /** Where a function that simply ends is reported (otherwise: the path that ends). */
    private readonly end: ts.Node,
  ) {}

  returnWith(values: Value[]): Value[] {
    return values;
  }

  fallOff(_env: Env, at: ts.Node): Value[] {
    const message = at === this.end
      ? `'${this.name}' can reach its end without returning a number`
      : "this path can reach the end of the function without returning a number";
    throw new Refusal(Codes.MissingReturn, message, at);
  }

  jump(_kind: "break" | "continue", _label: string | undefined, _env: Env, at: ts.Node): Value[] {
    throw new Refusal(Codes.UnsupportedSyntax, "break or continue outside a loop", at);
  }
}

/** Exit codes of a loop body: 0 next iteration, 1 break, 2 return, 3… a jump to an outer loop. */
export const ExitCode = { Next: 0, Break: 1, Return: 2 } as const;

/** A value a loop carries from one iteration to the next. */
export interface Slot {
  readonly role: "code" | "var" | "ret" | "index";
  readonly symbol?: ts.Symbol;
  readonly name: string;
  readonly type: Type;
}

export interface OuterJump {
  readonly kind: "break" | "continue";
  readonly label: string;
  readonly code: number;
}

export class LoopFrame implements Frame {
  /** Jumps to enclosing loops, by the exit code that stands for them. */
  readonly outerJumps: OuterJump[] = [];

  constructor(
    private readonly b: Builder,
    private readonly slots: readonly Slot[],
    /** The body's params, one per slot. */
    private readonly params: readonly Value[],
    private readonly label: string | undefined,
  ) {}

  returnWith(values: Value[], env: Env, at: ts.Node): Value[] {
    return this.tuple(ExitCode.Return, env, at, values);
  }

  fallOff(env: Env, at: ts.Node): Value[] {
    return this.tuple(ExitCode.Next, env, at);
  }

  jump(kind: "break" | "continue", label: string | undefined, env: Env, at: ts.Node): Value[] {
    if (label === undefined || label === this.label) {
      return this.tuple(kind === "break" ? ExitCode.Break : ExitCode.Next, env, at);
    }
    let outer = this.outerJumps.find((j) => j.kind === kind && j.label === label);
    if (!outer) {
      outer = { kind, label, code: ExitCode.Return + 1 + this.outerJumps.length };
      this.outerJumps.push(outer);
    }
    return this.tuple(outer.code, env, at);
  }

  /** The values the body yields when the iteration ends with `code`. */
  private tuple(code: number, env: Env, at: ts.Node, ret?: Value[]): Value[] {
    const has = (role: Slot["role"]) => this.slots.some((s) => s.role === role);
    if ((code !== ExitCode.Next && !has("code")) || (ret && ret.length > 0 && !has("ret"))) {
      throw new Error("adc internal error: a loop exit the scan did not foresee");
    }
    let r = 0;
    return this.slots.map((slot, i) => {
      switch (slot.role) {
        case "code":
          return this.b.const(code);
        case "ret":
          return ret ? ret[r++] : this.params[i];
        case "index":
          return this.params[i];
        case "var": {
          const v = env.get(slot.symbol!);
          if (!v) throw new Refusal(Codes.UnsupportedSyntax, `'${slot.name}' may be unassigned here`, at);
          return v;
        }
      }
    });
  }
}
