// k nearest neighbours by cosine distance, for UMAP (which would otherwise spend minutes in its own NN-descent).
// Small sets are searched exactly. Large ones use an inverted-file index (IVF): spherical k-means on a sample cuts
// the space into about 2·sqrt(n) cells, each point is compared with the points of the `nprobe` cells whose centroids
// are nearest to it, and rounds of NN-descent's local join then catch what the cells missed. The join walks
// neighbours of neighbours through reverse neighbours (rows that list a point) as well as forward ones. On the bench's
// 64,697 title vectors (char 3-gram TF-IDF, randomly projected) the cells alone find 0.79 of the true 14 neighbours
// even with 32 of 509 cells probed, and two joins over forward lists only took that to 0.89; with reverse
// neighbours, 24 cells and the joins find 0.97.
// Everything heavy runs as SIMD kernels (kernels-as/umap/knn.ts) on up to two threads sharing one wasm memory; the
// result does not depend on the number of threads, since every point's candidates are scanned in the same order
// whichever thread serves it, and each join round reads a graph fixed before it.
import { Rng } from "../util/random";
import { Heap, pieces, splitRange } from "../runtime/wasm";

/** The "umap" kernel's exports used here (kernels-as/umap/knn.ts); pointers are byte offsets into the heap. */
interface KnnKernels {
  probe(X: number, r0: number, r1: number, C: number, nc: number, dp: number, nprobe: number, scratch: number, probes: number): void;
  scanLists(X: number, dp: number, l0: number, l1: number, listStart: number, proberStart: number, probers: number, q0: number, q1: number, kk: number, topSim: number, topIdx: number): void;
  scanQueries(X: number, dp: number, n: number, queries: number, nq: number, kk: number, topSim: number, topIdx: number): void;
  join(X: number, dp: number, gStart: number, gIds: number, q0: number, q1: number, kk: number, topSim: number, topIdx: number, stamp: number): void;
}

export interface KnnOptions {
  /** "exact", "ivf" or "auto" (exact up to `exactBelow` points). */
  method?: "exact" | "ivf" | "auto";
  exactBelow?: number;
  /** IVF cells; default about 2·sqrt(n). */
  nlist?: number;
  /** Cells searched per point; default 24 (with 16, recall on the bench's titles drops from 0.97 to 0.96). */
  nprobe?: number;
  /** Join rounds after the cell scan, at most; default 8. Most searches stop earlier: at the first round whose
   *  graph has at most `delta` (default 0.001) new entries per neighbour-list slot, since it would change little. */
  refine?: number;
  delta?: number;
  /** Rows that list a point, at most, walked with its own neighbours in a join (default k-1). */
  reverse?: number;
  /** Candidates kept per point while searching (default k-1), cut to the best k-1 at the end: a longer list makes
   *  a wider join (on the bench's titles, 16 instead of 14 gave +0.004 recall for a tenth more CPU time). */
  pool?: number;
  /** k-means iterations (default 4) on a sample of `trainPerCell` points per cell (default 24). */
  kmeansIters?: number;
  trainPerCell?: number;
  seed?: number;
  /** Threads (default 2): the calling one plus workers, sharing the vectors through a shared wasm memory. */
  threads?: number;
  /** Filled with seconds per phase (k-means, probe, scan, refine, ...), for profiling. */
  profile?: Record<string, number>;
}

/** Row-major n × k: row i lists i itself first (distance 0), then its k-1 nearest other points, nearest first. */
export interface KnnResult {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

/** Cosine distance is 1 - dot product of unit rows; dp pads the dimension to a multiple of 4 for SIMD loads. */
function writeUnitRows(dst: Float32Array, vectors: Float32Array, n: number, dim: number, dp: number): void {
  for (let r = 0; r < n; r++) {
    const src = r * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += vectors[src + j] * vectors[src + j];
    // A zero vector stays zero: distance 1 to everything, as umap-js's cosine has it.
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) dst[r * dp + j] = vectors[src + j] * inv;
  }
}

