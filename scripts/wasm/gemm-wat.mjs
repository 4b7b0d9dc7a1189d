// Generates the WebAssembly text (WAT) of the GEMM kernels: C (+)= op(A) · op(B), where op(X) is X
// or Xᵀ, for float32 (f32x4) and float64 (f64x2). scripts/build-wasm.mjs assembles it with wabt.
//
// The kernel is the GotoBLAS/BLIS scheme, in the order of its loops:
//   for jc in N step NC:            B block of NC columns
//     for pc in K step KC:          packed once into Bp: KC×NC as NR-wide panels (k-major)
//       for ic in M step MC:        packed into Ap: MC×KC as MR-tall panels (k-major)
//         for jr in NC step NR, ir in MC step MR:
//           micro-kernel: an MR×NR tile of C held in MR·NV v128 registers for the whole KC loop;
//           each k step loads NV vectors of the B panel and MR splats of the A panel.
// The transposed variants differ only in how the panels are packed, so one micro-kernel serves
// A·B, Aᵀ·B and A·Bᵀ. Edge tiles (M or N not a multiple of MR or NR) run the same micro-kernel on
// zero-padded panels into a scratch tile and copy the valid part out.
//
// Memory is imported, owned by the JavaScript side (runtime/tensor/wasm.ts): it passes byte
// addresses of A, B, C and of a work area of `workBytes(params)` bytes for Ap, Bp and the edge tile.

/** Blocking parameters per dtype. NR = NV · lanes. MC must be a multiple of MR, NC of NR. */
export const PARAMS = {
  f32: { t: "f32", v: "f32x4", es: 4, lanes: 4, MR: 4, NV: 2, MC: 64, KC: 256, NC: 512 },
  f64: { t: "f64", v: "f64x2", es: 8, lanes: 2, MR: 4, NV: 2, MC: 64, KC: 128, NC: 256 },
};

export function nr(p) {
  return p.NV * p.lanes;
}

/** Bytes of the work area: Ap (MC·KC), Bp (KC·NC) and one MR×NR edge tile. */
export function workBytes(p) {
  return (p.MC * p.KC + p.KC * p.NC + p.MR * nr(p)) * p.es;
}

const get = (name) => `(local.get $${name})`;
const set = (name, value) => `(local.set $${name} ${value})`;
const i32 = (n) => `(i32.const ${n})`;
const add = (a, b) => `(i32.add ${a} ${b})`;
const mul = (a, b) => `(i32.mul ${a} ${b})`;
const min = (a, b) => `(select ${a} ${b} (i32.lt_s ${a} ${b}))`;
/** x rounded up to a multiple of m. */
const roundUp = (x, m) => `(i32.mul (i32.div_u (i32.add ${x} ${i32(m - 1)}) ${i32(m)}) ${i32(m)})`;
const locals = (names, type) => names.map((n) => `(local $${n} ${type})`).join(" ");

/** `for (name = 0; name < limit; name += step) body` (limit > 0 is not assumed). */
function forLoop(name, limit, step, body) {
  return `${set(name, i32(0))}
    (block $${name}_end (loop $${name}_top
      (br_if $${name}_end (i32.ge_s ${get(name)} ${limit}))
      ${body}
      ${set(name, add(get(name), step))}
      (br $${name}_top)))`;
}

/**
 * micro_T(kc, pa, pb, c, ldcBytes, beta): C[MR×NR] = (beta ? C : 0) + Ap·Bp over kc steps.
 * The accumulators are locals; V8's register allocator keeps them in xmm registers.
 */
