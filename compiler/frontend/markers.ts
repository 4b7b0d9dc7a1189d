// Marker discovery: the calls `grad(f)`, `valueAndGrad(f, { wrt })`, `vjp(f)` and the `@grad`
// decorator, resolved through the type checker so aliases and re-exports of the operators and of
// the functions still count.
import ts from "typescript";
import { Codes, diagnosticAt, type AdcDiagnostic } from "../diagnostics";
import { readsThis } from "./receiver";
import { resolveFunction, resolveOperator, type FunctionLike, type OperatorName } from "./resolve";

export type Marker =
  | {
      readonly kind: "call";
      readonly node: ts.CallExpression;
      /** "grad2": `grad(grad(f))`, the second derivative of a function of one parameter. */
      readonly operator: OperatorName | "grad2";
      readonly decl: FunctionLike;
      readonly wrt: number[];
      readonly bare: boolean;
      /** jacobian's `{ mode }` option. */
      readonly mode?: "forward" | "reverse";
      /** jvp's `{ directions }` option (vector mode). */
      readonly directions?: number;
      /**
       * An instance method that reads `this` (receiver.ts): the instance the call names (`m` in
       * `grad(m.loss)`), which the generated function takes first; `wrt` counts it as parameter 0.
       */
      readonly receiver?: ts.Expression;
    }
  | { readonly kind: "decorator"; readonly node: ts.Decorator; readonly decl: FunctionLike };

export function findMarkers(checker: ts.TypeChecker, sourceFile: ts.SourceFile) {
  const markers: Marker[] = [];
  const diagnostics: AdcDiagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isDecorator(node) && ts.isMethodDeclaration(node.parent)) {
      const operator = resolveOperator(checker, node.expression);
      if (operator === "grad") {
        if (markers.some((m) => m.kind === "decorator" && m.decl === node.parent)) {
          diagnostics.push(diagnosticAt(Codes.BadOptions, "@grad is given twice", node));
        } else {
          markers.push({ kind: "decorator", node, decl: node.parent });
        }
        return;
      }
      if (operator) {
        diagnostics.push(diagnosticAt(Codes.NotAFunction, `@${operator} is not a decorator; mark the method with @grad`, node));
        return;
      }
    }
    if (ts.isDecorator(node)) {
      const operator = resolveOperator(checker, node.expression);
      if (operator) {
        const message = operator === "grad"
          ? `@grad marks a method, not ${decoratedKind(node.parent)}; put it on the method to differentiate`
          : `@${operator} is not a decorator; mark the method with @grad`;
        diagnostics.push(diagnosticAt(Codes.NotAFunction, message, node));
        return;
      }
    }
    if (ts.isCallExpression(node)) {
      const operator = resolveOperator(checker, node.expression);
      if (operator) {
        const marker = callMarker(checker, node, operator, diagnostics);
        if (marker) markers.push(marker);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { markers, diagnostics };
}

/** What a misplaced decorator is on, for its refusal. */
function decoratedKind(node: ts.Node): string {
  if (ts.isClassLike(node)) return "a class";
  if (ts.isGetAccessor(node)) return "a getter";
  if (ts.isSetAccessor(node)) return "a setter";
  if (ts.isPropertyDeclaration(node)) return "a property";
  if (ts.isParameter(node)) return "a parameter";
  return "this declaration";
}

function callMarker(
  checker: ts.TypeChecker,
  call: ts.CallExpression,
  operator: OperatorName,
  diagnostics: AdcDiagnostic[],
): Marker | undefined {
  const [target, options, ...extra] = call.arguments;
  const nested = operator === "grad" && target && !options ? innerGrad(checker, target) : undefined;
  if (nested) {
    if (readsThis(nested)) {
      diagnostics.push(diagnosticAt(Codes.This, "grad(grad(…)) of a method that reads `this` is not supported; make it a static method taking the fields as a parameter", call));
      return undefined;
    }
    const params = nested.parameters.length;
    if (params !== 1) {
      diagnostics.push(diagnosticAt(Codes.SecondOrder, `grad(grad(f)) needs a function of one parameter ('${nested.name?.getText() ?? "f"}' has ${params}); use hessian(f)`, call));
      return undefined;
    }
    return { kind: "call", node: call, operator: "grad2", decl: nested, wrt: [0], bare: true };
  }
  const decl = target && resolveFunction(checker, target);
  if (!decl || (extra.length > 0 && operator !== "checkGrad")) {
    diagnostics.push(diagnosticAt(Codes.NotAFunction, `${operator}(…) needs a function declaration or static method it can resolve at compile time`, target ?? call));
    return undefined;
  }
  const params = decl.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ""));
  if (readsThis(decl)) return receiverMarker(call, operator, decl, target, options, params, diagnostics);
  const all = params.map((_, i) => i);
  // checkGrad(f, args, options?): its further arguments are run-time values, not operator options.
  if (operator === "checkGrad") return { kind: "call", node: call, operator, decl, wrt: all, bare: false };
  if (!options) return { kind: "call", node: call, operator, decl, wrt: all, bare: params.length === 1 };
  if (operator === "jacobian") {
    const mode = parseMode(options);
    if (typeof mode !== "object") {
      diagnostics.push(diagnosticAt(Codes.BadOptions, mode, options));
      return undefined;
    }
    return { kind: "call", node: call, operator, decl, wrt: all, bare: false, mode: mode.mode };
  }
  if (operator === "jvp") {
    const directions = parseDirections(options);
    if (typeof directions === "string") {
      diagnostics.push(diagnosticAt(Codes.BadOptions, directions, options));
      return undefined;
    }
    return { kind: "call", node: call, operator, decl, wrt: all, bare: false, directions };
  }
  if (operator === "vjp" || operator === "hessian" || operator === "hvp") {
    const why: Record<string, string> = {
      vjp: "its pullback returns every parameter's adjoint",
      hessian: "it covers every parameter",
      hvp: "it covers every parameter",
    };
    diagnostics.push(diagnosticAt(Codes.BadOptions, `${operator} takes no options: ${why[operator]}`, options));
    return undefined;
  }
  const wrt = parseWrt(options, params);
  if (typeof wrt === "string") {
    diagnostics.push(diagnosticAt(Codes.BadOptions, wrt, options));
    return undefined;
  }
  return { kind: "call", node: call, operator, decl, wrt: wrt.indices, bare: wrt.bare };
}

