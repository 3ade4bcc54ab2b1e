// SIMD kernels for the k-nearest-neighbour search behind the UMAP maps (src/viz/knn.ts). Vectors are unit rows of
// dp floats (dp a multiple of 4, zero-padded), so a dot product is a cosine similarity. Every function works on byte
// offsets into the imported (shared) memory and allocates nothing, so two threads can run them on disjoint outputs.

// Sums of the four lanes of each accumulator, as one vector: lane i = sum(acc_i).
@inline function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  // Pairwise interleave, then add, twice: the classic 4x4 transpose-add.
  const t0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}

@inline function dot(a: usize, b: usize, dp: i32): f32 {
  let acc = f32x4.splat(0);
  for (let o: usize = 0, end = <usize>dp << 2; o < end; o += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** Dot products of one row a with rows b, b+stride, ... (4 at a time, one load of a per 4 products). */
@inline function dot4(a: usize, b: usize, stride: usize, dp: i32): v128 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  const b1 = b + stride;
  const b2 = b1 + stride;
  const b3 = b2 + stride;
  for (let o: usize = 0, end = <usize>dp << 2; o < end; o += 16) {
    const x = v128.load(a + o);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b + o)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + o)));
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + o)));
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + o)));
  }
  return hsum4(s0, s1, s2, s3);
}

/** Keeps row q's best `kk` (similarity, id) pairs sorted ascending (the worst at slot 0). */
@inline function offer(topSim: usize, topIdx: usize, q: i32, kk: i32, s: f32, id: i32): void {
  const base = <usize>q * <usize>kk;
  if (!(s > load<f32>(topSim + (base << 2)))) return;
  let p = 0;
  while (p + 1 < kk && s > load<f32>(topSim + ((base + <usize>(p + 1)) << 2))) {
    store<f32>(topSim + ((base + <usize>p) << 2), load<f32>(topSim + ((base + <usize>(p + 1)) << 2)));
    store<i32>(topIdx + ((base + <usize>p) << 2), load<i32>(topIdx + ((base + <usize>(p + 1)) << 2)));
    p++;
  }
  store<f32>(topSim + ((base + <usize>p) << 2), s);
  store<i32>(topIdx + ((base + <usize>p) << 2), id);
}

/** Offers row q (vector x) every row m0 .. m1 of X but itself, into the list at `slot`; four dot products at a time. */
@inline function offerRange(X: usize, row: usize, dp: i32, x: usize, q: i32, slot: i32, m0: i32, m1: i32, kk: i32, topSim: usize, topIdx: usize): void {
  let m = m0;
  for (; m + 4 <= m1; m += 4) {
    const s = dot4(x, X + <usize>m * row, row, dp);
    if (m != q) offer(topSim, topIdx, slot, kk, f32x4.extract_lane(s, 0), m);
    if (m + 1 != q) offer(topSim, topIdx, slot, kk, f32x4.extract_lane(s, 1), m + 1);
    if (m + 2 != q) offer(topSim, topIdx, slot, kk, f32x4.extract_lane(s, 2), m + 2);
    if (m + 3 != q) offer(topSim, topIdx, slot, kk, f32x4.extract_lane(s, 3), m + 3);
  }
  for (; m < m1; m++) if (m != q) offer(topSim, topIdx, slot, kk, dot(x, X + <usize>m * row, dp), m);
}

/**
 * For rows r in [r0, r1) of X: the `nprobe` rows of C (nc centroids) with the largest dot products, best first,
 * into probes[r * nprobe ..]. scratch holds nc floats.
 */
export function probe(X: usize, r0: i32, r1: i32, C: usize, nc: i32, dp: i32, nprobe: i32, scratch: usize, probes: usize): void {
  const row = <usize>dp << 2;
  for (let r = r0; r < r1; r++) {
    const x = X + <usize>r * row;
    let c = 0;
    for (; c + 4 <= nc; c += 4) v128.store(scratch + (<usize>c << 2), dot4(x, C + <usize>c * row, row, dp));
    for (; c < nc; c++) store<f32>(scratch + (<usize>c << 2), dot(x, C + <usize>c * row, dp));
    // Partial selection: nprobe is small next to nc; ties keep the lower centroid index, for determinism.
    const out = probes + ((<usize>r * <usize>nprobe) << 2);
    for (let p = 0; p < nprobe; p++) {
      let best = -1;
      let bestS: f32 = -Infinity;
      for (let j = 0; j < nc; j++) {
        const s = load<f32>(scratch + (<usize>j << 2));
        if (s > bestS) {
          bestS = s;
          best = j;
        }
      }
      store<i32>(out + (<usize>p << 2), best);
      if (best >= 0) store<f32>(scratch + (<usize>best << 2), -Infinity);
    }
  }
}