function microKernel(p) {
  const { t, v, es, MR, NV } = p;
  const acc = (r, j) => `c${r}_${j}`;
  const accs = [];
  for (let r = 0; r < MR; r++) for (let j = 0; j < NV; j++) accs.push(acc(r, j));
  const bs = Array.from({ length: NV }, (_, j) => `b${j}`);
  const splat = es === 4 ? "v128.load32_splat" : "v128.load64_splat";
  const step = [];
  for (let j = 0; j < NV; j++) step.push(set(`b${j}`, `(v128.load offset=${16 * j} ${get("pb")})`));
  for (let r = 0; r < MR; r++) {
    step.push(set("a", `(${splat} offset=${r * es} ${get("pa")})`));
    for (let j = 0; j < NV; j++) {
      step.push(set(acc(r, j), `(${v}.add ${get(acc(r, j))} (${v}.mul ${get("a")} ${get(`b${j}`)}))`));
    }
  }
  const stores = [];
  const storesBeta = [];
  for (let r = 0; r < MR; r++) {
    const row = r === 0 ? get("c") : add(get("c"), mul(get("ldc"), i32(r)));
    stores.push(set("row", row));
    storesBeta.push(set("row", row));
    for (let j = 0; j < NV; j++) {
      stores.push(`(v128.store offset=${16 * j} ${get("row")} ${get(acc(r, j))})`);
      storesBeta.push(
        `(v128.store offset=${16 * j} ${get("row")} (${v}.add (v128.load offset=${16 * j} ${get("row")}) ${get(acc(r, j))}))`,
      );
    }
  }
  return `(func $micro_${t} (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32) (param $beta i32)
    ${locals(accs, "v128")} ${locals(bs, "v128")} (local $a v128) (local $row i32)
    (block $end (loop $k
      (br_if $end (i32.eqz ${get("kc")}))
      ${step.join("\n      ")}
      ${set("pa", add(get("pa"), i32(MR * es)))}
      ${set("pb", add(get("pb"), i32(NV * 16)))}
      ${set("kc", `(i32.sub ${get("kc")} ${i32(1)})`)}
      (br $k)))
    (if ${get("beta")}
      (then ${storesBeta.join("\n        ")})
      (else ${stores.join("\n        ")})))`;
}

/**
 * copy_T(src, srcStep, dst, dstStep, count): count elements from src to dst, each pointer advancing
 * by its step (bytes); with count ≤ 0 nothing. zero_T(dst, dstStep, count) stores zeros. Packing is
 * made of these: one call per row or column of a panel, no division per element.
 */
function copyHelpers(p) {
  const { t } = p;
  return `(func $copy_${t} (param $src i32) (param $ss i32) (param $dst i32) (param $ds i32) (param $n i32)
    (block $end (loop $top
      (br_if $end (i32.le_s ${get("n")} ${i32(0)}))
      (${t}.store ${get("dst")} (${t}.load ${get("src")}))
      ${set("src", add(get("src"), get("ss")))}
      ${set("dst", add(get("dst"), get("ds")))}
      ${set("n", `(i32.sub ${get("n")} ${i32(1)})`)}
      (br $top))))
  (func $zero_${t} (param $dst i32) (param $ds i32) (param $n i32)
    (block $end (loop $top
      (br_if $end (i32.le_s ${get("n")} ${i32(0)}))
      (${t}.store ${get("dst")} (${t}.const 0))
      ${set("dst", add(get("dst"), get("ds")))}
      ${set("n", `(i32.sub ${get("n")} ${i32(1)})`)}
      (br $top))))`;
}

/**
 * pack_a_T(trans, A, lda, i0, p0, mc, kc, dst): the MR-tall panels of op(A)[i0:i0+mc, p0:p0+kc],
 * each k-major (MR values per k), rows past mc zero-filled. Addresses in bytes, lda in elements.
 * One strided copy per row of op(A): along A's row when not transposed, down its column when
 * transposed (the MR columns of a panel share cache lines, which stay in L1 across the MR copies).
 */
function packA(p) {
  const { t, es, MR } = p;
  const sh = Math.log2(es);
  const bytes = (x) => `(i32.shl ${x} ${i32(sh)})`;
  const row = add(get("i0"), get("i"));
  return `(func $pack_a_${t} (param $trans i32) (param $A i32) (param $lda i32) (param $i0 i32) (param $p0 i32) (param $mc i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $mp i32) (local $d i32)
    ${set("mp", roundUp(get("mc"), MR))}
    ${forLoop(
      "i",
      get("mp"),
      i32(1),
      `;; row i of the panels: panel i/MR, lane i%MR
      ${set("d", add(get("dst"), bytes(add(mul(`(i32.mul (i32.div_u ${get("i")} ${i32(MR)}) ${i32(MR)})`, get("kc")), `(i32.rem_u ${get("i")} ${i32(MR)})`))))}
      (if (i32.ge_s ${get("i")} ${get("mc")})
        (then (call $zero_${t} ${get("d")} ${i32(MR * es)} ${get("kc")}))
        (else (if ${get("trans")}
          (then (call $copy_${t} (i32.add ${get("A")} ${bytes(add(mul(get("p0"), get("lda")), row))}) ${bytes(get("lda"))} ${get("d")} ${i32(MR * es)} ${get("kc")}))
          (else (call $copy_${t} (i32.add ${get("A")} ${bytes(add(mul(row, get("lda")), get("p0")))}) ${i32(es)} ${get("d")} ${i32(MR * es)} ${get("kc")})))))`,
    )})`;
}

