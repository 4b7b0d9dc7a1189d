// The local partial derivatives of one op at a point, read from the rule table: a reverse rule
// given the seed g = 1 returns ∂y/∂xᵢ for each operand, which the IR interpreter evaluates. So the
// graph's tangents and adjoints come from the same rules as the generated code, but not from its
// reverse transform.
import { ruleFor } from "../ad/rules";
import { Builder } from "../ir/builder";
import { interpret, type Scalar } from "../ir/interpret";
import type { Func, Op } from "../ir/types";
import { f64 } from "../ir/types";

/** ∂y/∂xᵢ of a single-result primitive op, for operands `xs` and result `y` (0 where none). */
export function localPartials(op: Op, xs: readonly Scalar[], y: Scalar): number[] {
  return interpret(partialsOf(op), [...xs, y, 1]) as number[];
}

/** The rule's reverse region of each op, built once: inside a loop the op runs at every iteration. */
const built = new WeakMap<Op, Pick<Func, "params" | "body">>();

function partialsOf(op: Op): Pick<Func, "params" | "body"> {
  let func = built.get(op);
  if (func) return func;
  const rule = ruleFor(op.prim);
  if (!rule) throw new Error(`adc internal error: no derivative rule for '${op.prim}'`);
  const b = new Builder();
  const operands = op.args.map((x) => b.value(x.type));
  const result = b.value(op.results[0].type);
  const seed = b.value(f64);
  const { region, result: contributions } = b.inRegion(() => rule.reverse(b, operands, result, seed));
  region.yields = operands.map((_, i) => contributions[i] ?? b.into(region, () => b.const(0)));
  func = { params: [...operands, result, seed].map((value) => ({ value, name: "" })), body: region };
  built.set(op, func);
  return func;
}
