// Numeric module constants (`const K = 2.5`, `const TAU = 2 * Math.PI`), folded at compile time so
// differentiated code may read them, from its own module or imported.
import ts from "typescript";
import { binaryOperators, primitives } from "../ir/primitives";
import { builtinConstant, resolveSymbol } from "./resolve";

/** The value of a module-level `const K = <numeric expression>`, folded at compile time. */
export function moduleConstant(checker: ts.TypeChecker, symbol: ts.Symbol, seen = new Set<ts.Symbol>()): number | undefined {
  const decl = symbol.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || seen.has(symbol)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  if (!ts.isVariableStatement(list.parent) || !ts.isSourceFile(list.parent.parent)) return undefined;
  seen.add(symbol);
  return evaluateConstant(checker, decl.initializer, seen);
}

function evaluateConstant(checker: ts.TypeChecker, e: ts.Expression, seen: Set<ts.Symbol>): number | undefined {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return evaluateConstant(checker, e.expression, seen);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const x = evaluateConstant(checker, e.operand, seen);
    return x === undefined ? undefined : -x;
  }
  if (ts.isPropertyAccessExpression(e)) return builtinConstant(checker, e);
  if (ts.isIdentifier(e)) {
    const symbol = resolveSymbol(checker, e);
    return symbol ? moduleConstant(checker, symbol, seen) : undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const prim = binaryOperators.get(e.operatorToken.getText());
    const p = prim ? primitives.get(prim) : undefined;
    // Each operand follows its own path: a constant used on both sides is not a cycle.
    const l = evaluateConstant(checker, e.left, new Set(seen));
    const r = evaluateConstant(checker, e.right, new Set(seen));
    if (!p || p.result.kind !== "f64" || l === undefined || r === undefined) return undefined;
    return p.evaluate(l, r) as number;
  }
  return undefined;
}
