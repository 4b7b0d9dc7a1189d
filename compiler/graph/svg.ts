// DOT → SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary. Loaded only
// when an SVG is asked for, once per process (the playground draws at every keystroke).
let viz: Promise<{ renderString(dot: string, options: { format: "svg" }): string }> | undefined;

export async function renderSvg(dot: string): Promise<string> {
  viz ??= import("@viz-js/viz").then((module) => module.instance());
  return (await viz).renderString(dot, { format: "svg" });
}
