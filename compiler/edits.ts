// Text edits to the user's module: the transformer keeps the original text and formatting, and
// only replaces marker calls, removes `@grad` decorators and inserts the generated code.
import ts from "typescript";
import { resolveOperator } from "./frontend/resolve";

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Whether a node lies within one of the ranges: by binary search over the ranges sorted by start,
 * with the furthest end reached so far (a scan of every range per identifier is quadratic).
 */
function insideAny(ranges: readonly Edit[], sf: ts.SourceFile): (node: ts.Node) => boolean {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const reach: number[] = [];
  sorted.forEach((r, i) => reach.push(Math.max(r.end, i > 0 ? reach[i - 1] : -Infinity)));
  return (node) => {
    const start = node.getStart(sf);
    let lo = 0;
    let hi = sorted.length; // first range starting after the node
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].start <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && reach[lo - 1] >= node.getEnd();
  };
}

/**
 * Imports of the operators that no code uses once the marker calls are replaced: removed, so the
 * output stays clean under `noUnusedLocals` (the operators would be dead stubs anyway).
 */
export function pruneOperatorImports(checker: ts.TypeChecker, sf: ts.SourceFile, replaced: readonly Edit[]): Edit[] {
  const inside = insideAny(replaced, sf);
  const uses = new Map<ts.Symbol, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && !inside(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol) uses.set(symbol, (uses.get(symbol) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  const edits: Edit[] = [];
  for (const statement of sf.statements) {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const named = clause?.namedBindings;
    if (!clause || !named || !ts.isNamedImports(named)) continue;
    const unused = named.elements.filter((element) => {
      const local = checker.getSymbolAtLocation(element.name);
      return resolveOperator(checker, element.name) !== undefined && local && !uses.has(local);
    });
    if (unused.length === 0) continue;
    const kept = named.elements.filter((element) => !unused.includes(element));
    const declaration = statement as ts.ImportDeclaration;
    if (kept.length === 0 && !clause.name) {
      // Remove from the line break before it, so an insertion right after it stays intact.
      const start = declaration.getStart(sf);
      edits.push({ start: sf.text[start - 1] === "\n" ? start - 1 : start, end: declaration.getEnd(), text: "" });
    } else {
      const text = kept.length === 0 ? "" : `{ ${kept.map((k) => k.getText(sf)).join(", ")} }`;
      edits.push({ start: named.getStart(sf), end: named.getEnd(), text });
    }
  }
  return edits;
}