/**
 * pack_b_T(trans, B, ldb, p0, j0, kc, nc, dst): the NR-wide panels of op(B)[p0:p0+kc, j0:j0+nc],
 * each k-major (NR values per k), columns past nc zero-filled. A full panel of an untransposed B
 * is copied as NV v128 loads per k (a panel row is contiguous in B); otherwise one strided copy per
 * column of op(B).
 */
function packB(p) {
  const { t, es, NV } = p;
  const NR = nr(p);
  const sh = Math.log2(es);
  const bytes = (x) => `(i32.shl ${x} ${i32(sh)})`;
  const col = add(get("j0"), get("j"));
  const vecCopy = [];
  for (let j = 0; j < NV; j++) {
    vecCopy.push(`(v128.store offset=${16 * j} ${get("d")} (v128.load offset=${16 * j} ${get("s")}))`);
  }
  const perColumn = forLoop(
    "j",
    get("np"),
    i32(1),
    `${set("d", add(get("dst"), bytes(add(mul(`(i32.mul (i32.div_u ${get("j")} ${i32(NR)}) ${i32(NR)})`, get("kc")), `(i32.rem_u ${get("j")} ${i32(NR)})`))))}
      (if (i32.ge_s ${get("j")} ${get("nc")})
        (then (call $zero_${t} ${get("d")} ${i32(NR * es)} ${get("kc")}))
        (else (if ${get("trans")}
          (then (call $copy_${t} (i32.add ${get("B")} ${bytes(add(mul(col, get("ldb")), get("p0")))}) ${i32(es)} ${get("d")} ${i32(NR * es)} ${get("kc")}))
          (else (call $copy_${t} (i32.add ${get("B")} ${bytes(add(mul(get("p0"), get("ldb")), col))}) ${bytes(get("ldb"))} ${get("d")} ${i32(NR * es)} ${get("kc")})))))`,
  );
  return `(func $pack_b_${t} (param $trans i32) (param $B i32) (param $ldb i32) (param $p0 i32) (param $j0 i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $j i32) (local $k i32) (local $np i32) (local $s i32) (local $d i32)
    ${set("np", roundUp(get("nc"), NR))}
    (if (i32.eqz ${get("trans")})
      (then
        ;; full panels by vectors; the ragged last panel joins the per-column copy below
        ${set("np", `(i32.mul (i32.div_u ${get("nc")} ${i32(NR)}) ${i32(NR)})`)}
        ${forLoop(
          "j",
          get("np"),
          i32(NR),
          `${set("s", `(i32.add ${get("B")} ${bytes(add(mul(get("p0"), get("ldb")), col))})`)}
          ${set("d", `(i32.add ${get("dst")} ${bytes(mul(get("j"), get("kc")))})`)}
          ${forLoop(
            "k",
            get("kc"),
            i32(1),
            `${vecCopy.join(" ")}
            ${set("s", add(get("s"), bytes(get("ldb"))))}
            ${set("d", add(get("d"), i32(NR * es)))}`,
          )}`,
        )}
        (if (i32.lt_s ${get("np")} ${get("nc")})
          (then (call $pack_b_cols_${t} ${get("trans")} ${get("B")} ${get("ldb")} ${get("p0")} (i32.add ${get("j0")} ${get("np")}) ${get("kc")} (i32.sub ${get("nc")} ${get("np")}) (i32.add ${get("dst")} ${bytes(mul(get("np"), get("kc")))})))))
      (else (call $pack_b_cols_${t} ${get("trans")} ${get("B")} ${get("ldb")} ${get("p0")} ${get("j0")} ${get("kc")} ${get("nc")} ${get("dst")}))))
  (func $pack_b_cols_${t} (param $trans i32) (param $B i32) (param $ldb i32) (param $p0 i32) (param $j0 i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $j i32) (local $np i32) (local $d i32)
    ${set("np", roundUp(get("nc"), NR))}
    ${perColumn})`;
}

/**
 * gemm_T(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate, work):
 * C[M×N] = op(A)·op(B), or C += op(A)·op(B) when accumulate. K must be ≥ 1 (the caller zeroes C
 * for K = 0). op(A) is M×K: A is M×K (lda ≥ K) or, transposed, K×M (lda ≥ M); likewise op(B).
 */
