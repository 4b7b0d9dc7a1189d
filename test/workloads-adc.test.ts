// adc's generated gradients of the GMM and LSTM workloads (bench/workloads/marked.ts) against the
// hand-written ones (relative error ≤ 1e-8, the bar) at small and medium sizes, and the
// tape left empty after every call.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { gradientDisagreement } from "../bench/workloads/bench";
import { gmmInput, lstmInput } from "../bench/workloads/data";
import { gmmGradient } from "../bench/workloads/gmm-grad";
import { lstmGradient } from "../bench/workloads/lstm-grad";
import { tape } from "../runtime";
import { loadCompiled } from "./support/load";

const generated = loadCompiled(path.resolve(__dirname, "../bench/workloads/marked.ts"));

describe("GMM", () => {
  test.each([
    [2, 3, 5],
    [3, 2, 4],
    [5, 4, 20],
    [10, 3, 30],
  ])("d=%i k=%i n=%i: adc's gradient equals the hand-written one", (d, k, n) => {
    const p = gmmInput(d, k, n, 7);
    const args = [p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, p.d, p.k, p.n] as const;
    const [alpha, means, q, l] = generated.gmmGradient(...args);
    const hand = gmmGradient(...args);
    expect(gradientDisagreement({ alpha, means, q, l }, hand)).toBeLessThanOrEqual(1e-8);
    expect(alpha).toBeInstanceOf(Float64Array);
    expect(tape.size).toBe(0);
  });
});

describe("LSTM", () => {
  test.each([
    [1, 4],
    [2, 5],
    [2, 20],
  ])("l=%i c=%i: adc's gradient equals the hand-written one", (l, c) => {
    const p = lstmInput(l, c, 14, 3);
    const args = [p.main, p.extra, p.state, p.sequence, p.l, p.c, p.b] as const;
    const [main, extra] = generated.lstmGradient(...args);
    expect(gradientDisagreement({ main, extra }, lstmGradient(...args))).toBeLessThanOrEqual(1e-8);
    expect(tape.size).toBe(0);
  });
});
