// One test per refused construct: the code, the message and the location a user sees.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileSource } from "../compiler";
import { formatDiagnostic } from "../compiler/diagnostics";

const file = path.resolve(__dirname, "diagnostic-fixtures/input.ts");

/** Compiles `body` as a module that marks `f`, returning `input.ts(line,col): error ADCxxxx: message` lines. */
function refusals(source: string): string[] {
  const result = compileSource(`import { grad, vjp } from "adc";\n${source}\nexport const df = grad(f);\n`, file);
  expect(result.code).toBeUndefined();
  return result.diagnostics.map((d) => formatDiagnostic(d, { cwd: path.dirname(file) }).split("\n")[0]);
}

// Each entry: the source (line 2 onwards of the module) and the first line of its diagnostic.
const cases: [string, string, string][] = [
  ["for…in loop", "function f(x: number[]): number {\n  let s = 0;\n  for (const k in x) s += x[k];\n  return s;\n}",
    "input.ts(4,3): error ADC1009: for…in loops over keys, which are strings; use for…of or an index"],
  ["array variable merged by a branch", "function f(x: number[], y: number[]): number {\n  let a = x;\n  if (x[0] > 0) a = y;\n  return a[0];\n}",
    "input.ts(4,3): error ADC1014: 'a' holds an array or object and is reassigned in a branch or loop; adc cannot prove which memory it refers to"],
  ["array variable reassigned in a loop", "function f(x: number[], y: number[]): number {\n  let a = x;\n  let s = 0;\n  for (let i = 0; i < 2; i++) {\n    s += a[0];\n    a = y;\n  }\n  return s;\n}",
    "input.ts(7,5): error ADC1014: 'a' holds an array or object and is reassigned in a branch or loop; adc cannot prove which memory it refers to"],
  ["unsupported array method", "function f(x: number[]): number {\n  const y = x.slice().sort();\n  return y[0];\n}",
    "input.ts(3,23): error ADC1015: array method 'sort' is not supported in a differentiated function; sorting is not differentiable as a method here; write the comparisons in a loop"],
  ["new Array without fill", "function f(x: number): number {\n  const a = new Array(3);\n  a[0] = x;\n  return a[0];\n}",
    "input.ts(3,13): error ADC1015: `new Array(n)` has holes; write `new Array(n).fill(0)` or `new Float64Array(n)`"],
  ["Array.from of a length without a function", "function f(x: number): number {\n  const a = Array.from({ length: 3 });\n  return x;\n}",
    "input.ts(3,13): error ADC1015: write `Array.from({ length: n }, (_, i) => \u2026)`"],
  ["assigning an object field", "type P = { w: number };\nfunction f(p: P, x: number): number {\n  p.w = x;\n  return p.w;\n}",
    "input.ts(4,3): error ADC1001: fields of objects cannot be assigned in a differentiated function"],
  ["optional field", "type P = { w?: number };\nfunction f(p: P, x: number): number {\n  return x;\n}",
    "input.ts(3,12): error ADC1002: parameter 'p' has type 'P'; its field 'w' is optional"],
  ["an array literal whose rows are variables", "function f(x: number[]): number {\n  const rows = [x, x];\n  return rows[0][0];\n}",
    "input.ts(3,17): error ADC1014: the rows of an array literal must be new arrays or objects (literals, `new Float64Array(n)`, `.slice()`, a call's result): a variable would share its memory"],
  ["an array literal with a hole", "function f(x: number): number {\n  const a = [x, , x];\n  return a[0];\n}",
    "input.ts(3,13): error ADC1001: array literals with holes are not supported; write every element"],
  ["spreading an array of arrays", "function f(x: number[][]): number {\n  const rows = [...x];\n  return rows[0][0];\n}",
    "input.ts(3,17): error ADC1002: only arrays of numbers can be spread into a literal (spreading rows would share them); copy each row with .slice()"],
  ["an object literal with a method", "function f(x: number): number {\n  const o = { x, g() { return 1; } };\n  return o.x;\n}",
    "input.ts(3,18): error ADC1001: object literals may only have fields (`x: e`, `x`, `...o`); methods and accessors are not supported"],
  ["an object literal with a computed name", "function f(x: number): number {\n  const o = { [1 + 1]: x };\n  return x;\n}",
    "input.ts(3,15): error ADC1001: computed field names are not supported in object literals"],
  ["a boolean field", "function f(x: number): number {\n  const o = { x, positive: x > 0 };\n  return o.x;\n}",
    "input.ts(3,28): error ADC1002: field 'positive' must be a number, an array or an object"],
  ["a ternary choosing between two existing arrays", "function f(x: number[], y: number[]): number {\n  const a = x[0] > 0 ? x : y;\n  return a[0];\n}",
    "input.ts(3,24): error ADC1002: expected a number here"],
  ["one array passed twice to a function that writes one of them", "function addTo(a: number[], b: number[]): number {\n  a[0] += b[0];\n  return a[0];\n}\nfunction f(x: number[]): number {\n  return addTo(x, x) * 2;\n}",
    "input.ts(7,10): error ADC1014: 'addTo' writes an argument that shares memory with another one; pass separate arrays (copy one with .slice())"],
  ["try/catch", "function f(x: number): number {\n  try {\n    return x;\n  } catch {\n    return 0;\n  }\n}",
    "input.ts(3,3): error ADC1005: try/catch cannot be differentiated"],
  ["throw", "function f(x: number): number {\n  if (x < 0) throw new Error(\"negative\");\n  return x;\n}",
    "input.ts(3,14): error ADC1005: throw cannot be differentiated"],
  ["generator", "function* f(x: number): Generator<number> {\n  yield x;\n}",
    "input.ts(2,1): error ADC1006: generator function 'f' cannot be differentiated"],
  ["async", "async function f(x: number): Promise<number> {\n  return x;\n}",
    "input.ts(2,1): error ADC1007: async function 'f' cannot be differentiated"],
  ["this in a free function", "function f(x: number): number {\n  return (this as any).k * x;\n}",
    "input.ts(3,11): error ADC1008: `this` is only supported in instance methods, as `this.field`; here pass the fields it reads as parameters"],
  ["this in a static method", "class C {\n  static k = 2;\n  static m(x: number): number {\n    return this.k * x;\n  }\n}\nfunction f(x: number): number {\n  return C.m(x);\n}",
    "input.ts(5,12): error ADC1008: `this` is only supported in instance methods, as `this.field`; here pass the fields it reads as parameters"],
  ["this in a method of an instance", "class C {\n  k = 2;\n  m(x: number): number {\n    return this.k * x;\n  }\n}\nfunction f(x: number): number {\n  return C.prototype.m(x);\n}",
    "input.ts(9,10): error ADC1003: calls to instance method 'C.prototype.m' are not supported; make it static or a function"],
  ["an instance of a class as a parameter", "class C {\n  k = 2;\n  m(x: number): number {\n    return this.k * x;\n  }\n}\nfunction f(x: number, c: C): number {\n  return c.m(x);\n}",
    "input.ts(8,23): error ADC1002: parameter 'c' has type 'C'; adc supports number, boolean, number[], Float64Array, Tensor and objects of those"],
  ["let-bound local function", "function f(x: number): number {\n  let sq = (y: number) => y * y;\n  return sq(x);\n}",
    "input.ts(3,7): error ADC1013: local function 'sq' must be bound with const (a function variable that may change cannot be inlined)"],
  ["local class", "function f(x: number): number {\n  class C {}\n  return x;\n}",
    "input.ts(3,3): error ADC1013: classes declared inside a differentiated function are not supported; declare the class at the top level"],
  ["recursive local function", "function f(x: number): number {\n  function fact(n: number): number {\n    return n <= 1 ? 1 : n * fact(n - 1);\n  }\n  return fact(3) * x;\n}",
    "input.ts(4,29): error ADC1013: 'fact' calls itself; recursion is only supported for top-level functions that take no callbacks (pass what it captures as parameters)"],
  ["local function as a value", "function f(x: number): number {\n  const a = (v: number) => v;\n  const b = (v: number) => -v;\n  const g = x > 0 ? a : b;\n  return g(x);\n}",
    "input.ts(5,21): error ADC1013: 'a' is a local function used as a value; call it, or pass it to an array method or to a function that takes a callback"],
  ["arrow as a value", "function f(x: number): number {\n  const g = x > 0 ? (v: number) => v : (v: number) => -v;\n  return g(x);\n}",
    "input.ts(3,21): error ADC1013: a function used as a value here cannot be followed; call it, bind it to a const, or pass it to an array method or to a function that takes a callback"],
  ["callback writes in ?:", "function f(x: number): number {\n  let s = 0;\n  const add = (v: number) => {\n    s += v;\n    return s;\n  };\n  const y = x > 0 ? add(x) : 0;\n  return y + s;\n}",
    "input.ts(8,21): error ADC1013: this call assigns 's', which an arm of ?: cannot pass on; call it in a statement of its own before"],
  ["callback writes in loop condition", "function f(x: number): number {\n  let n = 0;\n  const next = () => {\n    n++;\n    return n;\n  };\n  while (next() < 5) x = x * 2;\n  return x;\n}",
    "input.ts(8,10): error ADC1013: this call assigns 'n', which a loop condition cannot pass on; call it in a statement of its own before"],
  ["map returning rows", "function f(m: number[][]): number {\n  const d = m.map((row) => row.map((v) => v * 2));\n  return d[0][0];\n}",
    "input.ts(3,28): error ADC1002: the callback of map must return a number here (arrays of arrays cannot be made yet)"],
  ["filter of rows", "function f(m: number[][]): number {\n  const d = m.filter((row) => row[0] > 0);\n  return d.length;\n}",
    "input.ts(3,13): error ADC1015: filter of rows or objects is not supported (arrays of them cannot be made yet); loop with an if"],
  ["reduce with an array accumulator", "function f(x: number[]): number {\n  const acc = x.reduce((a, v) => a, new Float64Array(2));\n  return acc[0];\n}",
    "input.ts(3,37): error ADC1015: reduce with an array or object accumulator is not supported; accumulate numbers, or write the loop"],
  ["push onto a parameter", "function f(x: number[]): number {\n  x.push(1);\n  return x[0];\n}",
    "input.ts(3,3): error ADC1015: push changes the length of an array adc cannot follow; only a number[] declared in this function (`const a: number[] = []`) can grow, by push and pop on that variable"],
  ["push onto a copy", "function f(x: number[]): number {\n  const y = x.slice();\n  y.push(1);\n  return y[0];\n}",
    "input.ts(3,9): error ADC1015: 'y' grows (push), so it must be a new number[] made here: declare it as `const y: number[] = []`"],
  ["shift", "function f(x: number): number {\n  const a: number[] = [];\n  a.push(x);\n  a.shift();\n  return x;\n}",
    "input.ts(5,3): error ADC1015: 'shift' is not supported: arrays grow and shrink at their end only (push, pop)"],
  ["alias of a popping array", "function f(x: number): number {\n  const a: number[] = [];\n  a.push(x);\n  const b = a;\n  a.pop();\n  return b.length;\n}",
    "input.ts(5,13): error ADC1014: 'a' grows and shrinks (push, pop); a second name for it is not supported, use 'a'"],
  ["forEach as a value", "function f(x: number[]): number {\n  const r = x.forEach((v) => v);\n  return 0;\n}",
    "input.ts(3,13): error ADC1015: forEach returns nothing; call it as a statement"],
  ["spread in Math.hypot", "function f(x: number[]): number {\n  return Math.hypot(...x);\n}",
    "input.ts(3,21): error ADC1001: spread arguments are only supported in Math.max and Math.min, not Math.hypot"],
  ["thisArg", "function f(x: number[]): number {\n  return x.map((v) => v, undefined)[0];\n}",
    "input.ts(3,26): error ADC1015: map with a thisArg is not supported"],
  ["entries without destructuring", "function f(x: number[]): number {\n  let s = 0;\n  for (const e of x.entries()) s += 1;\n  return s;\n}",
    "input.ts(4,14): error ADC1001: destructure the entries: for (const [i, v] of a.entries())"],
  ["Math.max as a reduce callback", "function f(x: number[]): number {\n  return x.reduce(Math.max);\n}",
    "input.ts(3,10): error ADC1013: Math.max cannot be passed as a callback (it would receive the index and the array too); write (a, b) => Math.max(a, b)"],
  ["empty literal of rows", "function f(x: number): number {\n  const a: number[][] = [];\n  return x;\n}",
    "input.ts(3,25): error ADC1002: an empty array here must be a number[] (write `const a: number[] = []`)"],
  ["local generator", "function f(x: number): number {\n  function* g() {\n    yield x;\n  }\n  return x;\n}",
    "input.ts(3,3): error ADC1006: generator function 'g' cannot be differentiated"],
  ["void local used as value", "function f(x: number): number {\n  const g = (v: number): void => {};\n  return g(x) as unknown as number;\n}",
    "input.ts(4,10): error ADC1002: 'g' returns nothing; call it as a statement"],
  ["missing callback return", "function f(x: number[]): number {\n  return x.map((v) => {\n    if (v > 0) return v;\n  })[0];\n}",
    "input.ts(4,5): error ADC1011: the callback of map can reach its end without returning a value"],
  ["sumBy helper recursion", "function walk(n: number, f: (v: number) => number): number {\n  return n <= 0 ? 0 : f(n) + walk(n - 1, f);\n}\nfunction f(x: number): number {\n  return walk(3, (v) => v * x);\n}",
    "input.ts(3,30): error ADC1013: 'walk' calls itself; recursion is only supported for top-level functions that take no callbacks (pass what it captures as parameters)"],
  ["array reassigned to map result in a loop", "function f(x: number[]): number {\n  let y = x;\n  for (let i = 0; i < 3; i++) y = y.map((v) => v * 2);\n  return y[0];\n}",
    "input.ts(4,31): error ADC1014: 'y' holds an array or object and is reassigned in a branch or loop; adc cannot prove which memory it refers to"],
  ["callback that is not known", "function apply(g: (v: number) => number, x: number): number {\n  return g(x);\n}\nfunction f(x: number): number {\n  const a = (v: number) => v;\n  const b = (v: number) => -v;\n  return apply(x > 0 ? a : b, x);\n}",
    "input.ts(8,16): error ADC1013: a callback must be an arrow function, a function expression, a local function or a function declaration"],
  ["top-level function with a different arity as a callback", "function scale(v: number, k: number, j: number): number {\n  return v * k * j;\n}\nfunction f(x: number[]): number {\n  return x.map(scale)[0];\n}",
    "input.ts(6,10): error ADC1013: 'scale' cannot take the arguments given here (3 parameters); pass an arrow function that calls it"],
  ["a helper taking a callback passed as a callback", "function twice(g: (v: number) => number, v: number): number {\n  return g(g(v));\n}\nfunction f(x: number[]): number {\n  return x.map(twice as any)[0];\n}",
    "input.ts(6,10): error ADC1013: 'twice' takes a callback itself; pass an arrow function that calls it"],
  ["rest parameter of a local function", "function f(x: number[]): number {\n  const g = (...vs: number[]) => vs[0];\n  return g(x[0]);\n}",
    "input.ts(3,14): error ADC1013: rest parameters are not supported in callbacks and local functions"],
  ["a callback method on an Int32Array", "function f(x: Int32Array, y: number): number {\n  return x.map((v) => v * 2)[0] * y;\n}",
    "input.ts(3,10): error ADC1015: map on an Int32Array is not supported; loop over it"],
  ["indexOf over rows", "function f(m: number[][]): number {\n  return m.indexOf(m[0]) + m[0][0];\n}",
    "input.ts(3,10): error ADC1015: indexOf compares numbers; over rows or objects use findIndex with a test"],
  ["push of a spread", "function f(x: number[]): number {\n  const a: number[] = [];\n  a.push(...x);\n  return a[0];\n}",
    "input.ts(4,10): error ADC1015: push(...values) is not supported; push in a loop"],
  ["?? on a value that is not a find result", "function f(x: number[], i: number): number {\n  return x.at(i) ?? 0;\n}",
    "input.ts(3,10): error ADC1002: adc cannot tell whether this is undefined; test the result of find where it is made (`a.find(\u2026) ?? d`, or a const holding it)"],
  ["unknown call", "declare function opaque(x: number): number;\nfunction f(x: number): number {\n  return opaque(x) * 2;\n}",
    "input.ts(4,10): error ADC1003: cannot differentiate through 'opaque': adc cannot see its body and has no derivative rule for it"],
  ["mutable module variable", "let scale = 2;\nfunction f(x: number): number {\n  return scale * x;\n}",
    "input.ts(4,10): error ADC1004: 'scale' is a module-level let; differentiated code reads module-level constants only (declare it const, or pass it as a parameter)"],
  ["write into a module constant", "const cache = [0, 0];\nfunction f(x: number): number {\n  cache[1] = x;\n  return cache[1] * x;\n}",
    "input.ts(4,3): error ADC1004: 'cache' is a module constant: differentiated code may read it but not write it; copy it first (`const local = cache.slice()`)"],
  ["write into a module constant held by an object", "const data = [1, 2];\nfunction f(x: number): number {\n  const o = { d: data };\n  o.d[0] = x;\n  return data[0] * x;\n}",
    "input.ts(5,3): error ADC1004: 'data' is a module constant: differentiated code may read it but not write it; copy it first (`const local = data.slice()`)"],
  ["write into a row of a module constant", "const table = [[0, 1], [2, 3]];\nfunction f(x: number): number {\n  for (const row of table) row[0] = x;\n  return table[0][0] * x;\n}",
    "input.ts(4,28): error ADC1004: 'table' is a module constant: differentiated code may read it but not write it; copy it first (`const local = table.map((row) => row.slice())`)"],
  ["Math.random", "function f(x: number): number {\n  return x * Math.random();\n}",
    "input.ts(3,14): error ADC1010: Math.random has no derivative (it is not a function of the inputs)"],
  ["missing return", "function f(x: number): number {\n  if (x > 0) {\n    return x;\n  }\n}",
    "input.ts(3,3): error ADC1011: this path can reach the end of the function without returning a number"],
  ["string parameter", "function f(x: number, label: string): number {\n  return x;\n}",
    "input.ts(2,23): error ADC1002: parameter 'label' has type 'string'; adc supports number, boolean, number[], Float64Array, Tensor and objects of those"],
  ["a tuple of mixed element types", "function f(x: [number, number[]]): number {\n  return x[0];\n}",
    "input.ts(2,12): error ADC1002: parameter 'x' has type '[number, number[]]'; tuples must have one element type (`[number, number]`); use an object for mixed fields"],
  ["a tuple with an optional element", "function f(x: [number, number?]): number {\n  return x[0];\n}",
    "input.ts(2,12): error ADC1002: parameter 'x' has type '[number, (number | undefined)?]'; tuples with optional or rest elements are not supported"],
  ["switch", "function f(x: number): number {\n  switch (x) {\n    default:\n      return x;\n  }\n}",
    "input.ts(3,3): error ADC1001: switch is not supported; use if/else"],
  ["assignment inside an expression", "function f(x: number): number {\n  let y = 0;\n  const z = (y = x) * 2;\n  return z + y;\n}",
    "input.ts(4,14): error ADC1001: assignment inside an expression is not supported; assign in its own statement"],
  ["bare expression statement", "function f(x: number): number {\n  x * 2;\n  return x;\n}",
    "input.ts(3,3): error ADC1001: only assignments are supported as statements (a bare expression has no effect on the result)"],
  ["number truthiness", "function f(x: number): number {\n  return x ? 1 : x;\n}",
    "input.ts(3,10): error ADC1002: conditions must be comparisons or booleans (number truthiness is not supported)"],
  ["callee not exported", "import { visible } from \"./hidden\";\nfunction f(x: number): number {\n  return visible(x);\n}",
    "hidden.ts(2,10): error ADC1012: 'hidden' is called by differentiated code but not exported from hidden.ts"],
  ["function inside a namespace", "namespace N {\n  export function g(x: number): number {\n    return x * x;\n  }\n}\nfunction f(x: number): number {\n  return N.g(x);\n}",
    "input.ts(3,19): error ADC1001: 'g' is inside a namespace or block; differentiated functions must be declared at the top level of a module"],
  ["private static method", "class K {\n  private static g(x: number): number {\n    return x * x;\n  }\n  static h(x: number): number {\n    return K.g(x);\n  }\n}\nfunction f(x: number): number {\n  return K.h(x);\n}",
    "input.ts(3,18): error ADC1012: 'K_g' is private to its class, so generated code cannot call it"],
  ["a local object called Math", "const Math = { sin: (x: number) => x };\nfunction f(x: number): number {\n  return Math.sin(x);\n}",
    "input.ts(4,10): error ADC1003: cannot differentiate through 'Math.sin': adc cannot see its body and has no derivative rule for it"],
  ["bitwise not", "function f(x: number): number {\n  return ~x;\n}",
    "input.ts(3,10): error ADC1001: bitwise operators are not supported"],
  ["debugger", "function f(x: number): number {\n  debugger;\n  return x;\n}",
    "input.ts(3,3): error ADC1001: 'debugger' statements are not supported in a differentiated function"],
  ["syntax error", "function f(x: number): number {\n  return (1 + ;\n}",
    "input.ts(3,15): error ADC1000: syntax error: Expression expected."],
];

