// The source map of a transformed module: the user's text, which the splice keeps, maps to itself
// token by token; a marker call adc replaced maps to the call; generated derivative code maps,
// statement by statement, to the line of the marked function (or callee) it was made from, as
// Babel's generator recorded it (see sourceLoc in backend/emit.ts).
import { GenMapping, maybeAddMapping, setSourceContent, toEncodedMap, type EncodedSourceMap } from "@jridgewell/gen-mapping";
import * as path from "node:path";
import type { Edit } from "./edits";

export type { EncodedSourceMap } from "@jridgewell/gen-mapping";

/** A position in generated text (line 1-based, column 0-based, as in Babel's raw mappings). */
export interface Mapping {
  readonly generated: { readonly line: number; readonly column: number };
  readonly original: { readonly line: number; readonly column: number };
  readonly source: string;
}

/** Text made of generated pieces, with the mappings of each (relative to the text's start). */
export interface MappedText {
  readonly text: string;
  readonly mappings: readonly Mapping[];
}

/**
 * Maps every line of `text` that has no mapping of its own (a doc comment, a signature, an adapter
 * adc writes as text) to `origin`, the declaration it was generated for.
 */
export function fillUnmapped(text: string, mappings: readonly Mapping[], origin: { file: string; line: number; column: number }): MappedText {
  const mapped = new Set(mappings.map((m) => m.generated.line));
  const filled = [...mappings];
  text.split("\n").forEach((_, i) => {
    if (!mapped.has(i + 1)) {
      filled.push({ generated: { line: i + 1, column: 0 }, original: { line: origin.line, column: origin.column - 1 }, source: origin.file });
    }
  });
  filled.sort((a, b) => a.generated.line - b.generated.line || a.generated.column - b.generated.column);
  return { text, mappings: filled };
}

/** Joins texts, shifting each one's mappings to where it lands. */
export function joinMapped(parts: readonly (string | MappedText)[]): MappedText {
  let text = "";
  const mappings: Mapping[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    const { line, column } = endOf(text);
    for (const m of part.mappings) {
      mappings.push({ ...m, generated: shift(m.generated, line, column) });
    }
    text += part.text;
  }
  return { text, mappings };
}

/** An edit whose inserted text carries mappings of its own (a block of generated code). */
export interface MappedEdit extends Edit {
  readonly mappings?: readonly Mapping[];
}

/**
 * Applies the edits (inserts at one position keep the order they were made in) and returns the
 * new text with its source map. `fileName` is the module's own file; generated
 * code may map to others (callees imported from them).
 */
export function applyEditsMapped(
  original: string,
  fileName: string,
  edits: readonly MappedEdit[],
): { code: string; map: EncodedSourceMap } {
  const file = path.basename(fileName);
  const map = new GenMapping({ file });
  const lineStarts = lineStartsOf(original);
  const originalPos = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] };
  };
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let code = "";
  let cursor = 0;
  const out = { line: 1, column: 0 };
  const append = (text: string) => {
    code += text;
    advance(out, text);
  };
  const mapOriginal = (offset: number) =>
    maybeAddMapping(map, { generated: { ...out }, source: fileName, original: originalPos(offset) });
  /** Copies original[from, to), mapping each token's start to itself. */
  const copy = (from: number, to: number) => {
    const boundary = /[A-Za-z0-9_$]+|\S/g;
    boundary.lastIndex = from;
    let at = from;
    for (let match = boundary.exec(original); match && match.index < to; match = boundary.exec(original)) {
      append(original.slice(at, match.index));
      mapOriginal(match.index);
      const end = Math.min(match.index + match[0].length, to);
      append(original.slice(match.index, end));
      at = end;
    }
    append(original.slice(at, to));
  };
  for (const { e } of sorted) {
    if (e.start > cursor) copy(cursor, e.start);
    const start = { ...out };
    if (e.text.length > 0 && e.end > e.start) mapOriginal(e.start); // a replacement maps to what it replaces
    for (const m of e.mappings ?? []) {
      maybeAddMapping(map, { generated: shift(m.generated, start.line, start.column), source: m.source, original: m.original });
    }
    append(e.text);
    cursor = Math.max(cursor, e.end);
  }
  copy(cursor, original.length);
  setSourceContent(map, fileName, original);
  const encoded = toEncodedMap(map);
  // Sources relative to the map's own file, as bundlers and Node expect.
  const dir = path.dirname(fileName);
  return { code, map: { ...encoded, sources: encoded.sources.map((s) => (s === null ? s : relativeSource(dir, s))) } };
}

function relativeSource(dir: string, source: string): string {
  return path.isAbsolute(source) ? path.relative(dir, source).split(path.sep).join("/") : source;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function advance(pos: { line: number; column: number }, text: string): void {
  const lastBreak = text.lastIndexOf("\n");
  if (lastBreak < 0) {
    pos.column += text.length;
    return;
  }
  for (let i = 0; i <= lastBreak; i++) if (text[i] === "\n") pos.line++;
  pos.column = text.length - lastBreak - 1;
}

function endOf(text: string): { line: number; column: number } {
  const pos = { line: 1, column: 0 };
  advance(pos, text);
  return pos;
}

/** A position in a piece that starts at (line, column) of the whole. */
function shift(p: { line: number; column: number }, line: number, column: number): { line: number; column: number } {
  return { line: p.line + line - 1, column: p.line === 1 ? p.column + column : p.column };
}

/** `//# sourceMappingURL=data:…` for a map carried inside the file it maps. */
export function inlineSourceMapComment(map: EncodedSourceMap): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}

/** The map of `sourceFile`'s compiled text, as the file `target` (its sources relative to it). */
export function relocateSourceMap(map: EncodedSourceMap, sourceFile: string, target: string): EncodedSourceMap {
  const from = path.dirname(path.resolve(sourceFile));
  const to = path.dirname(path.resolve(target));
  return {
    ...map,
    file: path.basename(target),
    sources: map.sources.map((s) => (s === null ? s : relativeSource(to, path.resolve(from, s)))),
  };
}
