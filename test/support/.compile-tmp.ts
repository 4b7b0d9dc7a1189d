import * as fs from "node:fs";
import { compileSource } from "../../compiler";
const text = fs.readFileSync(process.argv[2], "utf8");
try {
  const r = compileSource(text, "/work/main/fixtures/__inline__.ts");
  console.log(r.diagnostics.map((d) => d.message).join("\n") || "compiled ok");
  if (process.argv[3] === "code") console.log(r.code);
} catch (e) { console.log("THROWS", String(e)); }