function checkInput(vectors: Float32Array, dim: number, k: number): number {
  if (!Number.isInteger(dim) || dim <= 0 || vectors.length % dim !== 0) throw new Error(`knn: ${vectors.length} floats is not a whole number of ${dim}-dim vectors`);
  const n = vectors.length / dim;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`knn: k must be in [2, n=${n}] (it counts the point itself), got ${k}`);
  // One NaN would make every comparison with it false and quietly scramble its cell's neighbours.
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i])) throw new Error(`knn: vector ${Math.floor(i / dim)} has a non-finite value`);
  return n;
}

/** Fills a KnnResult from the kernels' per-row ascending (worst first) top lists; `order` maps rows to input ids. */
function collect(n: number, k: number, topSim: Float32Array, topIdx: Int32Array, order?: Int32Array, width = k - 1): KnnResult {
  const kk = k - 1;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    const id = order ? order[r] : r;
    indices[id * k] = id;
    for (let j = 0; j < kk; j++) {
      const from = r * width + width - 1 - j;
      const m = topIdx[from];
      indices[id * k + 1 + j] = order && m >= 0 ? order[m] : m;
      distances[id * k + 1 + j] = Math.max(0, 1 - topSim[from]);
    }
  }
  return { n, k, indices, distances };
}

export async function knn(vectors: Float32Array, dim: number, k: number, opts: KnnOptions = {}): Promise<KnnResult> {
  const n = checkInput(vectors, dim, k);
  const method = opts.method ?? "auto";
  if (method === "exact" || (method === "auto" && n <= (opts.exactBelow ?? 5000))) return knnExact(vectors, dim, k, opts.threads ?? 2);
  return knnIvf(vectors, dim, k, opts);
}

/** Exact search for all points (n² dot products: a second or two for 5,000 points). */
export async function knnExact(vectors: Float32Array, dim: number, k: number, threads = 2): Promise<KnnResult> {
  const n = checkInput(vectors, dim, k);
  const { sims, ids } = await exactSearch(vectors, dim, Int32Array.from({ length: n }, (_, i) => i), k - 1, threads);
  return collect(n, k, sims, ids);
}

/** Exact k nearest other points of some query points: row i (k ids, nearest first) for queries[i]. */
export async function exactNeighboursOf(vectors: Float32Array, dim: number, queries: ArrayLike<number>, k: number, threads = 2): Promise<Int32Array> {
  checkInput(vectors, dim, k + 1);
  const { ids } = await exactSearch(vectors, dim, queries, k, threads);
  const out = new Int32Array(queries.length * k);
  for (let i = 0; i < queries.length; i++) for (let j = 0; j < k; j++) out[i * k + j] = ids[i * k + k - 1 - j];
  return out;
}

/** Each query's kk best other rows, as the kernels leave them (ascending, worst first), slot i for queries[i]. */
async function exactSearch(vectors: Float32Array, dim: number, queries: ArrayLike<number>, kk: number, threads: number): Promise<{ sims: Float32Array; ids: Int32Array }> {
  const n = vectors.length / dim;
  const nq = queries.length;
  const dp = (dim + 3) & ~3;
  const heap = new Heap<KnnKernels>("umap");
  const X = heap.reserve(n * dp * 4);
  const Q = heap.reserve(nq * 4);
  const topSim = heap.reserve(nq * kk * 4);
  const topIdx = heap.reserve(nq * kk * 4);
  heap.open();
  writeUnitRows(heap.f32(X, n * dp), vectors, n, dim, dp);
  heap.i32(Q, nq).set(queries);
  const sims = heap.f32(topSim, nq * kk).fill(-Infinity);
  const ids = heap.i32(topIdx, nq * kk).fill(-1);
  const pool = heap.pool(Math.min(threads, nq));
  try {
    await pool.run(
      "scanQueries",
      splitRange(nq, pool.threads).map(([q0, q1]) =>
        pieces(q0, q1, 64, (a, b) => [X, dp, n, Q + a * 4, b - a, kk, topSim + a * kk * 4, topIdx + a * kk * 4]),
      ),
    );
  } finally {
    await pool.close();
  }
  return { sims: sims.slice(), ids: ids.slice() };
}

