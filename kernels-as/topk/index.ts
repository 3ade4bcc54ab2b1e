// The "topk" kernel (kernels-as/kernels.json): exact top-k search by inner product over a fixed matrix of rows, for
// src/models/neighbours/exact-topk.ts. Rebuild with `node scripts/build-kernels.mjs topk`.
//
// Why a screen: float32 SIMD in wasm multiplies 4 lanes per instruction, where FAISS's BLAS has AVX2/AVX-512 FMA.
// `i32x4.dot_i16x8_s` multiplies 8 int16 pairs and adds them into 4 int32 lanes in one instruction (pmaddwd), so
// the rows and queries are also kept as int16 (scaled by the caller) and every row is scored in integers first.
// The caller proves a bound on how far an integer score can be from the true one (`twoB`, in integer units, is
// twice that bound); a row can only be in the true top k if its integer score is at least the k-th best integer
// score minus twoB. Those rows, the candidates, are scored again exactly (float64 sums of the float32 inputs, in
// the same order as bruteForceTopK in TypeScript), and the top k of them is the answer.
//
// Memory is imported and shared; nothing here allocates. Threads claim blocks of queries from a shared counter
// (searchClaimed), so a thread whose core is busy with other work simply serves fewer blocks; each thread passes its
// own `state` region and each query is served whole by one thread, so the answer does not depend on who served it.
//
// Layouts (byte offsets, all 16-byte aligned):
//   Rq   int16 rows in groups of 4 rows: group g holds, for each dim pair p, the 8 values
//        [r0[2p], r0[2p+1], r1[2p], r1[2p+1], r2[2p], r2[2p+1], r3[2p], r3[2p+1]] (16 bytes), P pairs per group.
//        Rows are zero-padded to a multiple of 8 (two groups), dims to 2P.
//   X    float32 rows, n × dim (for the exact scores).
//   Qq   int16 queries, 2P values each; readable for 3 queries past the last one served (zeros).
//   Qf   float32 queries, nq × dim.
//   twoB int32 per query.
//   out  int32 indices and float32 scores, nq × k, best first.

// Micro-tile: 4 queries × 8 rows (2 groups): 8 accumulators, 2 row loads and 4 splats per dim pair. Measured alone
// on rows in L2 here: 46 GMAC/s per core (50 with two dim pairs per trip); 2 × 16 and 5 × 8 tiles the same, 6 × 8
// 42, 4 × 12 36 (it spills accumulators). Float32 SIMD in the same tile shape: 9.
const TQ: i32 = 4;

// Per-block state, QB query slots (a multiple of 4). Offsets computed by stateLayout().
let sThr: usize = 0; // int32 per slot: (current integer threshold) - 1; i32.MAX for an empty slot
let sTwoB: usize = 0; // int32 per slot
let sAhN: usize = 0; // int32 per slot: entries in the integer-score heap
let sCandN: usize = 0; // int32 per slot: candidates waiting for their exact score
let sEhN: usize = 0; // int32 per slot: entries in the exact heap
let sAh: usize = 0; // int32, k per slot: min-heap of the best integer scores seen
let sCand: usize = 0; // (int32 row, int32 score), cap per slot
let sEhS: usize = 0; // float64, k per slot: heap of exact scores, worst at the root
let sEhI: usize = 0; // int32, k per slot: their rows
let sScratch: usize = 0; // 32 int32: one micro-tile's scores

/** Bytes of the state one thread needs for blocks of `qb` queries (qb a multiple of 4). */
export function stateBytes(qb: i32, k: i32, cap: i32): f64 {
  return <f64>stateLayout(0, qb, k, cap);
}

@inline function a16(x: usize): usize {
  return (x + 15) & ~(<usize>15);
}