function gemm(p) {
  const { t, es, MR, MC, KC, NC } = p;
  const NR = nr(p);
  const sh = Math.log2(es);
  const pA = get("work");
  const pB = add(get("work"), i32(MC * KC * es));
  const tile = add(get("work"), i32((MC * KC + KC * NC) * es));
  // The edge path: micro-kernel into the tile (beta 0), then C[r, c] = (beta ? C : 0) + tile[r, c].
  const cElem = `(i32.add ${get("cAddr")} (i32.shl ${add(mul(get("r"), get("ldc")), get("cc"))} ${i32(sh)}))`;
  const tElem = `(i32.add ${tile} (i32.shl ${add(mul(get("r"), i32(NR)), get("cc"))} ${i32(sh)}))`;
  const edgeCopy = forLoop(
    "r",
    get("mr"),
    i32(1),
    forLoop(
      "cc",
      get("nr"),
      i32(1),
      `(${t}.store ${cElem} (if (result ${t}) ${get("beta")}
        (then (${t}.add (${t}.load ${cElem}) (${t}.load ${tElem})))
        (else (${t}.load ${tElem}))))`,
    ),
  );
  const tileBody = `${set("mr", min(i32(MR), `(i32.sub ${get("mc")} ${get("ir")})`))}
    ${set("cAddr", `(i32.add ${get("C")} (i32.shl ${add(mul(add(get("ic"), get("ir")), get("ldc")), add(get("jc"), get("jr")))} ${i32(sh)}))`)}
    ${set("pa", add(pA, `(i32.shl ${mul(get("ir"), get("kc"))} ${i32(sh)})`))}
    ${set("pb", add(pB, `(i32.shl ${mul(get("jr"), get("kc"))} ${i32(sh)})`))}
    (if (i32.and (i32.eq ${get("mr")} ${i32(MR)}) (i32.eq ${get("nr")} ${i32(NR)}))
      (then (call $micro_${t} ${get("kc")} ${get("pa")} ${get("pb")} ${get("cAddr")} (i32.shl ${get("ldc")} ${i32(sh)}) ${get("beta")}))
      (else
        (call $micro_${t} ${get("kc")} ${get("pa")} ${get("pb")} ${tile} ${i32(NR * es)} ${i32(0)})
        ${edgeCopy}))`;
  return `(func (export "gemm_${t}") (param $transA i32) (param $transB i32) (param $M i32) (param $N i32) (param $K i32)
    (param $A i32) (param $lda i32) (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32) (param $accumulate i32) (param $work i32)
    (local $jc i32) (local $pc i32) (local $ic i32) (local $jr i32) (local $ir i32) (local $nc i32) (local $kc i32) (local $mc i32)
    (local $nr i32) (local $mr i32) (local $beta i32) (local $cAddr i32) (local $pa i32) (local $pb i32) (local $r i32) (local $cc i32)
    ${forLoop(
      "jc",
      get("N"),
      i32(NC),
      `${set("nc", min(i32(NC), `(i32.sub ${get("N")} ${get("jc")})`))}
      ${forLoop(
        "pc",
        get("K"),
        i32(KC),
        `${set("kc", min(i32(KC), `(i32.sub ${get("K")} ${get("pc")})`))}
        ${set("beta", `(i32.or ${get("accumulate")} (i32.ne ${get("pc")} ${i32(0)}))`)}
        (call $pack_b_${t} ${get("transB")} ${get("B")} ${get("ldb")} ${get("pc")} ${get("jc")} ${get("kc")} ${get("nc")} ${pB})
        ${forLoop(
          "ic",
          get("M"),
          i32(MC),
          `${set("mc", min(i32(MC), `(i32.sub ${get("M")} ${get("ic")})`))}
          (call $pack_a_${t} ${get("transA")} ${get("A")} ${get("lda")} ${get("ic")} ${get("pc")} ${get("mc")} ${get("kc")} ${pA})
          ${forLoop(
            "jr",
            get("nc"),
            i32(NR),
            `${set("nr", min(i32(NR), `(i32.sub ${get("nc")} ${get("jr")})`))}
            ${forLoop("ir", get("mc"), i32(MR), tileBody)}`,
          )}`,
        )}`,
      )}`,
    )})`;
}

/** The whole module: gemm_f32 and gemm_f64 over one memory imported as env.memory (owned by the caller). */
export function kernelsWat(params = PARAMS) {
  const parts = [];
  for (const p of Object.values(params)) {
    parts.push(copyHelpers(p), microKernel(p), packA(p), packB(p), gemm(p));
  }
  return `(module
  (import "env" "memory" (memory 1))
  ${parts.join("\n  ")})
`;
}
