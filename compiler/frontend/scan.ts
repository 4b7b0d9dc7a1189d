// Syntactic questions the lowering asks about a statement before lowering it: how control can
// leave it. (Which variables a loop assigns, following the local functions it calls, is
// `Callables.assigned`.)
import ts from "typescript";

export function skipParens(e: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(e) ? skipParens(e.expression) : e;
}

export interface Jumps {
  /** A `return` somewhere inside. */
  readonly returns: boolean;
  /** A `break` or labelled `continue` that leaves the loop (so the loop needs an exit code). */
  readonly exits: boolean;
}

/** How control can leave the body of a loop labelled `label` other than by finishing an iteration. */
export function loopJumps(body: ts.Statement, label: string | undefined): Jumps {
  let returns = false;
  let exits = false;
  const visit = (n: ts.Node, depth: number, inner: Set<string>): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) returns = true;
    if (ts.isBreakStatement(n)) {
      if (n.label ? !inner.has(n.label.text) : depth === 0) exits = true;
    }
    if (ts.isContinueStatement(n) && n.label && !inner.has(n.label.text) && n.label.text !== label) exits = true;
    if (ts.isLabeledStatement(n)) {
      const next = new Set(inner).add(n.label.text);
      return visit(n.statement, depth, next);
    }
    const loop = isLoop(n);
    ts.forEachChild(n, (c) => visit(c, loop ? depth + 1 : depth, inner));
  };
  visit(body, 0, new Set());
  return { returns, exits };
}

export function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

/** Whether control may leave the statement by return, break or continue. */
export function containsJump(node: ts.Node): boolean {
  if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (c) => (containsJump(c) ? true : undefined)) ?? false;
}

/** True when every path through the statement returns, breaks or continues. */
export function alwaysJumps(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  if (ts.isReturnStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.some(alwaysJumps);
  if (ts.isIfStatement(s)) return alwaysJumps(s.thenStatement) && alwaysJumps(s.elseStatement);
  return false;
}

export function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
