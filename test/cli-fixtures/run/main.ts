// adc run: an import written for node16 resolution ("./model.js" is model.ts), the program's
// arguments, and its exit code.
import { dcube } from "./model.js";

const x = Number(process.argv[2]);
console.log(JSON.stringify({ x, dcube: dcube(x), args: process.argv.slice(3) }));
process.exitCode = 7;
