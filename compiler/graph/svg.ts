// DOT → SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary. Loaded only
// when an SVG is asked for.
export async function renderSvg(dot: string): Promise<string> {
  const viz = await import("@viz-js/viz");
  return (await viz.instance()).renderString(dot, { format: "svg" });
}
