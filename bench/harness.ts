// A small timing harness. Each benchmark body is `(i) => number`: `i` is the call index (bodies use
// it to pick slightly different inputs per call) and the number returned is summed into a sink that
// is printed at the end, so no result is dead code.
//
// Each benchmark gets its own freshly compiled driver loop (`new Function`), so the call site
// `body(i)` in the loop only ever sees one body: V8 can inline it, and no benchmark pays for the
// call sites of the others (a shared loop would go megamorphic after the first few benchmarks).
//
// Between batches the harness yields to the event loop. Besides being how real code runs, this
// matters for libraries that use WeakRefs (jax-js does): V8 keeps every WeakRef target created in
// the current job alive until the job ends, so a long synchronous loop would hold all of them and
// look like a leak (and slow down as the heap grows).

export type Body = (i: number) => number;

export interface Measurement {
  /** Median over batches of the wall-clock time per call, in nanoseconds. */
  readonly ns: number;
  /** The 25th and 75th percentiles of the per-batch wall-clock times, in nanoseconds. */
  readonly q1: number;
  readonly q3: number;
  /**
   * Median over batches of the process CPU time (user + system) per call, in nanoseconds. On a
   * quiet machine it equals the wall time for single-threaded code; on a shared one it leaves out
   * the time the process waited for a core, so it is the steadier number.
   */
  readonly cpu: number;
  readonly cpuQ1: number;
  readonly cpuQ3: number;
  readonly batches: number;
  readonly calls: number;
}

export interface MeasureOptions {
  /** Warm-up time before timing, in seconds. */
  readonly warmup?: number;
  /** Total timed time, in seconds (the batches repeat until it is reached). */
  readonly time?: number;
  /** Target duration of one batch, in seconds. */
  readonly batch?: number;
  /** Minimum number of batches. */
  readonly minBatches?: number;
}

/** Target batch length in seconds: short, so that most batches run without being descheduled. */
const BATCH = Number(process.env.ADC_BENCH_BATCH ?? 0.002);

let sink = 0;
/** The sum of every benchmark result, to print so the work is observable. */
export function sinkValue(): number {
  return sink;
}

type Driver = (body: Body, n: number, start: number) => number;

let drivers = 0;
function makeDriver(): Driver {
  // A new Function per benchmark: its own feedback, so `body` stays monomorphic in it. The source
  // must differ each time: V8 caches `new Function` by source text, and functions from one cache
  // entry share their feedback (the call site would see every body again).
  return new Function(
    "body",
    "n",
    "start",
    `// driver ${++drivers}\nlet s = 0;\nfor (let i = 0; i < n; i++) s += body(start + i);\nreturn s;`,
  ) as Driver;
}

const now = (): number => performance.now() / 1e3;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A benchmark in progress: warmed up and calibrated, ready to run batches (possibly interleaved). */
export class Bench {
  private readonly driver = makeDriver();
  private next = 0;
  private perBatch = 1;
  readonly samples: number[] = [];
  /** Per-batch process CPU time per call (ns): unlike wall time, it excludes time spent descheduled. */
  readonly cpuSamples: number[] = [];
  private calls = 0;

  constructor(
    readonly name: string,
    private readonly body: Body,
  ) {}

  /** Runs the body for `seconds` to warm it up, then sizes batches to about `batchSeconds`. */
  async warm(seconds: number, batchSeconds: number): Promise<void> {
    let n = 1;
    const start = now();
    let elapsed = 0;
    let perCall = Infinity;
    for (let rounds = 0; elapsed < seconds || rounds < 2; rounds++) {
      const t0 = now();
      sink += this.driver(this.body, n, this.next);
      const dt = now() - t0;
      this.next += n;
      perCall = Math.min(perCall, dt / n);
      elapsed = now() - start;
      if (dt < batchSeconds / 4) n *= 2;
      await yieldToEventLoop();
    }
    this.perBatch = Math.max(1, Math.round(batchSeconds / Math.max(perCall, 1e-10)));
  }

  /** Runs timed batches for about `seconds` (at least `minBatches`). */
  async run(seconds: number, minBatches = 1): Promise<void> {
    const start = now();
    let k = 0;
    while (now() - start < seconds || k < minBatches) {
      await yieldToEventLoop();
      const n = this.perBatch;
      const c0 = process.cpuUsage();
      const t0 = now();
      sink += this.driver(this.body, n, this.next);
      const dt = now() - t0;
      const c1 = process.cpuUsage(c0);
      this.cpuSamples.push(((c1.user + c1.system) * 1e3) / n);
      this.next += n;
      this.calls += n;
      this.samples.push((dt * 1e9) / n);
      k++;
    }
  }

  result(): Measurement {
    const wall = quantiles(this.samples);
    const cpu = quantiles(this.cpuSamples);
    return { ns: wall.q2, q1: wall.q1, q3: wall.q3, cpu: cpu.q2, cpuQ1: cpu.q1, cpuQ3: cpu.q3, batches: this.samples.length, calls: this.calls };
  }
}

function quantiles(samples: readonly number[]): { q1: number; q2: number; q3: number } {
  const xs = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = (xs.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
  };
  return { q1: at(0.25), q2: at(0.5), q3: at(0.75) };
}

/** Measures one body: warm-up, then batches until `time` seconds have been timed. */
export async function measure(name: string, body: Body, options: MeasureOptions = {}): Promise<Measurement> {
  const { warmup = 0.1, time = 0.3, batch = BATCH, minBatches = 5 } = options;
  const b = new Bench(name, body);
  await b.warm(warmup, batch);
  await b.run(time, minBatches);
  return b.result();
}

/**
 * Measures several bodies interleaved batch by batch (round-robin), so that every state the shared
 * machine goes through (frequency, other processes on the cores) hits them all alike. Use it for
 * the bodies whose ratio matters (adc against hand-written). `time` is per body.
 */
export async function measureInterleaved(
  bodies: readonly { name: string; body: Body }[],
  options: MeasureOptions = {},
): Promise<Measurement[]> {
  const { warmup = 0.1, time = 0.3, batch = BATCH, minBatches = 5 } = options;
  const benches = bodies.map(({ name, body }) => new Bench(name, body));
  for (const b of benches) await b.warm(warmup, batch);
  const start = now();
  for (let k = 0; now() - start < time * benches.length || k < minBatches; k++) {
    for (const b of benches) await b.run(0, 1);
  }
  return benches.map((b) => b.result());
}
