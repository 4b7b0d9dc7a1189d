// Each optimisation pass on small IR: what it removes, and that the function still computes the
// same thing (checked by the reference interpreter).
import { describe, expect, test } from "vitest";
import { Builder } from "../compiler/ir/builder";
import type { Func, Region } from "../compiler/ir/types";
import { bool, f64 } from "../compiler/ir/types";
import { walkOps } from "../compiler/ir/walk";
import { cse } from "../compiler/opt/cse";
import { dce } from "../compiler/opt/dce";
import { fold } from "../compiler/opt/fold";
import { fuseIfs } from "../compiler/opt/fuse-ifs";
import { sink } from "../compiler/opt/sink";
import { interpret } from "../compiler/ir/interpret";

function build(make: (b: Builder, x: ReturnType<Builder["value"]>, y: ReturnType<Builder["value"]>) => void): Func {
  const b = new Builder();
  const x = b.value(f64, "x");
  const y = b.value(f64, "y");
  make(b, x, y);
  return { name: "f", params: [{ value: x, name: "x" }, { value: y, name: "y" }], body: b.region };
}

const prims = (r: Region) => {
  const out: string[] = [];
  walkOps(r, (op) => out.push(op.prim));
  return out;
};

const same = (before: Func, after: Func) => {
  for (const args of [[0.3, 1.7], [-2, 0.5], [4, -1]]) expect(interpret(after, args)).toEqual(interpret(before, args));
};

const clone = (f: Func): Func => structuredClone(f);

describe("fold", () => {
  test("exact identities and constant expressions", () => {
    const f = build((b, x, y) => {
      const one = b.const(1);
      const zero = b.const(0);
      const t = b.mul(b.add(x, zero), one); // (x + 0) · 1 → x
      const c = b.mul(b.const(2), b.const(3)); // 6
      b.region.yields.push(b.add(t, b.mul(c, y)));
    });
    const before = clone(f);
    fold(f.body, new Builder());
    dce(f.body);
    same(before, f);
    expect(prims(f.body).filter((p) => p !== "const")).toEqual(["mul", "add"]);
  });

  test("0 · x is kept: it is NaN when x is infinite", () => {
    const f = build((b, x) => b.region.yields.push(b.mul(b.const(0), x)));
    fold(f.body, new Builder());
    expect(prims(f.body)).toContain("mul");
    expect(interpret(f, [Infinity, 0])[0]).toBeNaN();
  });

  test("an if on a constant condition is replaced by its branch", () => {
    const f = build((b, x, y) => {
      const c = b.bool(true);
      const t = b.inRegion(() => b.mul(x, y));
      t.region.yields = [t.result];
      const e = b.inRegion(() => b.div(x, y));
      e.region.yields = [e.result];
      b.region.yields.push(b.emit("if", [c], [f64], {}, [t.region, e.region]).results[0]);
    });
    const before = clone(f);
    fold(f.body, new Builder());
    dce(f.body);
    same(before, f);
    expect(prims(f.body)).toEqual(["mul"]);
  });
});

describe("cse", () => {
  test("an op identical to a dominating one reuses it, also inside branches", () => {
    const f = build((b, x, y) => {
      const s1 = b.call("sin", x);
      const cond = b.op("lt", [x, y], bool);
      const t = b.inRegion(() => b.mul(b.call("sin", x), y));
      t.region.yields = [t.result];
      const e = b.inRegion(() => b.call("sin", x));
      e.region.yields = [e.result];
      const r = b.emit("if", [cond], [f64], {}, [t.region, e.region]).results[0];
      b.region.yields.push(b.add(r, s1));
    });
    const before = clone(f);
    cse(f.body);
    dce(f.body);
    same(before, f);
    expect(prims(f.body).filter((p) => p === "sin")).toHaveLength(1);
  });
});

describe("dce", () => {
  test("unused ops go, and unused if results go from both branches", () => {
    const f = build((b, x, y) => {
      b.call("exp", x); // unused
      const cond = b.op("gt", [x, b.const(0)], bool);
      const t = b.inRegion(() => [b.mul(x, y), b.call("cos", y)]);
      t.region.yields = t.result;
      const e = b.inRegion(() => [b.sub(x, y), b.call("tanh", y)]);
      e.region.yields = e.result;
      const [keep] = b.emit("if", [cond], [f64, f64], {}, [t.region, e.region]).results;
      b.region.yields.push(keep);
    });
    const before = clone(f);
    dce(f.body);
    same(before, f);
    expect(prims(f.body).sort()).toEqual(["const", "gt", "if", "mul", "sub"]);
  });
});

describe("sink", () => {
  test("a value one branch uses moves into it, with what only it uses; shared values stay", () => {
    const f = build((b, x, y) => {
      const d = b.sub(x, y); // used only by l: follows it into the branch
      const l = b.call("log", d);
      const s = b.mul(x, x); // used by both branches: stays
      const cond = b.op("gt", [x, y], bool);
      const t = b.inRegion(() => b.mul(l, s));
      t.region.yields = [t.result];
      const e = b.inRegion(() => b.add(s, y));
      e.region.yields = [e.result];
      b.region.yields.push(b.emit("if", [cond], [f64], {}, [t.region, e.region]).results[0]);
    });
    const before = clone(f);
    sink(f.body);
    same(before, f);
    expect(f.body.ops.map((op) => op.prim)).toEqual(["mul", "gt", "if"]);
    expect(f.body.ops[2].regions[0].ops.map((op) => op.prim)).toEqual(["sub", "log", "mul"]);
  });

  test("nothing moves into a loop, and nothing used by a condition moves", () => {
    const f = build((b, x, y) => {
      const l = b.call("log", x);
      const cond = b.op("gt", [l, y], bool);
      const t = b.inRegion(() => b.mul(l, y));
      t.region.yields = [t.result];
      const e = b.inRegion(() => b.add(x, y));
      e.region.yields = [e.result];
      b.region.yields.push(b.emit("if", [cond], [f64], {}, [t.region, e.region]).results[0]);
    });
    sink(f.body);
    expect(f.body.ops.map((op) => op.prim)).toEqual(["log", "gt", "if"]);
  });
});

describe("fuseIfs", () => {
  test("two ifs in a row on one condition become one, the second reading the first's branch values", () => {
    const f = build((b, x, y) => {
      const cond = b.op("lt", [x, y], bool);
      const t1 = b.inRegion(() => b.mul(x, y));
      t1.region.yields = [t1.result];
      const e1 = b.inRegion(() => b.div(x, y));
      e1.region.yields = [e1.result];
      const first = b.emit("if", [cond], [f64], {}, [t1.region, e1.region]).results[0];
      const t2 = b.inRegion(() => b.add(first, x));
      t2.region.yields = [t2.result];
      const e2 = b.inRegion(() => b.sub(first, y));
      e2.region.yields = [e2.result];
      b.region.yields.push(b.emit("if", [cond], [f64], {}, [t2.region, e2.region]).results[0]);
    });
    const before = clone(f);
    fuseIfs(f.body);
    dce(f.body);
    same(before, f);
    expect(f.body.ops.map((op) => op.prim)).toEqual(["lt", "if"]);
    expect(f.body.ops[1].results).toHaveLength(1); // the first if's result is no longer needed outside
  });
});
