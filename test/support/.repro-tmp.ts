import * as fs from "node:fs";
import { loadSource } from "./load";
import { compileSource } from "../../compiler";
const text = fs.readFileSync(process.argv[2], "utf8");
if (process.argv[3] === "code") console.log(compileSource(text, "/work/main/fixtures/__inline__.ts").code);
const m = loadSource(text);
const args = JSON.parse(process.argv[4] ?? "null");
for (const c of m.cases ?? []) {
  const x = () => c.at.map((a: any) => (Array.isArray(a) && c.f64 ? Float64Array.from(a) : Array.isArray(a) ? [...a] : a));
  const g = c.g(...x());
  console.log("adc:", JSON.stringify(g instanceof Float64Array ? [...g] : g, (k, v) => (v instanceof Float64Array ? [...v] : v)));
  // numeric on every scalar/array leaf
  const base = x();
  const num: any[] = [];
  base.forEach((a: any, i: number) => {
    const d = (idx: number | null) => {
      const h = 1e-6;
      const plus = x(), minus = x();
      if (idx === null) { plus[i] += h; minus[i] -= h; } else { plus[i][idx] += h; minus[i][idx] -= h; }
      return (c.fn(...plus) - c.fn(...minus)) / (2 * h);
    };
    num.push(typeof a === "number" ? d(null) : Array.from(a, (_: any, j: number) => d(j)));
  });
  console.log("num:", JSON.stringify(num));
}