/** Operators that take a method reading `this`: the ones whose generated function only needs the receiver passed first. */
const receiverOperators = new Set<OperatorName>(["grad", "valueAndGrad", "jvp"]);

/**
 * `grad(m.loss)`, `grad(m.loss, { wrt: "this" })`, `jvp(m.loss)` of an instance method that reads
 * `this`: the receiver is parameter 0 of the lowered function, the explicit parameters follow.
 */
function receiverMarker(
  call: ts.CallExpression,
  operator: OperatorName,
  decl: FunctionLike,
  target: ts.Expression,
  options: ts.Expression | undefined,
  params: string[],
  diagnostics: AdcDiagnostic[],
): Marker | undefined {
  let e = target;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isPropertyAccessExpression(e)) {
    diagnostics.push(diagnosticAt(Codes.This, `'${target.getText()}' reads \`this\`: name the instance whose fields it reads, as in ${operator}(model.${decl.name?.getText() ?? "method"})`, target));
    return undefined;
  }
  if (!receiverOperators.has(operator)) {
    diagnostics.push(diagnosticAt(Codes.This, `${operator} of a method that reads \`this\` is not supported; use grad, valueAndGrad or jvp, or make it a static method taking the fields as a parameter`, call));
    return undefined;
  }
  const receiver = e.expression;
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === "prototype") {
    diagnostics.push(diagnosticAt(Codes.This, `'${target.getText()}' reads \`this\`, and the prototype has no fields: name an instance, as in ${operator}(model.${e.name.text})`, target));
    return undefined;
  }
  const explicit = params.map((_, i) => i + 1);
  if (operator === "jvp") {
    const directions = options ? parseDirections(options) : undefined;
    if (typeof directions === "string") {
      diagnostics.push(diagnosticAt(Codes.BadOptions, directions, options!));
      return undefined;
    }
    return { kind: "call", node: call, operator, decl, wrt: explicit, bare: false, directions, receiver };
  }
  if (!options) return { kind: "call", node: call, operator, decl, wrt: explicit, bare: params.length === 1, receiver };
  const wrt = parseWrt(options, ["this", ...params], 1);
  if (typeof wrt === "string") {
    diagnostics.push(diagnosticAt(Codes.BadOptions, wrt, options));
    return undefined;
  }
  return { kind: "call", node: call, operator, decl, wrt: wrt.indices, bare: wrt.bare, receiver };
}

