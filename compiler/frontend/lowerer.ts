// The state of lowering one function, shared by the parts that lower its statements, loops,
// expressions and calls (each in its own file, each holding this object): the IR builder, the
// type checker, what the function calls, and small helpers on names, places and values.
import ts from "typescript";
import { Codes, Refusal } from "../diagnostics";
import { Builder } from "../ir/builder";
import type { Loc, Op, Value } from "../ir/types";
import { isAggregate } from "../ir/types";
import { ArrayIteration } from "./array-iteration";
import { ArrayMethods } from "./arrays";
import { BuiltinCalls } from "./builtins";
import { Callables } from "./callables";
import { Calls } from "./calls";
import type { CustomDerivative } from "./custom-derivatives";
import { Expressions } from "./expressions";
import type { Env } from "./frames";
import { Literals } from "./literals";
import { GrowableArrays } from "./growable";
import { Loops } from "./loops";
import { builtinMathMember, type FunctionLike } from "./resolve";
import type { ResultShape } from "./results";
import { Statements } from "./statements";

export class Lowerer {
  readonly b = new Builder();
  /** Functions the body calls, each lowered on its own (no inlining). */
  readonly callees = new Set<FunctionLike>();
  /** Each call op, by where it is in the source. */
  readonly callSites = new Map<Op, ts.Node>();
  /** An instance method reading `this`: the receiver parameter, and the method `this` belongs to (receiver.ts). */
  receiver?: { readonly value: Value; readonly owner: FunctionLike };

  readonly statements = new Statements(this);
  readonly loops = new Loops(this);
  readonly expressions = new Expressions(this);
  readonly calls = new Calls(this);
  readonly arrays = new ArrayMethods(this);
  /** Array and object literals (literals.ts). */
  readonly literals = new Literals(this);
  /** Array methods that call a callback per element (array-iteration.ts). */
  readonly iteration = new ArrayIteration(this);
  /** Local functions and callbacks, inlined where called (callables.ts). */
  readonly callables = new Callables(this);
  /** Local arrays that grow by push (growable.ts). */
  readonly growables = new GrowableArrays(this);
  /** Math and tensor calls (builtins.ts). */
  readonly builtins: BuiltinCalls;

  constructor(
    readonly checker: ts.TypeChecker,
    readonly sourceFile: ts.SourceFile,
    /** The functions of the program with a registered derivative. */
    readonly customs: ReadonlyMap<ts.Declaration, CustomDerivative>,
    /** What the function returns (results.ts). */
    readonly result: ResultShape,
  ) {
    const { expressions } = this;
    this.builtins = new BuiltinCalls({
      b: this.b,
      checker,
      value: (e, env) => expressions.value(e, env),
      number: (e, env) => expressions.number(e, env),
      array: (e, env) => expressions.array(e, env),
      fold: (array, at, env, acc, step) => this.iteration.fold(array, at, env, acc, step),
    });
  }

  /** Gives a value the source name it is bound to, unless it already has one (e.g. `y = x`). */
  named(v: Value, name: string): Value {
    if (v.hint === undefined && /^[A-Za-z_$][\w$]*$/.test(name)) v.hint = name;
    return v;
  }

  symbolOf(node: ts.Identifier): ts.Symbol {
    const symbol = this.checker.getSymbolAtLocation(node) ??
      (ts.isShorthandPropertyAssignment(node.parent) ? this.checker.getShorthandAssignmentValueSymbol(node.parent) : undefined);
    if (!symbol) throw new Refusal(Codes.FreeVariable, `cannot resolve '${node.text}'`, node);
    return symbol;
  }

  /** The current value of a local variable. */
  read(symbol: ts.Symbol, node: ts.Node, env: Env): Value {
    const v = env.get(symbol);
    if (!v) throw new Refusal(Codes.UnsupportedSyntax, `'${symbol.name}' may be read before it is assigned`, node);
    return v;
  }

  /** Variables holding arrays or objects are aliases of one memory: they must not be merged by branches or loops. */
  expectScalar(v: Value, symbol: ts.Symbol, at: ts.Node): void {
    if (isAggregate(v.type)) {
      throw new Refusal(Codes.Aliasing, `'${symbol.name}' holds an array or object and is reassigned in a branch or loop; adc cannot prove which memory it refers to`, at);
    }
  }

  /** Whether an expression calls a user function (which must then be evaluated lazily). */
  containsCall(node: ts.Node): boolean {
    if (ts.isCallExpression(node) && builtinMathMember(this.checker, node) === undefined) return true;
    return ts.forEachChild(node, (c) => (this.containsCall(c) ? true : undefined)) ?? false;
  }

  locOf(node: ts.Node): Loc {
    // An inlined function may come from another file.
    const file = node.getSourceFile() ?? this.sourceFile;
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return { file: file.fileName, line: line + 1, column: character + 1 };
  }
}