function stateLayout(base: usize, qb: i32, k: i32, cap: i32): usize {
  const q = <usize>qb;
  const kk = <usize>k;
  let p = base;
  sThr = p; p = a16(p + (q << 2));
  sTwoB = p; p = a16(p + (q << 2));
  sAhN = p; p = a16(p + (q << 2));
  sCandN = p; p = a16(p + (q << 2));
  sEhN = p; p = a16(p + (q << 2));
  sAh = p; p = a16(p + ((q * kk) << 2));
  sCand = p; p = a16(p + ((q * <usize>cap) << 3));
  sEhS = p; p = a16(p + ((q * kk) << 3));
  sEhI = p; p = a16(p + ((q * kk) << 2));
  sScratch = p; p = a16(p + 128);
  return p - base;
}

// Settings of the current call, as globals so the slow paths need few arguments.
let gX: usize = 0;
let gQf: usize = 0;
let gDim: i32 = 0;
let gK: i32 = 0;
let gCap: i32 = 0;
let gQ0: i32 = 0; // query index of slot 0
let gRescored: i64 = 0;
let gCandidates: i64 = 0;

@inline function i32At(base: usize, i: usize): i32 {
  return load<i32>(base + (i << 2));
}

@inline function setI32(base: usize, i: usize, v: i32): void {
  store<i32>(base + (i << 2), v);
}

/** Exact score of row `row` for slot `s`'s query: a float64 sum in dimension order, as bruteForceTopK. */
function exactScore(s: i32, row: i32): f64 {
  const x = gX + ((<usize>row * <usize>gDim) << 2);
  const q = gQf + ((<usize>(gQ0 + s) * <usize>gDim) << 2);
  let acc: f64 = 0;
  for (let j: usize = 0, e = <usize>gDim << 2; j < e; j += 4) acc += <f64>load<f32>(x + j) * <f64>load<f32>(q + j);
  return acc;
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or the same score and a higher row. */
@inline function worse(sa: f64, ia: i32, sb: f64, ib: i32): bool {
  return sa < sb || (sa == sb && ia > ib);
}

function ehSiftDown(S: usize, I: usize, n: i32, from: i32): void {
  let i = from;
  const s = load<f64>(S + (<usize>i << 3));
  const id = i32At(I, <usize>i);
  while (true) {
    let c = 2 * i + 1;
    if (c >= n) break;
    let cs = load<f64>(S + (<usize>c << 3));
    let ci = i32At(I, <usize>c);
    if (c + 1 < n) {
      const rs = load<f64>(S + (<usize>(c + 1) << 3));
      const ri = i32At(I, <usize>(c + 1));
      if (worse(rs, ri, cs, ci)) {
        c++;
        cs = rs;
        ci = ri;
      }
    }
    if (!worse(cs, ci, s, id)) break;
    store<f64>(S + (<usize>i << 3), cs);
    setI32(I, <usize>i, ci);
    i = c;
  }
  store<f64>(S + (<usize>i << 3), s);
  setI32(I, <usize>i, id);
}

/** Offers an exact (score, row) to slot s's exact heap of the k best. */
function ehOffer(s: i32, score: f64, row: i32): void {
  const k = gK;
  const S = sEhS + ((<usize>s * <usize>k) << 3);
  const I = sEhI + ((<usize>s * <usize>k) << 2);
  const n = i32At(sEhN, <usize>s);
  if (n < k) {
    // Sift up from the new leaf.
    let i = n;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = load<f64>(S + (<usize>p << 3));
      const pi = i32At(I, <usize>p);
      if (!worse(score, row, ps, pi)) break;
      store<f64>(S + (<usize>i << 3), ps);
      setI32(I, <usize>i, pi);
      i = p;
    }
    store<f64>(S + (<usize>i << 3), score);
    setI32(I, <usize>i, row);
    setI32(sEhN, <usize>s, n + 1);
    return;
  }
  if (!worse(load<f64>(S), i32At(I, 0), score, row)) return;
  store<f64>(S, score);
  setI32(I, 0, row);
  ehSiftDown(S, I, k, 0);
}

