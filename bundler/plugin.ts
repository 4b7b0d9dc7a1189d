// adc as a bundler plugin, one implementation for Vite, esbuild, Rollup and webpack (unplugin):
// every project file that imports "adc" goes through the same pipeline as `adc compile`, resolved
// through a TypeScript program of the project's tsconfig.json that is kept between rebuilds. The
// plugin runs before the bundler strips types ("pre") and hands it TypeScript with a source map
// back to the user's lines; refusals fail the build through the bundler's own error channel, with
// file, line and column.
import * as path from "node:path";
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext } from "unplugin";
import { compileProgramFile } from "../compiler/index";
import { formatDiagnostic, type AdcDiagnostic } from "../compiler/diagnostics";
import { Project, type ProjectOptions } from "../compiler/project";
import { importsAdc } from "../compiler/transformer";

export interface AdcPluginOptions extends ProjectOptions {
  /** Emit source maps of the generated code (default true). */
  readonly sourceMap?: boolean;
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

export const unplugin = createUnplugin((options: AdcPluginOptions | undefined = {}) => {
  let project: Project | undefined;
  const projectOf = () => (project ??= new Project(options));
  return {
    name: "adc",
    enforce: "pre",
    transformInclude(id) {
      const file = id.split("?")[0];
      return TYPESCRIPT.test(file) && !file.endsWith(".d.ts") && !file.split(/[\\/]/).includes("node_modules");
    },
    transform(this: UnpluginBuildContext & UnpluginContext, code, id) {
      if (!importsAdc(code)) return undefined;
      const file = path.resolve(id.split("?")[0]);
      const result = compileProgramFile(projectOf().program(file, code), file);
      if (result.diagnostics.length > 0) {
        report(this, result.diagnostics);
        return { code }; // Rollup, Vite and webpack have thrown; esbuild fails with the errors reported
      }
      if (result.code === undefined || result.code === code) return undefined;
      return { code: result.code, map: options.sourceMap === false ? null : (result.map ?? null) };
    },
    watchChange(id) {
      project?.invalidate(id);
    },
  };
});

/** The first diagnostic located, all of them in the message (each with its code frame). */
function report(context: UnpluginBuildContext & UnpluginContext, diagnostics: readonly AdcDiagnostic[]): void {
  const [first] = diagnostics;
  const message = diagnostics.map((d) => formatDiagnostic(d, { cwd: process.cwd(), color: false })).join("\n");
  context.error({
    message: diagnostics.length === 1 ? message : `${diagnostics.length} adc errors:\n${message}`,
    id: first.fileName,
    loc: { file: first.fileName, line: first.line, column: first.column - 1 },
  });
}
