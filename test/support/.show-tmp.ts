import fc from "fast-check";
import { rawLoopProgramArb, renderLoopModule } from "./program-gen-loops";
const n = Number(process.argv[2] ?? 3);
const ps = fc.sample(rawLoopProgramArb(), { seed: Number(process.argv[3] ?? 1), numRuns: n });
console.log(renderLoopModule(ps).text);