/** Scores exactly the waiting candidates of slot s that still pass its threshold, and empties the list. */
function flush(s: i32): void {
  const C = sCand + ((<usize>s * <usize>gCap) << 3);
  const n = i32At(sCandN, <usize>s);
  const thr = i32At(sThr, <usize>s);
  let rescored = 0;
  for (let i = 0; i < n; i++) {
    const row = load<i32>(C + (<usize>i << 3));
    if (load<i32>(C + (<usize>i << 3) + 4) > thr) {
      ehOffer(s, exactScore(s, row), row);
      rescored++;
    }
  }
  gRescored += rescored;
  setI32(sCandN, <usize>s, 0);
}

/** Slot s's threshold after its integer heap changed: the k-th best integer score minus twoB (minus 1, for gt). */
function updateThreshold(s: i32): void {
  if (i32At(sAhN, <usize>s) < gK) return;
  const root = <i64>i32At(sAh + ((<usize>s * <usize>gK) << 2), 0);
  let t = root - <i64>i32At(sTwoB, <usize>s) - 1;
  if (t < <i64>i32.MIN_VALUE) t = <i64>i32.MIN_VALUE;
  setI32(sThr, <usize>s, <i32>t);
}

/** Row `row` with integer score `a` passed slot s's threshold: keep it as a candidate, and feed the integer heap. */
function admit(s: i32, row: i32, a: i32): void {
  let n = i32At(sCandN, <usize>s);
  if (n == gCap) {
    flush(s);
    n = 0;
  }
  const C = sCand + ((<usize>s * <usize>gCap) << 3) + (<usize>n << 3);
  store<i32>(C, row);
  store<i32>(C + 4, a);
  setI32(sCandN, <usize>s, n + 1);
  gCandidates++;

  const k = gK;
  const H = sAh + ((<usize>s * <usize>k) << 2);
  const m = i32At(sAhN, <usize>s);
  if (m < k) {
    let i = m;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = i32At(H, <usize>p);
      if (pv <= a) break;
      setI32(H, <usize>i, pv);
      i = p;
    }
    setI32(H, <usize>i, a);
    setI32(sAhN, <usize>s, m + 1);
    if (m + 1 == k) updateThreshold(s);
    return;
  }
  if (a <= i32At(H, 0)) return;
  let i = 0;
  while (true) {
    let c = 2 * i + 1;
    if (c >= k) break;
    let cv = i32At(H, <usize>c);
    if (c + 1 < k) {
      const rv = i32At(H, <usize>(c + 1));
      if (rv < cv) {
        c++;
        cv = rv;
      }
    }
    if (cv >= a) break;
    setI32(H, <usize>i, cv);
    i = c;
  }
  setI32(H, <usize>i, a);
  updateThreshold(s);
}

/** The slow path of a micro-tile some score of which passed its query's threshold: the 32 scores one by one. */
function tileHits(slot: i32, row0: i32, n: i32): void {
  for (let j = 0; j < TQ; j++) {
    const s = slot + j;
    for (let r = 0; r < 8; r++) {
      const row = row0 + r;
      const a = i32At(sScratch, <usize>(j * 8 + r));
      if (row < n && a > i32At(sThr, <usize>s)) admit(s, row, a);
    }
  }
}

@inline function dotAdd(acc: v128, x: v128, q: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(x, q));
}

/**
 * Scores 4 queries (int16, `qBytes` apart from qa) against row groups g, g+2, ... < g1 (8 rows a step) until some
 * score passes its query's threshold (th: 4 int32 thresholds − 1); then leaves that step's 32 scores in the
 * scratch and returns its g. Returns g1 when none passed. Kept small and apart from search() so that its few live
 * values stay in registers.
 */