/**
 * `{ wrt: 0 }`, `{ wrt: "x" }` (bare gradient) or `{ wrt: [1, "y"] }` (tuple), literally. `first`:
 * where the explicit parameters start in `params` (1 after a receiver, `"this"`, whose gradient is
 * the fields'); indices count explicit parameters.
 */
function parseWrt(options: ts.Expression, params: string[], first = 0): { indices: number[]; bare: boolean } | string {
  if (!ts.isObjectLiteralExpression(options)) return "options must be an object literal like { wrt: [\"x\"] }";
  const props = options.properties;
  const wrt = props.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "wrt");
  if (props.length !== 1 || !wrt || !ts.isPropertyAssignment(wrt)) {
    return `the only option is wrt: a parameter name or index, or a list of them${first > 0 ? ' ("this" for the fields the method reads)' : ""}`;
  }
  const one = (e: ts.Expression): number | string => {
    if (ts.isNumericLiteral(e)) {
      const i = Number(e.text) + first;
      return Number.isInteger(i) && i < params.length ? i : `no parameter at index ${e.text}`;
    }
    if (ts.isStringLiteral(e)) {
      const i = params.indexOf(e.text);
      return i >= 0 ? i : `no parameter named '${e.text}' (parameters: ${params.slice(first).join(", ")}${first > 0 ? '; "this" for the fields' : ""})`;
    }
    return "wrt entries must be literal parameter names or indices";
  };
  const init = wrt.initializer;
  if (ts.isArrayLiteralExpression(init)) {
    const indices: number[] = [];
    for (const e of init.elements) {
      const i = one(e);
      if (typeof i === "string") return i;
      if (indices.includes(i)) return `parameter ${params[i]} is listed twice`;
      indices.push(i);
    }
    if (indices.length === 0) return "wrt must name at least one parameter";
    return { indices, bare: false };
  }
  const i = one(init);
  return typeof i === "string" ? i : { indices: [i], bare: true };
}

/** `grad(f)` as the argument of another grad: the function f, else undefined. */
function innerGrad(checker: ts.TypeChecker, e: ts.Expression): FunctionLike | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e) || e.arguments.length !== 1 || resolveOperator(checker, e.expression) !== "grad") return undefined;
  return resolveFunction(checker, e.arguments[0]);
}

/** jvp's options: `{ directions: k }` with k a literal integer from 1 to 64. */
function parseDirections(options: ts.Expression): number | string {
  const message = "jvp's only option is directions: a literal integer from 1 to 64 (its tangents cover every parameter)";
  if (!ts.isObjectLiteralExpression(options) || options.properties.length !== 1) return message;
  const [p] = options.properties;
  if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || p.name.text !== "directions") return message;
  if (!ts.isNumericLiteral(p.initializer)) return message;
  const k = Number(p.initializer.text);
  return Number.isInteger(k) && k >= 1 && k <= 64 ? k : message;
}

/** jacobian's options: `{ mode: "forward" }` or `{ mode: "reverse" }`, literally. */
function parseMode(options: ts.Expression): { mode: "forward" | "reverse" } | string {
  const message = 'jacobian\'s only option is mode: "forward" or "reverse", as a literal';
  if (!ts.isObjectLiteralExpression(options) || options.properties.length !== 1) return message;
  const [p] = options.properties;
  if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || p.name.text !== "mode") return message;
  if (!ts.isStringLiteral(p.initializer) || (p.initializer.text !== "forward" && p.initializer.text !== "reverse")) return message;
  return { mode: p.initializer.text };
}
