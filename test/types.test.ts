// The operators' types, as an editor sees them without the transformer.
import * as path from "node:path";
import ts from "typescript";
import { expect, test } from "vitest";
import { createProgram } from "../compiler/program";

test("grad, valueAndGrad and vjp are typed from the function they differentiate", () => {
  const program = createProgram(path.resolve(__dirname, "type-fixtures/operators.ts"));
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(diagnostics).toEqual([]);
});