function sweep(Rq: usize, gb: usize, g: i32, g1: i32, qa: usize, qBytes: usize, th: usize): i32 {
  const qb1 = qa + qBytes;
  const qc = qb1 + qBytes;
  const qd = qc + qBytes;
  for (; g < g1; g += 2) {
    const r0 = Rq + <usize>g * gb;
    const r1 = r0 + gb;
    let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a10 = i32x4.splat(0), a11 = i32x4.splat(0);
    let a20 = i32x4.splat(0), a21 = i32x4.splat(0), a30 = i32x4.splat(0), a31 = i32x4.splat(0);
    // Two dim pairs per trip: about 7% faster than one (measured), from the loop's own overhead.
    let o: usize = 0;
    let oq: usize = 0;
    for (; o + 16 < gb; o += 32, oq += 8) {
      let x0 = v128.load(r0 + o);
      let x1 = v128.load(r1 + o);
      let v = v128.load32_splat(qa + oq);
      a00 = dotAdd(a00, x0, v);
      a01 = dotAdd(a01, x1, v);
      v = v128.load32_splat(qb1 + oq);
      a10 = dotAdd(a10, x0, v);
      a11 = dotAdd(a11, x1, v);
      v = v128.load32_splat(qc + oq);
      a20 = dotAdd(a20, x0, v);
      a21 = dotAdd(a21, x1, v);
      v = v128.load32_splat(qd + oq);
      a30 = dotAdd(a30, x0, v);
      a31 = dotAdd(a31, x1, v);
      x0 = v128.load(r0 + o + 16);
      x1 = v128.load(r1 + o + 16);
      v = v128.load32_splat(qa + oq + 4);
      a00 = dotAdd(a00, x0, v);
      a01 = dotAdd(a01, x1, v);
      v = v128.load32_splat(qb1 + oq + 4);
      a10 = dotAdd(a10, x0, v);
      a11 = dotAdd(a11, x1, v);
      v = v128.load32_splat(qc + oq + 4);
      a20 = dotAdd(a20, x0, v);
      a21 = dotAdd(a21, x1, v);
      v = v128.load32_splat(qd + oq + 4);
      a30 = dotAdd(a30, x0, v);
      a31 = dotAdd(a31, x1, v);
    }
    if (o < gb) {
      const x0 = v128.load(r0 + o);
      const x1 = v128.load(r1 + o);
      let v = v128.load32_splat(qa + oq);
      a00 = dotAdd(a00, x0, v);
      a01 = dotAdd(a01, x1, v);
      v = v128.load32_splat(qb1 + oq);
      a10 = dotAdd(a10, x0, v);
      a11 = dotAdd(a11, x1, v);
      v = v128.load32_splat(qc + oq);
      a20 = dotAdd(a20, x0, v);
      a21 = dotAdd(a21, x1, v);
      v = v128.load32_splat(qd + oq);
      a30 = dotAdd(a30, x0, v);
      a31 = dotAdd(a31, x1, v);
    }
    // Thresholds are loaded after the loop rather than held in registers through it, which the accumulators need.
    const t0v = v128.load32_splat(th);
    const t1v = v128.load32_splat(th + 4);
    const t2v = v128.load32_splat(th + 8);
    const t3v = v128.load32_splat(th + 12);
    const hit = v128.or(
      v128.or(v128.or(i32x4.gt_s(a00, t0v), i32x4.gt_s(a01, t0v)), v128.or(i32x4.gt_s(a10, t1v), i32x4.gt_s(a11, t1v))),
      v128.or(v128.or(i32x4.gt_s(a20, t2v), i32x4.gt_s(a21, t2v)), v128.or(i32x4.gt_s(a30, t3v), i32x4.gt_s(a31, t3v))),
    );
    if (v128.any_true(hit)) {
      v128.store(sScratch, a00);
      v128.store(sScratch + 16, a01);
      v128.store(sScratch + 32, a10);
      v128.store(sScratch + 48, a11);
      v128.store(sScratch + 64, a20);
      v128.store(sScratch + 80, a21);
      v128.store(sScratch + 96, a30);
      v128.store(sScratch + 112, a31);
      return g;
    }
  }
  return g1;
}

/**
 * Serves queries q0 .. q1-1 (at most the `qb` slots `state` was laid out for): writes each one's k best rows (by
 * exact inner product, ties to the lower row) and scores, best first, to outIdx/outScore (k per query, from query
 * q0's place). Rows are walked in tiles of `tileRows` (a multiple of 8) that stay in this core's cache while every
 * query of the block passes over them. stats (2 float64, this thread's own) gains the candidates kept and rescored.
 */
