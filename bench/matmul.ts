// `npm run bench:matmul`: GFLOP/s of matmul, matmulTransA and matmulTransB at the MLP's shapes
// (784-128 layer, batch 64 and 256), float32 and float64, the WebAssembly SIMD kernel against the
// plain-TS kernel, measured interleaved batch by batch in one process. A benchmark, not a test.
// The output buffers are preallocated (`out`), as generated gradient code will do. Each figure is
// the median over batches of the CPU time per call, and in parentheses the fastest single call
// (what the kernel does with a core to itself, when other processes share the machine).
import * as os from "node:os";
import { type DType, type Tensor, matmul, matmulTransA, matmulTransB, randn, setMatmulBackend, zeros } from "../runtime";
import { Bench, sinkValue } from "./harness";

const TIME = Number(process.env.ADC_BENCH_TIME ?? 0.4);

interface Case {
  name: string;
  /** The product computed, e.g. "64×784 · 784×128". */
  what: string;
  flops: number;
  run: (out: Tensor) => Tensor;
  outShape: number[];
}

function cases(batch: number, dtype: DType): Case[] {
  const x = randn([batch, 784], { seed: 1, dtype });
  const w = randn([784, 128], { seed: 2, dtype });
  const dy = randn([batch, 128], { seed: 3, dtype });
  const flops = 2 * batch * 784 * 128;
  return [
    { name: "matmul", what: `X·W: ${batch}×784 · 784×128`, flops, run: (o) => matmul(x, w, o), outShape: [batch, 128] },
    {
      name: "matmulTransA",
      what: `Xᵀ·dY: (${batch}×784)ᵀ · ${batch}×128`,
      flops,
      run: (o) => matmulTransA(x, dy, o),
      outShape: [784, 128],
    },
    {
      name: "matmulTransB",
      what: `dY·Wᵀ: ${batch}×128 · (784×128)ᵀ`,
      flops,
      run: (o) => matmulTransB(dy, w, o),
      outShape: [batch, 784],
    },
  ];
}

/** The fastest single call in 0.2 s (ns): what the kernel does when it has a core to itself. */
function bestCall(backend: "wasm" | "ts", c: Case, out: Tensor): number {
  setMatmulBackend(backend);
  let best = Infinity;
  const start = performance.now();
  while (performance.now() - start < 200) {
    const t0 = performance.now();
    c.run(out);
    best = Math.min(best, performance.now() - t0);
  }
  return best * 1e6;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, single thread\n`);
  console.log("| product | dtype | wasm GFLOP/s (best) | TS GFLOP/s (best) | wasm ms | speed-up |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const dtype of ["float32", "float64"] as DType[]) {
    for (const batch of [64, 256]) {
      for (const c of cases(batch, dtype)) {
        const out = zeros(c.outShape, dtype);
        const body = (backend: "wasm" | "ts") => () => {
          setMatmulBackend(backend);
          return c.run(out).data[0];
        };
        const benches = [new Bench("wasm", body("wasm")), new Bench("ts", body("ts"))];
        for (const b of benches) await b.warm(0.2, 0.02);
        const start = performance.now();
        for (let k = 0; performance.now() - start < TIME * 2000 || k < 5; k++) for (const b of benches) await b.run(0, 1);
        const [wasm, ts] = benches.map((b, i) => ({ cpu: b.result().cpu, best: bestCall(i === 0 ? "wasm" : "ts", c, out) }));
        const gflops = (m: { cpu: number; best: number }) =>
          `${(c.flops / m.cpu).toFixed(1)} (${(c.flops / m.best).toFixed(1)})`;
        console.log(
          `| ${c.name} ${c.what} | ${dtype} | ${gflops(wasm)} | ${gflops(ts)} | ${(wasm.cpu / 1e6).toFixed(3)} | ${(ts.cpu / wasm.cpu).toFixed(1)}× |`,
        );
      }
    }
  }
  setMatmulBackend("auto");
  console.log(`\n(median CPU time per call over batches, fastest single call in parentheses; sink ${sinkValue().toPrecision(3)})`);
}

void main();
