// The point a graph is evaluated at: one value per parameter (a number, an array, an object, as
// the parameter's type says), bound as the trace's inputs: a node per number, memory whose cells
// are nodes for arrays and objects (Int32Array labels and booleans are constants: no derivative).
import type { Param, Type } from "../ir/types";
import { GraphRequestError } from "./errors";
import { constant, type Cell, type Memory, type Node, type Ref } from "./trace";
import { formatNumber } from "./format";

export type PointValue = number | boolean | Float64Array | Int32Array | readonly PointValue[] | { readonly [field: string]: PointValue };

/** A parameter's inputs in its shape: its node, or its elements' (constants where not differentiable). */
export type InputTree = Ref | readonly InputTree[] | { readonly [field: string]: InputTree };

const isList = (v: unknown): v is ArrayLike<PointValue> => Array.isArray(v) || v instanceof Float64Array || v instanceof Int32Array;

export function bindParameter(param: Param, index: number, value: PointValue | undefined, inputs: Node[]): { cell: Cell; tree: InputTree } {
  const build = (type: Type, v: PointValue | undefined, element: (number | string)[], at: Memory["origin"]): { cell: Cell; tree: InputTree } => {
    const where = `${param.name}${element.map((e) => (typeof e === "number" ? `[${e}]` : `.${e}`)).join("")}`;
    const mismatch = (expected: string) => new GraphRequestError(`--at: ${where} should be ${expected}, not ${show(v)}`);
    switch (type.kind) {
      case "f64": {
        if (typeof v !== "number") throw mismatch("a number");
        const node: Node = { kind: "node", value: param.value, x: v, operands: [], inputs: [], partials: [], path: [], input: { param: index, element } };
        inputs.push(node);
        return { cell: node, tree: node };
      }
      case "int":
        if (typeof v !== "number" || !Number.isInteger(v)) throw mismatch("an integer");
        return { cell: constant(v), tree: constant(v) };
      case "bool":
        if (typeof v !== "boolean") throw mismatch("true or false");
        return { cell: constant(v), tree: constant(v) };
      case "array": {
        if (!isList(v)) throw mismatch("an array, e.g. [1, 2, 3]");
        const memory: Memory = { kind: "memory", origin: at, isArray: true, cells: new Map() };
        const tree = Array.from(v, (e, k) => {
          const bound = build(type.element, e, [...element, k], { parent: memory, key: k });
          memory.cells.set(k, bound.cell);
          return bound.tree;
        });
        return { cell: memory, tree };
      }
      case "struct": {
        if (typeof v !== "object" || v === null || isList(v)) throw mismatch(`an object with ${type.fields.map((f) => f.name).join(", ")}`);
        const memory: Memory = { kind: "memory", origin: at, isArray: false, cells: new Map() };
        const tree: Record<string, InputTree> = {};
        for (const field of type.fields) {
          const bound = build(field.type, (v as Record<string, PointValue>)[field.name], [...element, field.name], { parent: memory, key: field.name });
          memory.cells.set(field.name, bound.cell);
          tree[field.name] = bound.tree;
        }
        return { cell: memory, tree };
      }
      default:
        throw new GraphRequestError(`adc graph evaluates numbers, arrays and objects at a point; ${where} is a ${type.kind}`);
    }
  };
  return build(param.value.type, value, [], { value: param.value });
}

/** A point value as titles write it: `2`, `[1, -2, 0.5]`, `{ w: 1, b: 0 }`. */
export function formatPoint(v: PointValue | undefined): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return String(v);
  if (isList(v)) return `[${Array.from(v, formatPoint).join(", ")}]`;
  if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, e]) => `${k}: ${formatPoint(e)}`).join(", ")} }`;
  return String(v);
}

function show(v: PointValue | undefined): string {
  return v === undefined ? "nothing" : formatPoint(v);
}

/**
 * `--at` as the CLI takes it: values separated by commas, each a number, true or false, an array
 * `[1, 2, 3]` or an object `{ w: 1, b: 0 }` (JSON, keys quoted or not). Undefined when the text
 * is not one; `badNumber` is a plain list's first entry that is not a number.
 */
export function parsePoint(text: string): { point?: PointValue[]; badNumber?: string } {
  if (!/[[{]/.test(text)) {
    const entries = text.split(",");
    const badNumber = entries.find((e) => e.trim() === "" || (e.trim() !== "true" && e.trim() !== "false" && Number.isNaN(Number(e))));
    if (badNumber !== undefined) return { badNumber };
    return { point: entries.map((e) => (e.trim() === "true" ? true : e.trim() === "false" ? false : Number(e))) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${text.replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')}]`);
  } catch {
    return {};
  }
  const valid = (v: unknown): v is PointValue =>
    typeof v === "number" || typeof v === "boolean" || (Array.isArray(v) ? v.every(valid) : typeof v === "object" && v !== null && Object.values(v).every(valid));
  return valid(parsed) ? { point: parsed as PointValue[] } : {};
}