export function search(
  Rq: usize, X: usize, n: i32, dim: i32, P: i32, tileRows: i32,
  Qq: usize, Qf: usize, twoB: usize, q0: i32, q1: i32, k: i32,
  state: usize, qb: i32, cap: i32, outIdx: usize, outScore: usize, stats: usize,
): void {
  stateLayout(state, qb, k, cap);
  gX = X;
  gQf = Qf;
  gDim = dim;
  gK = k;
  gCap = cap;
  gQ0 = q0;
  gRescored = 0;
  gCandidates = 0;
  const nq = q1 - q0;
  const slots = (nq + TQ - 1) & ~(TQ - 1);
  for (let s = 0; s < slots; s++) {
    setI32(sThr, <usize>s, s < nq ? i32.MIN_VALUE : i32.MAX_VALUE);
    setI32(sTwoB, <usize>s, s < nq ? i32At(twoB, <usize>(q0 + s)) : 0);
    setI32(sAhN, <usize>s, 0);
    setI32(sCandN, <usize>s, 0);
    setI32(sEhN, <usize>s, 0);
  }

  const gb = <usize>P << 4; // bytes per group of 4 rows
  const qBytes = <usize>P << 2; // bytes per int16 query
  const nPad = (n + 7) & ~7;
  for (let t0 = 0; t0 < nPad; t0 += tileRows) {
    const g1 = min(t0 + tileRows, nPad) >> 2;
    for (let s = 0; s < slots; s += TQ) {
      const qa = Qq + <usize>(q0 + s) * qBytes;
      const th = sThr + (<usize>s << 2);
      for (let g = t0 >> 2; g < g1; g += 2) {
        g = sweep(Rq, gb, g, g1, qa, qBytes, th);
        if (g < g1) tileHits(s, g << 2, n);
      }
    }
  }

  // The last candidates, against the final thresholds; then each exact heap, emptied worst first from the back.
  for (let s = 0; s < nq; s++) {
    flush(s);
    const S = sEhS + ((<usize>s * <usize>k) << 3);
    const I = sEhI + ((<usize>s * <usize>k) << 2);
    const base = <usize>(q0 + s) * <usize>k;
    let m = i32At(sEhN, <usize>s);
    for (let i = k - 1; i >= 0; i--) {
      if (m == 0) {
        // Cannot happen when k <= n (the k rows of the integer heap are always candidates); kept well-defined.
        setI32(outIdx, base + <usize>i, -1);
        store<f32>(outScore + ((base + <usize>i) << 2), -Infinity);
        continue;
      }
      setI32(outIdx, base + <usize>i, i32At(I, 0));
      store<f32>(outScore + ((base + <usize>i) << 2), <f32>load<f64>(S));
      m--;
      store<f64>(S, load<f64>(S + (<usize>m << 3)));
      setI32(I, 0, i32At(I, <usize>m));
      ehSiftDown(S, I, m, 0);
    }
  }
  store<f64>(stats, load<f64>(stats) + <f64>gCandidates);
  store<f64>(stats + 8, load<f64>(stats + 8) + <f64>gRescored);
}

/**
 * search() over blocks of `blockQ` queries (blocks b = 0 .. ceil(nq / blockQ) − 1 of queries 0 .. nq − 1), each
 * claimed from the shared int32 at `counter` (0 before the first claim) until none is left.
 */
export function searchClaimed(
  counter: usize, nq: i32, blockQ: i32,
  Rq: usize, X: usize, n: i32, dim: i32, P: i32, tileRows: i32,
  Qq: usize, Qf: usize, twoB: usize, k: i32,
  state: usize, cap: i32, outIdx: usize, outScore: usize, stats: usize,
): void {
  const blocks = (nq + blockQ - 1) / blockQ;
  for (let b = atomic.add<i32>(counter, 1); b < blocks; b = atomic.add<i32>(counter, 1)) {
    const q0 = b * blockQ;
    search(Rq, X, n, dim, P, tileRows, Qq, Qf, twoB, q0, min(q0 + blockQ, nq), k, state, blockQ, cap, outIdx, outScore, stats);
  }
}