async function knnIvf(vectors: Float32Array, dim: number, k: number, opts: KnnOptions): Promise<KnnResult> {
  const n = checkInput(vectors, dim, k);
  const dp = (dim + 3) & ~3;
  const kk = Math.max(k - 1, Math.min(n - 1, opts.pool ?? k - 1));
  const nlist = Math.max(1, Math.min(n, opts.nlist ?? Math.round(2 * Math.sqrt(n))));
  const nprobe = Math.max(1, Math.min(nlist, opts.nprobe ?? 24));
  const iters = opts.kmeansIters ?? 4;
  const rng = new Rng(opts.seed ?? 42);
  const train = Math.min(n, nlist * (opts.trainPerCell ?? 24));
  const threads = opts.threads ?? 2;

  const heap = new Heap<KnnKernels>("umap");
  const U = heap.reserve(n * dp * 4); // unit rows, input order
  const X = heap.reserve(n * dp * 4); // unit rows, grouped by cell
  const C = heap.reserve(nlist * dp * 4);
  const scratch = heap.reserve(threads * nlist * 4);
  const probes = heap.reserve(n * nprobe * 4);
  const listStart = heap.reserve((nlist + 1) * 4);
  const proberStart = heap.reserve((nlist + 1) * 4);
  const probers = heap.reserve(n * nprobe * 4);
  const topSim = heap.reserve(n * kk * 4);
  const topIdx = heap.reserve(n * kk * 4);
  const stamps = heap.reserve(threads * n * 4);
  const reverseCap = opts.reverse ?? kk;
  const width = kk + reverseCap;
  const gStart = heap.reserve((n + 1) * 4);
  const gIds = heap.reserve(n * width * 4);
  heap.open();
  const u = heap.f32(U, n * dp);
  writeUnitRows(u, vectors, n, dim, dp);

  const pool = heap.pool(threads);
  let clock = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    if (opts.profile) opts.profile[phase] = (opts.profile[phase] ?? 0) + (now - clock) / 1000;
    clock = now;
  };
  lap("setup");
  try {
    // Nearest `np` centroids of rows [0, rows) of `rowsPtr`, split over the threads.
    const nearest = (rowsPtr: number, rows: number, np: number): Promise<void> =>
      pool.run(
        "probe",
        splitRange(rows, pool.threads).map(([r0, r1], t) => pieces(r0, r1, 1024, (a, b) => [rowsPtr, a, b, C, nlist, dp, np, scratch + t * nlist * 4, probes])),
      );

    // Spherical k-means on a seeded sample, which sits in X (free until the cells are known).
    const sample = rng.sample(Array.from({ length: n }, (_, i) => i), train).sort((a, b) => a - b);
    const xs = heap.f32(X, train * dp);
    sample.forEach((id, r) => xs.set(u.subarray(id * dp, id * dp + dp), r * dp));
    const c = heap.f32(C, nlist * dp);
    const seeds = rng.sample(Array.from({ length: train }, (_, i) => i), nlist);
    seeds.forEach((r, l) => c.set(xs.subarray(r * dp, r * dp + dp), l * dp));
    const assign = heap.i32(probes, train);
    for (let it = 0; it < iters; it++) {
      await nearest(X, train, 1);
      const sums = new Float64Array(nlist * dp);
      for (let r = 0; r < train; r++) for (let j = 0, o = assign[r] * dp, x = r * dp; j < dp; j++) sums[o + j] += xs[x + j];
      for (let l = 0; l < nlist; l++) {
        let s = 0;
        for (let j = 0; j < dp; j++) s += sums[l * dp + j] ** 2;
        // An empty cell keeps its centroid (it may win points later); others move to their members' mean direction.
        if (s > 0) for (let j = 0, inv = 1 / Math.sqrt(s); j < dp; j++) c[l * dp + j] = sums[l * dp + j] * inv;
      }
    }

    lap("kmeans");
    // Cells and probe lists of every point; the first probe is the point's own cell.
    await nearest(U, n, nprobe);
    lap("probe");
    const pr = heap.i32(probes, n * nprobe);
    const ls = heap.i32(listStart, nlist + 1);
    for (let i = 0; i < n; i++) ls[pr[i * nprobe] + 1]++;
    for (let l = 0; l < nlist; l++) ls[l + 1] += ls[l];
    const order = new Int32Array(n); // row in X → input id
    const rowOf = new Int32Array(n);
    const fill = ls.slice(0, nlist);
    for (let i = 0; i < n; i++) {
      const r = fill[pr[i * nprobe]]++;
      order[r] = i;
      rowOf[i] = r;
    }
    const x = heap.f32(X, n * dp);
    for (let r = 0; r < n; r++) x.set(u.subarray(order[r] * dp, order[r] * dp + dp), r * dp);

    // For each cell, the rows that probe it, ascending; and each row's work (candidates it will scan).
    const ps = heap.i32(proberStart, nlist + 1);
    for (let i = 0; i < n * nprobe; i++) ps[pr[i] + 1]++;
    for (let l = 0; l < nlist; l++) ps[l + 1] += ps[l];
    const pos = ps.slice(0, nlist);
    const pb = heap.i32(probers, n * nprobe);
    const work = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const i = order[r];
      for (let p = 0; p < nprobe; p++) {
        const l = pr[i * nprobe + p];
        pb[pos[l]++] = r;
        work[r] += ls[l + 1] - ls[l];
      }
    }

    lap("lists");
    heap.f32(topSim, n * kk).fill(-Infinity);
    const ti = heap.i32(topIdx, n * kk);
    ti.fill(-1);
    await pool.run(
      "scanLists",
      splitRange(n, pool.threads, work).map(([q0, q1]) =>
        pieces(0, nlist, 16, (l0, l1) => [X, dp, l0, l1, listStart, proberStart, probers, q0, q1, kk, topSim, topIdx]),
      ),
    );
    lap("scan");
    const sims = heap.f32(topSim, n * kk);
    const gs = heap.i32(gStart, n + 1);
    const gi = heap.i32(gIds, n * width);
    let prev: JoinGraph | null = null;
    for (let round = 0; round < (opts.refine ?? 8); round++) {
      const g = joinGraph(ti, sims, n, kk, reverseCap, prev);
      lap("graph");
      if (g.fresh <= (opts.delta ?? 0.001) * n * kk) break;
      gs.set(g.start);
      gi.set(g.ids);
      prev = g;
      heap.i32(stamps, threads * n).fill(-1);
      await pool.run(
        "join",
        splitRange(n, pool.threads).map(([q0, q1], t) =>
          pieces(q0, q1, 2048, (a, b) => [X, dp, gStart, gIds, a, b, kk, topSim, topIdx, stamps + t * n * 4]),
        ),
      );
      lap("join");
    }
    // Rows whose probed cells held fewer than k-1 other points: search them exactly.
    const short: number[] = [];
    for (let r = 0; r < n; r++) if (ti[r * kk] < 0) short.push(order[r]);
    if (short.length > 0) {
      const exact = await exactSearch(vectors, dim, short, kk, 1);
      short.forEach((id, i) => {
        const r = rowOf[id];
        sims.set(exact.sims.subarray(i * kk, i * kk + kk), r * kk);
        for (let j = 0; j < kk; j++) ti[r * kk + j] = rowOf[exact.ids[i * kk + j]];
      });
    }
    const result = collect(n, k, sims, ti, order, kk);
    lap("collect");
    return result;
  } finally {
    await pool.close();
  }
}

