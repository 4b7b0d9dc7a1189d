// The user-style workloads (bench/workloads/gmm-user.ts, lstm-user.ts): they compute the same
// objectives as the tuned versions, and adc's gradients of them (bench/workloads/marked-user.ts)
// equal the hand-written gradients of the tuned versions (which test/workloads.test.ts checks
// against central differences), relative error ≤ 1e-8.
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { gradientDisagreement } from "../bench/workloads/bench";
import { gmmInput, lstmInput } from "../bench/workloads/data";
import { gmmObjective } from "../bench/workloads/gmm";
import { gmmGradient } from "../bench/workloads/gmm-grad";
import { gmmObjectiveUser } from "../bench/workloads/gmm-user";
import { lstmObjective } from "../bench/workloads/lstm";
import { lstmGradient } from "../bench/workloads/lstm-grad";
import { lstmObjectiveUser } from "../bench/workloads/lstm-user";
import { gmmUserArgs, lstmUserArgs } from "../bench/workloads/user";
import { tape } from "../runtime";
import { loadCompiled } from "./support/load";

const generated = loadCompiled(path.resolve(__dirname, "../bench/workloads/marked-user.ts"));
const flat = (rows: (number | number[])[]) => Float64Array.from(rows.flat());
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe("GMM, user style", () => {
  test.each([
    [1, 2, 4, 1, 0],
    [2, 3, 5, 1, 0],
    [3, 2, 4, 0.7, 2],
    [6, 4, 12, 1.3, 1],
  ])("d=%i k=%i n=%i γ=%f m=%i: same objective, and adc's gradient equals the hand-written one", (d, k, n, gamma, m) => {
    const p = gmmInput(d, k, n, 11, gamma, m);
    const flatArgs = [p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, p.d, p.k, p.n] as const;
    const args = gmmUserArgs(p);
    expect(relative(gmmObjectiveUser(...args), gmmObjective(...flatArgs))).toBeLessThanOrEqual(1e-12);
    const [alpha, means, q, l] = generated.gmmUserGradient(...args);
    const hand = gmmGradient(...flatArgs);
    expect(gradientDisagreement({ alpha: flat(alpha), means: flat(means), q: flat(q), l: flat(l) }, hand)).toBeLessThanOrEqual(1e-8);
    expect(Array.isArray(means[0])).toBe(true);
    expect(tape.size).toBe(0);
  });
});

describe("LSTM, user style", () => {
  test.each([
    [1, 4],
    [2, 5],
    [3, 9],
  ])("l=%i c=%i: same objective, and adc's gradient equals the hand-written one", (l, c) => {
    const p = lstmInput(l, c, 14, 5);
    const flatArgs = [p.main, p.extra, p.state, p.sequence, p.l, p.c, p.b] as const;
    const args = lstmUserArgs(p);
    expect(relative(lstmObjectiveUser(...args), lstmObjective(...flatArgs))).toBeLessThanOrEqual(1e-12);
    const [main, extra] = generated.lstmUserGradient(...args);
    expect(gradientDisagreement({ main: flat(main), extra: flat(extra) }, lstmGradient(...flatArgs))).toBeLessThanOrEqual(1e-8);
    expect(tape.size).toBe(0);
  });
});
