// `npm install ../adc` (a folder) in a user project links the package into node_modules; the
// end-to-end projects under test/e2e get the same link. The package's "exports" then give the
// runtime (dist/runtime), "adc/transformer", the bundler plugins and the language service.
import * as fs from "node:fs";
import * as path from "node:path";

export const root = path.resolve(__dirname, "..", "..");

export function linkPackage(project: string): void {
  const link = path.join(project, "node_modules", "adc");
  try {
    if (fs.realpathSync(link) === fs.realpathSync(root)) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // missing: create it below
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
}

/** The build the end-to-end tests load from, as an installed package would be. */
export function requireBuild(...files: string[]): void {
  for (const file of files) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` before these tests`);
  }
}
