// `node:fs` in the browser: the compiler only reads (package.json files above a declaration, in
// frontend/resolve.ts and program.ts), so reads of the virtual file system are all it needs.
import { files } from "../virtual-fs";

export function existsSync(name: string): boolean {
  return files.has(name);
}

export function readFileSync(name: string): string {
  const text = files.get(name);
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file '${name}'`), { code: "ENOENT" });
  return text;
}