describe("refused constructs", () => {
  test.each(cases)("%s", (_name, source, expected) => {
    expect(refusals(source)).toEqual([expected]);
  });
});

describe("instance methods that read this", () => {
  /** A class `Model` with a number field `scale`, more `members`, a method `loss` with `body`, and `marker` after it. */
  const method = (members: string, body: string, marker = "") =>
    compileSource(`import { grad, valueAndGrad, vjp } from "adc";\nexport class Model {\n  scale = 2;\n${members}  @grad\n  loss(w: number): number {\n${body}\n  }\n}\n${marker}`, file)
      .diagnostics.map((d) => formatDiagnostic(d, { cwd: path.dirname(file) }).split("\n")[0]);
  const cases: [string, string, string, string, string][] = [
    ["a field written", "", "    this.scale = w;\n    return w;", "",
      "input.ts(6,5): error ADC1008: a differentiated method cannot write its fields ('this.scale = w'); compute the new value and assign it outside, from the method's result"],
    ["an array field written into", "  cache = [0];\n", "    this.cache[0]++;\n    return w;", "",
      "input.ts(7,5): error ADC1008: a differentiated method cannot write its fields ('this.cache[0]++'); compute the new value and assign it outside, from the method's result"],
    ["an array field filled", "  cache = [0];\n", "    this.cache.fill(w);\n    return w;", "",
      "input.ts(6,3): error ADC1008: 'Model_loss' writes into an array or object field of `this` (by fill or a call that writes it); a differentiated method only reads its fields: copy it first (`this.a.slice()`) or pass it as a parameter"],
    ["this returned", "", "    return (this as any).scale * w;", "",
      "input.ts(6,13): error ADC1008: `this` may only be read as `this.field` here (it cannot be passed, returned or indexed); read its fields as `this.x` (numbers, arrays, objects), or pass what it needs as parameters"],
    ["another method called through this", "  sq(x: number): number {\n    return x * x;\n  }\n", "    return this.sq(w);", "",
      "input.ts(9,12): error ADC1008: calls of other methods through `this` ('this.sq') are not supported; make 'sq' a static method or a function and pass it the fields it reads"],
    ["a getter", "  get double(): number {\n    return this.scale * 2;\n  }\n", "    return this.double * w;", "",
      "input.ts(9,12): error ADC1008: 'this.double' is an accessor, whose body adc does not follow; read the fields it reads directly"],
    ["a #private field", "  #k = 1;\n", "    return this.#k * w;", "",
      "input.ts(7,12): error ADC1008: private field '#k' cannot be read by generated code; make it a plain field (`k`)"],
    ["a private field", "  private k = 1;\n", "    return this.k * w;", "",
      "input.ts(7,12): error ADC1008: field 'k' is private or protected, so generated code outside the class cannot read it; make it public"],
    ["a string field", "  label = \"m\";\n", "    return this.label.length * w;", "",
      "input.ts(7,12): error ADC1002: field 'this.label' has type 'string'; adc supports number, boolean, number[], Float64Array, Tensor and objects of those"],
    ["vjp of it", "", "    return this.scale * w;", "export const p = vjp(new Model().loss);\n",
      "input.ts(9,18): error ADC1008: vjp of a method that reads `this` is not supported; use grad, valueAndGrad or jvp, or make it a static method taking the fields as a parameter"],
    ["grad(grad(…)) of it", "", "    return this.scale * w * w;", "export const g = grad(grad(new Model().loss));\n",
      "input.ts(9,18): error ADC1008: grad(grad(…)) of a method that reads `this` is not supported; make it a static method taking the fields as a parameter"],
    ["grad of it through the prototype", "", "    return this.scale * w;", "export const g = grad(Model.prototype.loss);\n",
      "input.ts(9,23): error ADC1008: 'Model.prototype.loss' reads `this`, and the prototype has no fields: name an instance, as in grad(model.loss)"],
    ["wrt naming something else", "", "    return this.scale * w;", "export const g = grad(new Model().loss, { wrt: \"that\" });\n",
      "input.ts(9,41): error ADC2002: no parameter named 'that' (parameters: w; \"this\" for the fields)"],
  ];
  test.each(cases)("%s", (_name, members, body, marker, expected) => {
    expect(method(members, body, marker)).toEqual([expected]);
  });

  test("this in a static method stays refused", () => {
    expect(method("  static k = 1;\n  @grad\n  static m(x: number): number {\n    return this.k * x;\n  }\n", "    return w;")).toEqual([
      "input.ts(7,12): error ADC1008: `this` is only supported in instance methods, as `this.field`; here pass the fields it reads as parameters",
    ]);
  });
});

