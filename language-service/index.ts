// adc in the editor: a TypeScript language-service plugin,
//
//   "plugins": [{ "name": "adc/language-service" }]
//
// in tsconfig.json's compilerOptions. For every file that imports "adc" it runs the pipeline on
// the editor's current program and adds adc's refusals to the file's semantic diagnostics, with
// the codes and ranges tspc reports (TS9xxxx, "ADC1xxx: …"); hovering an operator call such as
// `grad(f)` shows the signature of the function adc generates for it. Nothing is written.
import type * as ts from "typescript";
import { compileProgramFile, type CompileResult } from "../compiler/index";
import { toTsDiagnostic } from "../compiler/diagnostics";
import { importsAdc } from "../compiler/transformer";

interface PluginModule {
  create(info: ts.server.PluginCreateInfo): ts.LanguageService;
}

function init(modules: { typescript: typeof ts }): PluginModule {
  const tsi = modules.typescript;
  return {
    create(info) {
      const service = info.languageService;
      // One compilation per program and file: the editor asks for diagnostics and quick info of
      // the same state many times.
      const cache = new WeakMap<ts.Program, Map<string, CompileResult | undefined>>();
      const compile = (fileName: string): { result: CompileResult; file: ts.SourceFile } | undefined => {
        const program = service.getProgram();
        const file = program?.getSourceFile(fileName);
        if (!program || !file || !importsAdc(file.text)) return undefined;
        let perFile = cache.get(program);
        if (!perFile) cache.set(program, (perFile = new Map()));
        if (!perFile.has(fileName)) {
          let result: CompileResult | undefined;
          try {
            result = compileProgramFile(program, fileName);
          } catch (error) {
            info.project.projectService.logger.info(`adc: internal error on ${fileName}: ${String(error)}`);
          }
          perFile.set(fileName, result);
        }
        const result = perFile.get(fileName);
        return result && { result, file };
      };

      const proxy: ts.LanguageService = Object.create(null);
      for (const key of Object.keys(service) as (keyof ts.LanguageService)[]) {
        const method = service[key] as unknown;
        if (typeof method === "function") (proxy as unknown as Record<string, unknown>)[key] = method.bind(service);
      }

      proxy.getSemanticDiagnostics = (fileName) => {
        const theirs = service.getSemanticDiagnostics(fileName);
        const compiled = compile(fileName);
        if (!compiled) return theirs;
        const { result, file } = compiled;
        const ours = result.diagnostics.map((d) => {
          if (d.fileName === file.fileName) return toTsDiagnostic(d, file);
          // A refusal in a callee of another file: shown there too; here at the top of the file.
          const at = `${d.fileName}(${d.line},${d.column})`;
          return { ...toTsDiagnostic(d, file), start: 0, length: 0, messageText: `ADC${d.code}: in ${at}: ${d.message}` };
        });
        return [...theirs, ...ours];
      };

      proxy.getQuickInfoAtPosition = (fileName, position, ...rest) => {
        const theirs = service.getQuickInfoAtPosition(fileName, position, ...rest);
        const compiled = compile(fileName);
        const replaced = compiled?.result.replacements?.find((r) => r.start <= position && position < r.end);
        if (!compiled || !replaced || compiled.result.code === undefined) return theirs;
        const signature = generatedSignature(tsi, compiled.result.code, replaced.name);
        if (!signature) return theirs;
        const text = `adc generates ${signature.text}`;
        const documentation: ts.SymbolDisplayPart[] = [
          { kind: "text", text: `${text}${signature.doc ? `\n\n${signature.doc}` : ""}` },
          ...(theirs?.documentation ?? []).flatMap((d) => [{ kind: "lineBreak", text: "\n\n" }, d]),
        ];
        return {
          kind: theirs?.kind ?? tsi.ScriptElementKind.functionElement,
          kindModifiers: theirs?.kindModifiers ?? "",
          textSpan: theirs?.textSpan ?? { start: replaced.start, length: replaced.end - replaced.start },
          displayParts: theirs?.displayParts ?? [{ kind: "text", text: signature.text }],
          documentation,
          tags: theirs?.tags,
        };
      };
      return proxy;
    },
  };
}

/** `function f_grad(x1: number, x2: number): [number, number]` and its doc comment, from the generated module. */
function generatedSignature(tsi: typeof ts, code: string, name: string): { text: string; doc?: string } | undefined {
  const sf = tsi.createSourceFile("generated.ts", code, tsi.ScriptTarget.Latest, true);
  const decl = sf.statements.find((s): s is ts.FunctionDeclaration => tsi.isFunctionDeclaration(s) && s.name?.text === name);
  if (!decl) return undefined;
  const text = code.slice(decl.getStart(sf), decl.body ? decl.body.getStart(sf) : decl.getEnd()).trim();
  const comment = tsi.getLeadingCommentRanges(code, decl.getFullStart())?.find((c) => code.startsWith("/**", c.pos));
  const doc = comment && code.slice(comment.pos + 3, comment.end - 2).trim();
  return { text, doc };
}

export = init;