/** A join round's graph in CSR form: row r's entries are ids[start[r] .. start[r + 1]), each id * 2 + (1 if new). */
interface JoinGraph {
  start: Int32Array;
  ids: Int32Array;
  /** Entries that were not in their row the round before. */
  fresh: number;
}

/**
 * The graph a join round walks: each row's current neighbours, then up to `cap` rows that list it and are not among
 * them (the most similar first, ties by row, so that a hub's few hundred listers do not swamp the round); an entry is
 * new when `prev` did not have it in the same row.
 */
function joinGraph(topIdx: Int32Array, topSim: Float32Array, n: number, kk: number, cap: number, prev: JoinGraph | null): JoinGraph {
  const revStart = new Int32Array(n + 1);
  for (let e = 0; e < n * kk; e++) if (topIdx[e] >= 0) revStart[topIdx[e] + 1]++;
  for (let r = 0; r < n; r++) revStart[r + 1] += revStart[r];
  const revIds = new Int32Array(revStart[n]);
  const revSim = new Float32Array(revStart[n]);
  const fill = revStart.slice(0, n);
  for (let r = 0, e = 0; r < n; r++) {
    for (let t = 0; t < kk; t++, e++) {
      const m = topIdx[e];
      if (m < 0) continue;
      revIds[fill[m]] = r;
      revSim[fill[m]++] = topSim[e];
    }
  }
  const start = new Int32Array(n + 1);
  const ids = new Int32Array(n * (kk + cap));
  const listed = new Int32Array(n).fill(-1); // listed[m] == r: m is already in row r
  const before = new Int32Array(n).fill(-1); // before[m] == r: m was in row r the round before
  const byRow: number[] = [];
  let w = 0;
  let fresh = 0;
  const add = (r: number, m: number): void => {
    const isNew = before[m] !== r;
    ids[w++] = m * 2 + (isNew ? 1 : 0);
    if (isNew) fresh++;
  };
  for (let r = 0; r < n; r++) {
    start[r] = w;
    if (prev) for (let a = prev.start[r]; a < prev.start[r + 1]; a++) before[prev.ids[a] >> 1] = r;
    for (let e = r * kk; e < r * kk + kk; e++) {
      const m = topIdx[e];
      if (m < 0) continue;
      listed[m] = r;
      add(r, m);
    }
    byRow.length = 0;
    for (let a = revStart[r]; a < revStart[r + 1]; a++) if (listed[revIds[a]] !== r) byRow.push(a);
    if (byRow.length > cap) byRow.sort((a, b) => revSim[b] - revSim[a] || revIds[a] - revIds[b]).length = cap;
    for (const a of byRow) add(r, revIds[a]);
  }
  start[n] = w;
  return { start, ids: ids.subarray(0, w), fresh };
}