describe("operator misuse", () => {
  test("grad of something that is not a function declaration", () => {
    const r = compileSource(`import { grad } from "adc";\nconst h = (x: number) => x;\nexport const dh = grad(h);\n`, file);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([[2001, 3, 24]]);
  });

  test("wrt naming a parameter that does not exist", () => {
    const r = compileSource(`import { grad } from "adc";\nfunction f(x: number): number { return x; }\nexport const df = grad(f, { wrt: ["y"] });\n`, file);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      [2002, "no parameter named 'y' (parameters: x)", 3, 27],
    ]);
  });

  test("wrt that is not a literal", () => {
    const r = compileSource(`import { grad } from "adc";\nfunction f(x: number): number { return x; }\nconst w = 0;\nexport const df = grad(f, { wrt: w });\n`, file);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([[2002, "wrt entries must be literal parameter names or indices"]]);
  });
});

describe("forward mode, higher order and custom derivatives", () => {
  /** The diagnostics of a module, as [code, message, line, column]. */
  const diagnosticsOf = (source: string) =>
    compileSource(source, file).diagnostics.map((d) => [d.code, d.message, d.line, d.column]);
  const pair = "function p(x: number, y: number): [number, number] {\n  return [x * y, x + y];\n}\n";

  test("grad of a function returning a tuple", () => {
    expect(diagnosticsOf(`import { grad } from "adc";\n${pair}export const d = grad(p);\n`)).toEqual([
      [2003, "grad needs a function returning a number; 'p' returns [number, number] (use jacobian, jvp or vjp)", 5, 18],
    ]);
  });

  test("hessian of a function returning a tuple", () => {
    expect(diagnosticsOf(`import { hessian } from "adc";\n${pair}export const d = hessian(p);\n`)).toEqual([
      [2003, "hessian needs a function returning a number; 'p' returns [number, number] (use jacobian, jvp or vjp)", 5, 18],
    ]);
  });

  test("a tuple used as a number", () => {
    const source = `import { grad } from "adc";\n${pair}function f(x: number): number {\n  return (p(x, 1) as any) * 2;\n}\nexport const d = grad(f);\n`;
    expect(diagnosticsOf(source)).toEqual([[1002, "expected a number here", 6, 10]]);
  });

  test("the value of a call of a function returning nothing", () => {
    const source = `import { grad } from "adc";\nfunction g(x: number): void {\n  if (x > 0) return;\n}\nfunction f(x: number): number {\n  const y = g(x) as any;\n  return x * y;\n}\nexport const d = grad(f);\n`;
    expect(diagnosticsOf(source)).toEqual([[1002, "'g' returns nothing; call it as a statement", 6, 13]]);
  });

  test("grad of a function returning an array", () => {
    const source = `import { grad } from "adc";\nfunction v(x: number): number[] {\n  return [x, x * x];\n}\nexport const d = grad(v);\n`;
    expect(diagnosticsOf(source)).toEqual([[2003, "grad needs a function returning a number; 'v' returns number[] (use jacobian, jvp or vjp)", 5, 18]]);
  });

  test("a function returning its parameter", () => {
    const source = `import { jvp } from "adc";\nfunction v(x: number[]): number[] {\n  x[0] = 2 * x[0];\n  return x;\n}\nexport const d = jvp(v);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [1014, "the result shares memory with parameter 'x'; return new memory (a literal, or a copy: `x.slice()`, `new Float64Array(x)`)", 4, 10],
    ]);
  });

  test("an array returned from inside a loop", () => {
    const source = `import { jvp } from "adc";\nfunction v(x: number): number[] {\n  for (let i = 0; i < 3; i++) {\n    if (x > i) return [x, i];\n  }\n  return [0, 0];\n}\nexport const d = jvp(v);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [1001, "an array or object cannot be returned from inside a loop; break out of the loop and return it after", 4, 16],
    ]);
  });

  test("a Tensor returned from inside a loop", () => {
    const source = `import { grad, sum, tanh, Tensor } from "adc";\nfunction settle(x: Tensor): Tensor {\n  for (let i = 0; i < 3; i++) {\n    if (sum(x).item() > i) return tanh(x);\n  }\n  return x;\n}\nfunction f(x: Tensor): number {\n  return sum(settle(x)).item();\n}\nexport const d = grad(f);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [1001, "a Tensor cannot be returned from inside a loop; break out of the loop and return it after", 4, 28],
    ]);
  });

  test("grad of a function returning a Tensor", () => {
    const source = `import { grad, tanh, Tensor } from "adc";\nfunction layer(x: Tensor): Tensor {\n  return tanh(x);\n}\nexport const d = grad(layer);\n`;
    expect(diagnosticsOf(source)).toEqual([[2003, "grad needs a function returning a number; 'layer' returns Tensor (use jvp or vjp)", 5, 18]]);
  });

  test("jacobian of a function of Tensors", () => {
    const source = `import { jacobian, sum, tanh, Tensor } from "adc";\nfunction f(x: Tensor): number {\n  return sum(tanh(x)).item();\n}\nexport const d = jacobian(f);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [1002, "jacobian of a function of Tensors is not supported; 'f' takes or returns a Tensor (use vjp for one pullback per output, or jvp for one tangent per input direction)", 5, 18],
    ]);
  });

  test("a boolean passed to a helper", () => {
    const source = `import { grad } from "adc";\nfunction pick(c: boolean, x: number): number {\n  return c ? x : 0;\n}\nfunction f(x: number): number {\n  return pick(x > 0, x);\n}\nexport const d = grad(f);\n`;
    expect(diagnosticsOf(source)).toEqual([[1002, "expected a number, a Tensor, an array or an object here", 6, 15]]);
  });

  test("grad(grad(f)) of a function of two parameters", () => {
    const source = `import { grad } from "adc";\nfunction f(x: number, y: number): number {\n  return x * y;\n}\nexport const d = grad(grad(f));\n`;
    expect(diagnosticsOf(source)).toEqual([[2004, "grad(grad(f)) needs a function of one parameter ('f' has 2); use hessian(f)", 5, 18]]);
  });

  test("a second derivative through a function whose derivative is defined", () => {
    const source = `import { defineDerivative, hessian } from "adc";\nfunction g(x: number): number {\n  return x * x;\n}\nfunction gReverse(x: number, s: number): number {\n  return 2 * x * s;\n}\ndefineDerivative(g, { reverse: gReverse });\nfunction f(x: number, y: number): number {\n  return g(x) * y;\n}\nexport const d = hessian(f);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [2004, "second derivatives through 'g', whose derivative is defined by defineDerivative, are not supported yet", 12, 18],
    ]);
  });

  test("jacobian with a mode that is not a literal forward or reverse", () => {
    const source = `import { jacobian } from "adc";\n${pair}export const d = jacobian(p, { mode: "both" as any });\n`;
    expect(diagnosticsOf(source)).toEqual([[2002, 'jacobian\'s only option is mode: "forward" or "reverse", as a literal', 5, 30]]);
  });

  test("jvp with options", () => {
    const source = `import { jvp } from "adc";\n${pair}export const d = jvp(p, { wrt: 0 });\n`;
    expect(diagnosticsOf(source)).toEqual([
      [2002, "jvp's only option is directions: a literal integer from 1 to 64 (its tangents cover every parameter)", 5, 25],
    ]);
  });

  const rules = "function g(x: number): number {\n  return x * x;\n}\n";
  const uses = "function f(x: number): number {\n  return g(x) + 1;\n}\nexport const d = grad(f);\n";

  test("defineDerivative with an arrow function as its rule", () => {
    const source = `import { defineDerivative, grad } from "adc";\n${rules}defineDerivative(g, { reverse: (x: number, s: number) => 2 * x * s });\n${uses}`;
    expect(diagnosticsOf(source)).toEqual([
      [2005, "the reverse rule must name a function declaration (not an arrow function or expression)", 5, 1],
    ]);
  });

  test("defineDerivative with a rule of the wrong arity", () => {
    const source = `import { defineDerivative, grad } from "adc";\n${rules}function gForward(x: number): [number, number] {\n  return [x * x, 2 * x];\n}\ndefineDerivative(g, { forward: gForward });\n${uses}`;
    expect(diagnosticsOf(source)).toEqual([
      [2005, "the forward rule of 'g' must take 2 number parameters (1 primals and 1 tangents)", 8, 1],
    ]);
  });

  test("marking a function whose derivative is defined", () => {
    const source = `import { defineDerivative, grad } from "adc";\n${rules}function gReverse(x: number, s: number): number {\n  return 2 * x * s;\n}\ndefineDerivative(g, { reverse: gReverse });\nexport const d = grad(g);\n`;
    expect(diagnosticsOf(source)).toEqual([
      [2005, "'g' has a derivative defined by defineDerivative; differentiate the functions that call it", 2, 10],
    ]);
  });
});

describe("decorators", () => {
  test("@grad on an instance method that reads this compiles, registering a derivative that takes the instance", () => {
    const r = compileSource(`import { grad } from "adc";\nexport class Model {\n  scale = 2;\n  @grad loss(w: number): number { return this.scale * w * w; }\n}\n`, file);
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toContain('registerDerivatives(Model.prototype.loss, { params: ["w"], valueAndGrad: Model_loss_valueAndGrad, receiver: true });');
  });

  test("@grad on a method of an anonymous class", () => {
    const r = compileSource(`import { grad } from "adc";\nexport default class {\n  @grad static loss(w: number): number { return w * w; }\n}\n`, file);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.line])).toEqual([[2001, "methods of anonymous classes cannot be differentiated; name the class", 3]]);
  });

  test("@grad twice, and an operator that is not a decorator", () => {
    const r = compileSource(
      `import { grad, valueAndGrad } from "adc";\nexport class M {\n  @grad @grad static a(w: number): number { return w; }\n  @valueAndGrad static b(w: number): number { return w; }\n}\n`,
      file,
    );
    expect(r.diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      [2002, "@grad is given twice", 3, 9],
      [2001, "@valueAndGrad is not a decorator; mark the method with @grad", 4, 3],
    ]);
  });

  test("@grad on a class, a getter, a property and a parameter", () => {
    const r = compileSource(
      `import { grad } from "adc";\n@grad\nexport class M {\n  @grad static get k(): number { return 2; }\n  @grad static w = 2;\n  static f(x: number): number { return x; }\n}\n`,
      file,
    );
    expect(r.diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      [2001, "@grad marks a method, not a class; put it on the method to differentiate", 2, 1],
      [2001, "@grad marks a method, not a getter; put it on the method to differentiate", 4, 3],
      [2001, "@grad marks a method, not a property; put it on the method to differentiate", 5, 3],
    ]);
  });
});

describe("recursion without a base case", () => {
  test("a function calling itself on every path, directly or through another, is refused at its name", () => {
    const r = compileSource(
      `import { grad } from "adc";\nfunction h(x: number): number {\n  return x > 0 ? f(x) : f(-x);\n}\nexport function f(x: number): number {\n  return h(x * 0.5) * x;\n}\nexport const g = grad(f);\n`,
      file,
    );
    expect(r.diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      [1016, "'f' calls itself on every path (through 'h'), so it never returns; give it a base case (an if that returns without the call)", 5, 17],
      [1016, "'h' calls itself on every path (through 'f'), so it never returns; give it a base case (an if that returns without the call)", 2, 10],
    ]);
  });

  test("recursion with a base case (an if, a ternary, a loop that may not run) compiles", () => {
    const r = compileSource(
      `import { grad } from "adc";\nexport function f(x: number, n: number): number {\n  if (n <= 0) return x;\n  return f(x * 0.5, n - 1) * 2;\n}\nexport function t(x: number, n: number): number {\n  return n <= 0 ? x : t(x, n - 1) * x;\n}\nexport function w(x: number, n: number): number {\n  let s = x;\n  while (n > 0) { s = w(s, 0); n--; }\n  return s;\n}\nexport const g = [grad(f), grad(t), grad(w)];\n`,
      file,
    );
    expect(r.diagnostics).toEqual([]);
  });
});

describe("formatting", () => {
  test("a diagnostic prints as tsc does, with a code frame under it", () => {
    const r = compileSource(`import { grad } from "adc";\nfunction f(x: number): number {\n  return x * Math.random();\n}\nexport const df = grad(f);\n`, file);
    expect(formatDiagnostic(r.diagnostics[0], { cwd: path.dirname(file) })).toBe(
      [
        "input.ts(3,14): error ADC1010: Math.random has no derivative (it is not a function of the inputs)",
        "  2 | function f(x: number): number {",
        "> 3 |   return x * Math.random();",
        "    |              ^^^^^^^^^^^^^",
        "  4 | }",
        "",
      ].join("\n"),
    );
  });
});