/**
 * Scans inverted lists l0 .. l1-1: list l holds rows [listStart[l], listStart[l+1]) of X, and the query rows that
 * probe it are probers[proberStart[l] .. proberStart[l+1]) (ascending). Only queries in [q0, q1) are served, so two
 * threads can split the queries. Each query keeps its kk best other rows in topSim/topIdx (kk per row, row ids).
 */
export function scanLists(X: usize, dp: i32, l0: i32, l1: i32, listStart: usize, proberStart: usize, probers: usize, q0: i32, q1: i32, kk: i32, topSim: usize, topIdx: usize): void {
  const row = <usize>dp << 2;
  for (let l = l0; l < l1; l++) {
    const m0 = load<i32>(listStart + (<usize>l << 2));
    const m1 = load<i32>(listStart + (<usize>(l + 1) << 2));
    const p1 = load<i32>(proberStart + (<usize>(l + 1) << 2));
    for (let p = load<i32>(proberStart + (<usize>l << 2)); p < p1; p++) {
      const q = load<i32>(probers + (<usize>p << 2));
      if (q < q0 || q >= q1) continue;
      const x = X + <usize>q * row;
      offerRange(X, row, dp, x, q, q, m0, m1, kk, topSim, topIdx);
    }
  }
}

/**
 * Exact search for the query rows queries[0 .. nq) against all n rows of X. Query i's list is at slot i of
 * topSim/topIdx. X is walked in blocks that stay in cache while every query passes over them.
 */
export function scanQueries(X: usize, dp: i32, n: i32, queries: usize, nq: i32, kk: i32, topSim: usize, topIdx: usize): void {
  const row = <usize>dp << 2;
  const BLOCK = 256;
  for (let m0 = 0; m0 < n; m0 += BLOCK) {
    const m1 = min(m0 + BLOCK, n);
    for (let i = 0; i < nq; i++) {
      const q = load<i32>(queries + (<usize>i << 2));
      const x = X + <usize>q * row;
      offerRange(X, row, dp, x, q, i, m0, m1, kk, topSim, topIdx);
    }
  }
}

/**
 * One round of NN-descent's local join. G is a graph in CSR form: row r's entries are gIds[gStart[r] ..
 * gStart[r+1]), its current neighbours and some of the rows that list r (reverse neighbours, which carry most of
 * what forward lists alone never reach), each entry id * 2 + 1 when it was not in r's entries the round before, else
 * id * 2. Query q in [q0, q1) is offered each row j of G(q) and each row m of G(j); a path q - j - m whose two entries
 * are both old was walked in an earlier round, so it is skipped, which makes later rounds much cheaper than the first.
 * G is built before the round and only row q's own list is written, so the result does not depend on how queries
 * are split. `stamp` (one i32 per row, this thread's own, all -1 at first) marks the rows already offered to q.
 */
export function join(X: usize, dp: i32, gStart: usize, gIds: usize, q0: i32, q1: i32, kk: i32, topSim: usize, topIdx: usize, stamp: usize): void {
  const row = <usize>dp << 2;
  for (let q = q0; q < q1; q++) {
    const x = X + <usize>q * row;
    const base = <usize>q * <usize>kk;
    store<i32>(stamp + (<usize>q << 2), q);
    for (let t = 0; t < kk; t++) {
      const m = load<i32>(topIdx + ((base + <usize>t) << 2));
      if (m >= 0) store<i32>(stamp + (<usize>m << 2), q);
    }
    const a1 = load<i32>(gStart + (<usize>(q + 1) << 2));
    for (let a = load<i32>(gStart + (<usize>q << 2)); a < a1; a++) {
      const e = load<i32>(gIds + (<usize>a << 2));
      const j = e >> 1;
      if (load<i32>(stamp + (<usize>j << 2)) != q) {
        store<i32>(stamp + (<usize>j << 2), q);
        offer(topSim, topIdx, q, kk, dot(x, X + <usize>j * row, dp), j);
      }
      const fresh = e & 1;
      const b1 = load<i32>(gStart + (<usize>(j + 1) << 2));
      for (let b = load<i32>(gStart + (<usize>j << 2)); b < b1; b++) {
        const f = load<i32>(gIds + (<usize>b << 2));
        if (((fresh | f) & 1) == 0) continue;
        const m = f >> 1;
        if (load<i32>(stamp + (<usize>m << 2)) == q) continue;
        store<i32>(stamp + (<usize>m << 2), q);
        offer(topSim, topIdx, q, kk, dot(x, X + <usize>m * row, dp), m);
      }
    }
  }
}