/** Share of the true k-1 nearest other points found, averaged over the rows of `exact` (query ids in `queries`). */
export function knnRecall(result: KnnResult, queries: ArrayLike<number>, exact: Int32Array): number {
  const kk = exact.length / queries.length;
  let hit = 0;
  for (let i = 0; i < queries.length; i++) {
    const got = new Set(result.indices.subarray(queries[i] * result.k + 1, queries[i] * result.k + result.k));
    for (let j = 0; j < kk; j++) if (got.has(exact[i * kk + j])) hit++;
  }
  return hit / exact.length;
}

/**
 * Recall of `result` on a seeded sample of its points (`sample`, default 2,000; all when the sample is at least n):
 * the share of each sampled point's true k-1 nearest other points (exact search) that `result` lists, averaged.
 */
export async function sampledRecall(vectors: Float32Array, dim: number, result: KnnResult, opts: { sample?: number; seed?: number; threads?: number } = {}): Promise<number> {
  const n = result.n;
  const queries = new Rng(opts.seed ?? 1).sample(Array.from({ length: n }, (_, i) => i), Math.min(opts.sample ?? 2000, n));
  return knnRecall(result, queries, await exactNeighboursOf(vectors, dim, queries, result.k - 1, opts.threads));
}

/** umap-js wants arrays of arrays. */
export function knnToArrays(r: KnnResult): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < r.n; i++) {
    indices.push(Array.from(r.indices.subarray(i * r.k, i * r.k + r.k)));
    distances.push(Array.from(r.distances.subarray(i * r.k, i * r.k + r.k)));
  }
  return { indices, distances };
}
