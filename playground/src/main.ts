// The page: an editor, the function and point to evaluate at, and what the worker answers (the
// gradient beside central differences, the graph, the generated code). Each edit is sent after a
// short pause; only the answer to the latest request is shown. `document.body.dataset.state` is
// "working" from an edit until its answer is shown, then "ready" (the browser test waits on it).
import type { Mode } from "../../compiler/graph/dot";
import type { FunctionInfo, Request, Result } from "./protocol";

const initialSource = `// Baydin et al. (2018), "Automatic differentiation in machine learning: a survey", table 2
function f(x1: number, x2: number): number {
  return Math.log(x1) + x1 * x2 - Math.sin(x2);
}
`;
const initialPoint: Record<string, number> = { x1: 2, x2: 5 };
/** How long an answer may take before the worker is taken for stuck (an endless loop) and replaced. */
const timeoutMs = 20_000;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const source = element<HTMLTextAreaElement>("source");
const fnSelect = element<HTMLSelectElement>("fn");
const modeSelect = element<HTMLSelectElement>("mode");
const pointFields = element<HTMLDivElement>("point");
const status = element<HTMLSpanElement>("status");
const diagnostics = element<HTMLPreElement>("diagnostics");
const gradientTable = element<HTMLTableSectionElement>("gradient");
const check = element<HTMLParagraphElement>("check");
const graph = element<HTMLDivElement>("graph");
const code = element<HTMLPreElement>("code");

const point: Record<string, number> = { ...initialPoint };
let fn: string | undefined;
let functions: readonly FunctionInfo[] = [];
let params: readonly string[] = [];
let latest = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;
let watchdog: ReturnType<typeof setTimeout> | undefined;
let worker = startWorker();

function startWorker(): Worker {
  const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  w.onmessage = (event: MessageEvent<Result>) => show(event.data);
  return w;
}

function schedule(delay = 250): void {
  document.body.dataset.state = "working";
  status.textContent = "compiling…";
  clearTimeout(debounce);
  debounce = setTimeout(send, delay);
}

function send(): void {
  const request: Request = { id: ++latest, source: source.value, fn, point: { ...point }, mode: modeSelect.value as Mode };
  clearTimeout(watchdog);
  watchdog = setTimeout(() => {
    worker.terminate();
    worker = startWorker();
    status.textContent = `stopped after ${timeoutMs / 1000} s (an endless loop?)`;
    document.body.dataset.state = "ready";
  }, timeoutMs);
  worker.postMessage(request);
}

function show(result: Result): void {
  if (result.id !== latest) return;
  clearTimeout(watchdog);
  if (result.functions.length > 0 || result.diagnostics.length === 0) showFunctions(result);
  diagnostics.textContent = result.diagnostics.join("\n");
  diagnostics.hidden = result.diagnostics.length === 0;
  code.textContent = result.code ?? "";
  showGradient(result);
  if (result.svg !== undefined) graph.innerHTML = result.svg;
  else graph.textContent = result.graphError ?? "";
  const t = result.timings;
  status.textContent = Object.keys(t).length > 0 ? `compiled in ${t.compile ?? 0} ms, graph in ${t.graph ?? 0} ms` : "";
  document.body.dataset.state = "ready";
}

function showFunctions(result: Result): void {
  const names = result.functions.map((f) => f.name);
  if (names.join() !== functions.map((f) => f.name).join()) {
    fnSelect.replaceChildren(...names.map((name) => new Option(name, name)));
  }
  functions = result.functions;
  fn = result.fn;
  if (fn !== undefined) fnSelect.value = fn;
  if (result.params.join() !== params.join()) {
    params = result.params;
    pointFields.replaceChildren(...params.map((name, i) => pointField(name, result.point[i])));
  }
}

function pointField(name: string, value: number): HTMLLabelElement {
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.name = name;
  input.inputMode = "decimal";
  input.value = String(value);
  input.addEventListener("input", () => {
    const x = Number(input.value);
    const valid = input.value.trim() !== "" && Number.isFinite(x);
    input.classList.toggle("invalid", !valid);
    if (!valid) return;
    point[name] = x;
    schedule();
  });
  label.append(`${name} = `, input);
  return label;
}

const formatValue = (x: number) => (Number.isFinite(x) ? x.toPrecision(12) : String(x));

function showGradient(result: Result): void {
  const rows: HTMLTableRowElement[] = [];
  const row = (cells: [string, string][], param?: string) => {
    const tr = document.createElement("tr");
    if (param !== undefined) tr.dataset.param = param;
    for (const [className, text] of cells) {
      const cell = document.createElement(className === "name" ? "th" : "td");
      cell.className = className;
      cell.textContent = text;
      tr.append(cell);
    }
    rows.push(tr);
  };
  if (result.value !== undefined && result.gradient && result.numeric) {
    row([["name", `${result.fn}(${result.point.join(", ")})`], ["value", formatValue(result.value)], ["numeric", ""], ["error", ""]]);
    result.params.forEach((p, i) => {
      const error = Math.abs(result.gradient![i] - result.numeric![i]) / Math.max(1, Math.abs(result.gradient![i]), Math.abs(result.numeric![i]));
      row([["name", `∂${result.fn}/∂${p}`], ["adc", formatValue(result.gradient![i])], ["numeric", formatValue(result.numeric![i])], ["error", error.toExponential(1)]], p);
    });
    check.textContent = `checkGradient: ${result.ok ? "ok" : "DISAGREE"} (max error ${result.maxError!.toExponential(1)})`;
    check.className = result.ok ? "ok" : "bad";
  } else {
    check.textContent = result.runError ?? "";
    check.className = "";
  }
  gradientTable.replaceChildren(...rows);
}

source.value = initialSource;
source.addEventListener("input", () => schedule());
fnSelect.addEventListener("change", () => {
  fn = fnSelect.value;
  schedule(0);
});
modeSelect.addEventListener("change", () => schedule(0));
// Tab in the editor indents instead of leaving it.
source.addEventListener("keydown", (event) => {
  if (event.key !== "Tab") return;
  event.preventDefault();
  source.setRangeText("  ", source.selectionStart, source.selectionEnd, "end");
  schedule();
});
schedule(0);
