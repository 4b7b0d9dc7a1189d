// Tangents and adjoints over a trace: sums over its chain-rule steps (each node's partials).
import type { Node, Trace } from "./trace";

/** Reverse mode: each node's adjoint ∂output/∂node (seed 1). */
export function adjoints(trace: Trace): Map<Node, number> {
  const result = new Map<Node, number>();
  if (trace.output.kind === "node") result.set(trace.output, 1);
  for (let i = trace.nodes.length - 1; i >= 0; i--) {
    const node = trace.nodes[i];
    const g = result.get(node);
    // A zero adjoint contributes nothing, whatever the partial (0 · ∞ or 0 · NaN is 0, as the
    // generated code's guards make it: a value only an untaken path needs has no derivative).
    if (g === undefined || g === 0) continue;
    node.inputs.forEach((x, k) => result.set(x, (result.get(x) ?? 0) + node.partials[k] * g));
  }
  return result;
}

/** Forward mode: each node's tangents, one per input direction ẋ = eᵢ (∂node/∂inputᵢ). */
export function tangents(trace: Trace): Map<Node, number[]> {
  const n = trace.inputs.length;
  const result = new Map<Node, number[]>();
  trace.inputs.forEach((node, i) => result.set(node, Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
  for (const node of trace.nodes) {
    const t = new Array<number>(n).fill(0);
    node.inputs.forEach((x, k) =>
      // As in reverse mode, a zero tangent contributes nothing whatever the partial.
      result.get(x)?.forEach((dx, j) => {
        if (dx !== 0) t[j] += node.partials[k] * dx;
      }),
    );
    result.set(node, t);
  }
  return result;
}
