// `// adc: <directive>` comments on the line before a statement or declaration: `checkpoint`
// before a loop (loops.ts), `noinline` before a function (lower.ts).
import ts from "typescript";

/** Whether `// adc: <directive>` is among the comments leading `node`. */
export function hasDirective(node: ts.Node, directive: "checkpoint" | "noinline"): boolean {
  const text = node.getSourceFile().text;
  const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const pattern = new RegExp(`^//\\s*adc:\\s*${directive}\\b`);
  return comments.some((c) => pattern.test(text.slice(c.pos, c.end)));
}
