// The user-style workloads (gmm-user.ts, lstm-user.ts): adc's gradient of code written with nested
// arrays, helpers and per-iteration scratch arrays, against the hand-written gradient of the tuned
// flat versions, on the same numbers, interleaved in one run. Target (issue 10): within 1.5× of
// the hand-written gradient. A benchmark, not a test: it stops on a wrong gradient (relative error
// above 1e-8 against the hand-written one), never on a slow one.
//
//   npx tsx bench/workloads/user.ts        # alone (ADC_BENCH_ONLY=GMM, LSTM or a size picks rows)
import * as path from "node:path";
import { compileMarked } from "./adc";
import { measureInterleaved, sinkValue } from "../harness";
import { gradientDisagreement } from "./bench";
import { GMM_SIZES, LSTM_SIZES, gmmInput, lstmInput, type GmmInput, type LstmInput } from "./data";
import { gmmObjective } from "./gmm";
import { gmmGradient } from "./gmm-grad";
import { lstmObjective } from "./lstm";
import { lstmGradient } from "./lstm-grad";
import { gmmObjectiveUser } from "./gmm-user";
import { lstmObjectiveUser } from "./lstm-user";

type Nested = number[][];
type GmmUserGrad = (alpha: number[], means: Nested, q: Nested, l: Nested, x: Nested, gamma: number, m: number) => [number[], Nested, Nested, Nested];
type LstmUserGrad = (main: Nested, extra: Nested, state: Nested, sequence: Nested) => [Nested, Nested];

export const USER_TARGET = 1.5;
const TOLERANCE = 1e-8;

/** Rows of `width` numbers from a flat array. */
export function rows(flat: Float64Array, width: number): Nested {
  const out: Nested = [];
  for (let i = 0; i < flat.length; i += width) out.push(Array.from(flat.subarray(i, i + width)));
  return out;
}

const flat = (rs: Nested | number[]): Float64Array => Float64Array.from((rs as (number | number[])[]).flat());

export function gmmUserArgs(p: GmmInput) {
  const lsz = (p.d * (p.d - 1)) / 2;
  return [Array.from(p.alpha), rows(p.means, p.d), rows(p.q, p.d), lsz > 0 ? rows(p.l, lsz) : Array.from({ length: p.k }, (): number[] => []), rows(p.x, p.d), p.gamma, p.m] as const;
}

export function lstmUserArgs(p: LstmInput) {
  return [rows(p.main, 4 * p.b), rows(p.extra, p.b), rows(p.state, p.b), rows(p.sequence, p.b)] as const;
}

export interface UserRow {
  readonly workload: "GMM" | "LSTM";
  readonly size: string;
  readonly objective: number;
  readonly userObjective: number;
  readonly hand: number;
  readonly adc: number;
  readonly error: number;
}

/** Compiles marked-user.ts with adc and loads its gradients. */
export async function loadUserGradients(): Promise<{ gmm: GmmUserGrad; lstm: LstmUserGrad }> {
  const m = await compileMarked<{ gmmUserGradient: GmmUserGrad; lstmUserGradient: LstmUserGrad }>(path.join(__dirname, "marked-user.ts"));
  return { gmm: m.gmmUserGradient, lstm: m.lstmUserGradient };
}

function check(what: string, error: number): void {
  if (!(error <= TOLERANCE)) throw new Error(`adc's gradient of the user-style ${what} disagrees with the hand-written one: ${error.toExponential(2)}`);
}

export async function benchUserWorkloads(adc: { gmm: GmmUserGrad; lstm: LstmUserGrad }, seconds = Number(process.env.ADC_BENCH_TIME ?? 0.6)): Promise<UserRow[]> {
  const only = process.env.ADC_BENCH_ONLY;
  const picked = (workload: string, size: string) => !only || workload === only || size.startsWith(only);
  const out: UserRow[] = [];
  for (const { d, k, n } of GMM_SIZES) {
    const size = `d=${d} k=${k} n=${n}`;
    if (!picked("GMM", size)) continue;
    const p = gmmInput(d, k, n);
    const args = gmmUserArgs(p);
    const hand = gmmGradient(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, d, k, n);
    const [ga, gm, gq, gl] = adc.gmm(...args);
    const error = gradientDisagreement({ alpha: flat(ga), means: flat(gm), q: flat(gq), l: flat(gl) }, { ...hand });
    check(`GMM (${size})`, error);
    const t = await measureInterleaved(
      [
        { name: "objective", body: () => gmmObjective(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, d, k, n) },
        { name: "user objective", body: () => gmmObjectiveUser(...args) },
        { name: "hand-written", body: () => gmmGradient(p.alpha, p.means, p.q, p.l, p.x, p.gamma, p.m, d, k, n).alpha[0]! },
        { name: "adc (user)", body: () => adc.gmm(...args)[0][0]! },
      ],
      { time: seconds },
    );
    out.push({ workload: "GMM", size, objective: t[0]!.cpu, userObjective: t[1]!.cpu, hand: t[2]!.cpu, adc: t[3]!.cpu, error });
  }
  for (const { l, c } of LSTM_SIZES) {
    const size = `l=${l} c=${c}`;
    if (!picked("LSTM", size)) continue;
    const p = lstmInput(l, c);
    const args = lstmUserArgs(p);
    const hand = lstmGradient(p.main, p.extra, p.state, p.sequence, l, c, p.b);
    const [gm, ge] = adc.lstm(...args);
    const error = gradientDisagreement({ main: flat(gm), extra: flat(ge) }, { ...hand });
    check(`LSTM (${size})`, error);
    const t = await measureInterleaved(
      [
        { name: "objective", body: () => lstmObjective(p.main, p.extra, p.state, p.sequence, l, c, p.b) },
        { name: "user objective", body: () => lstmObjectiveUser(...args) },
        { name: "hand-written", body: () => lstmGradient(p.main, p.extra, p.state, p.sequence, l, c, p.b).main[0]! },
        { name: "adc (user)", body: () => adc.lstm(...args)[0][0]![0]! },
      ],
      { time: seconds },
    );
    out.push({ workload: "LSTM", size, objective: t[0]!.cpu, userObjective: t[1]!.cpu, hand: t[2]!.cpu, adc: t[3]!.cpu, error });
  }
  return out;
}

export function userTable(results: readonly UserRow[]): string {
  const ms = (ns: number) => (ns / 1e6).toPrecision(3);
  const lines = [
    "| workload | size | tuned objective (ms) | user-style objective (ms) | hand-written ∇ of tuned (ms) | adc ∇ of user-style (ms) | adc (user) ÷ hand-written | target ≤ 1.5 | user objective ÷ tuned | adc ∇ ÷ user objective | max rel. error |",
    "|:---|:---|---:|---:|---:|---:|---:|:---|---:|---:|---:|",
  ];
  for (const r of results) {
    const ratio = r.adc / r.hand;
    lines.push(`| ${r.workload} | ${r.size} | ${ms(r.objective)} | ${ms(r.userObjective)} | ${ms(r.hand)} | ${ms(r.adc)} | ${ratio.toFixed(2)} | ${ratio <= USER_TARGET ? "met ✓" : "missed ✗"} | ${(r.userObjective / r.objective).toFixed(2)} | ${(r.adc / r.userObjective).toFixed(2)} | ${r.error.toExponential(1)} |`);
  }
  return lines.join("\n");
}

if (typeof require !== "undefined" && require.main === module) {
  loadUserGradients()
    .then((adc) => benchUserWorkloads(adc))
    .then((rows) => {
      console.log(userTable(rows));
      console.log(`\n(sink ${sinkValue().toPrecision(3)})`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
