// What the frontend refuses, construct by construct: one table from syntax kind to the
// diagnostic a user sees. Anything not lowered and not listed gets the generic ADC1001.
import ts from "typescript";
import { Codes, Refusal, type Code } from "../diagnostics";

const statementRefusals: [(s: ts.Statement) => boolean, Code, string][] = [
  [ts.isTryStatement, Codes.TryCatch, "try/catch cannot be differentiated"],
  [ts.isThrowStatement, Codes.TryCatch, "throw cannot be differentiated"],
  [ts.isClassDeclaration, Codes.Closure, "classes declared inside a differentiated function are not supported; declare the class at the top level"],
  [ts.isSwitchStatement, Codes.UnsupportedSyntax, "switch is not supported; use if/else"],
];

export function refuseStatement(s: ts.Statement): never {
  for (const [test, code, message] of statementRefusals) {
    if (test(s)) throw new Refusal(code, message, s);
  }
  const keyword = s.getText().split(/[\s(;{]/)[0];
  throw new Refusal(Codes.UnsupportedSyntax, `'${keyword}' statements are not supported in a differentiated function`, s);
}

const expressionRefusals: [(e: ts.Expression) => boolean, Code, string][] = [
  [(e) => e.kind === ts.SyntaxKind.ThisKeyword, Codes.This, "`this` is only supported in instance methods, as `this.field`; here pass the fields it reads as parameters"],
  [(e) => ts.isArrowFunction(e) || ts.isFunctionExpression(e), Codes.Closure,
    "a function used as a value here cannot be followed; call it, bind it to a const, or pass it to an array method or to a function that takes a callback"],
  [ts.isClassExpression, Codes.Closure, "class expressions are not supported inside a differentiated function"],
  [ts.isAwaitExpression, Codes.Async, "await cannot be differentiated"],
  [ts.isYieldExpression, Codes.Generator, "yield cannot be differentiated"],
  [(e) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e), Codes.UnsupportedType, "strings are not numbers"],
];

export function refuseExpression(e: ts.Expression): never {
  for (const [test, code, message] of expressionRefusals) {
    if (test(e)) throw new Refusal(code, message, e);
  }
  throw new Refusal(Codes.UnsupportedSyntax, `${ts.SyntaxKind[e.kind]} is not supported in a differentiated function`, e);
}
