// Exact top-k search by inner product over a fixed matrix of rows (the labelled training titles as unit vectors),
// for the nearest-neighbour vote. Exact means: the same k rows, in the same order, as bruteForceTopK below, which
// scores every row as a float64 sum of the float32 products in dimension order and ranks by that score, ties to the
// lower row. Scores come back rounded to float32.
//
// How (kernels-as/topk/index.ts): rows and queries are also kept as int16, scaled so that no int32 sum can
// overflow, and every row is first scored in integers with wasm's 8-lane dot product, about five times the
// multiply rate of float32 SIMD. For each query, a bound B on |integer score / scale − true score| is proved from
// the rounding residuals (Cauchy–Schwarz, below); a row is a candidate only if its integer score is at least the
// k-th best integer score seen so far minus twice the bound (in integer units). Candidates are rescored exactly
// and the k best of them returned: every row of the true top k is a candidate, so this is the brute-force answer.
// On random unit vectors (55,416 × 120, k = 10) about 99 rows per query pass the screen as it goes (mostly early,
// while the k-th best is still low) and about 11 are rescored (those still within the bound at the end).
//
// Threads: the calling thread and worker threads (src/runtime/wasm.ts's KernelThreads), sharing one wasm memory
// that holds the rows once, claim blocks of queries from a shared counter. Results do not depend on the number of
// threads (each query is served whole by one thread, and its answer is the exact one anyway).
import { KernelThreads, MAX_PAGES, PAGE_BYTES, WasmMemory, instantiate, newMemory } from "../../runtime/wasm";

export interface TopKResult {
  k: number;
  /** Row-major queries × k: row indices, best first. */
  indices: Int32Array;
  /** Their inner products (float64 sums rounded to float32), best first. */
  scores: Float32Array;
}

export interface ExactTopKOptions {
  /** Threads for search(): the calling one plus threads − 1 workers (default 2). searchSync() uses one. */
  threads?: number;
  /**
   * "wasm" (the screened SIMD search), "js" (bruteForceTopK), or "auto" (default): js when the matrix is tiny
   * (fewer than JS_BELOW numbers), where setting up a wasm memory costs more than the search.
   */
  backend?: "auto" | "wasm" | "js";
  /** Tuning (and tests): queries per block a thread claims (a multiple of 4; default 256, fewer when k is large). */
  blockQueries?: number;
  /** Tuning (and tests): queries prepared and searched at once (default 16,384, fewer when k is large). */
  chunkQueries?: number;
}

/** What the last search did: how well the integer screen pruned. */
export interface TopKStats {
  queries: number;
  /** Rows that passed the integer screen at the time they were scanned (summed over queries). */
  candidates: number;
  /** Rows scored exactly (summed over queries): candidates still within the bound of the final k-th best. */
  rescored: number;
}

/** Matrices with fewer numbers than this are searched in plain JavaScript under backend "auto". */
export const JS_BELOW = 16384;

const U = 2 ** -53;
/** Bytes of int16 rows one row tile holds: tiles are rescanned by every query of a block, so they should stay in L2. */
const TILE_BYTES = 256 * 1024;
/**
 * Queries per block (what a thread claims at a time; each pass over the rows serves all of them): 256 to 512
 * measured about 10% faster than 64 (55,416 × 120), from fewer trips of the rows through the cache hierarchy;
 * smaller blocks even out the threads' finishing times.
 */
const BLOCK_QUERIES = 256;
/** Bytes a block's per-query state (heaps and candidate lists) may take; shrinks blocks when k is large. */
const BLOCK_STATE_BYTES = 8 << 20;
/** Queries prepared and searched at once (threads wait for each other between chunks); buffers hold this many. */
const CHUNK_QUERIES = 16384;
const CHUNK_BYTES = 64 << 20;

interface TopKKernel {
  searchClaimed(
    counter: number, nq: number, blockQ: number,
    Rq: number, X: number, n: number, dim: number, P: number, tileRows: number,
    Qq: number, Qf: number, twoB: number, k: number,
    state: number, cap: number, outIdx: number, outScore: number, stats: number,
  ): void;
  stateBytes(qb: number, k: number, cap: number): number;
}
type ClaimArgs = Parameters<TopKKernel["searchClaimed"]>;

function checkFinite(a: Float32Array, what: string, dim: number): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new Error(`ExactTopK: ${what} ${Math.floor(i / dim)} has a non-finite value (${a[i]}) at dimension ${i % dim}`);
  }
}

function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`ExactTopK: k must be an integer in [1, n=${n}], got ${k}`);
}

function checkQueries(queries: Float32Array, dim: number): number {
  if (!(queries instanceof Float32Array)) throw new Error("ExactTopK: queries must be a Float32Array");
  if (queries.length % dim !== 0) throw new Error(`ExactTopK: ${queries.length} floats is not a whole number of ${dim}-dim queries`);
  checkFinite(queries, "query", dim);
  return queries.length / dim;
}

/** The power of two s with max·s <= m, as large as possible (1 for an all-zero vector). Powers of two keep x·s exact. */
function scaleFor(maxAbs: number, m: number): number {
  if (maxAbs === 0) return 1;
  let s = 2 ** Math.floor(Math.log2(m / maxAbs));
  // log2 of a non-power of two can round across an integer: settle the edge exactly.
  while (maxAbs * s > m) s /= 2;
  while (maxAbs * s * 2 <= m) s *= 2;
  return s;
}

/** Ranks a before b: higher score, or the same score and the lower row. */
function better(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa > sb || (sa === sb && ia < ib);
}

/**
 * The reference: every row scored as a float64 sum of float32 products in dimension order, the k best by score
 * (ties to the lower row), best first. O(n·dim) per query; for tests and tiny matrices.
 */
export function bruteForceTopK(rows: Float32Array, dim: number, queries: Float32Array, k: number): TopKResult {
  if (!Number.isInteger(dim) || dim <= 0 || rows.length % dim !== 0) throw new Error(`ExactTopK: ${rows.length} floats is not a whole number of ${dim}-dim rows`);
  const n = rows.length / dim;
  checkK(k, n);
  const nq = checkQueries(queries, dim);
  checkFinite(rows, "row", dim);
  const indices = new Int32Array(nq * k);
  const scores = new Float32Array(nq * k);
  // A heap of the k best so far with the worst at the root.
  const hs = new Float64Array(k);
  const hi = new Int32Array(k);
  for (let q = 0; q < nq; q++) {
    const qo = q * dim;
    let m = 0;
    for (let r = 0; r < n; r++) {
      const ro = r * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += rows[ro + j] * queries[qo + j];
      if (m < k) {
        let i = m++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (!better(hs[p], hi[p], s, r)) break;
          hs[i] = hs[p];
          hi[i] = hi[p];
          i = p;
        }
        hs[i] = s;
        hi[i] = r;
      } else if (better(s, r, hs[0], hi[0])) {
        siftDown(hs, hi, k, s, r);
      }
    }
    for (let i = k - 1; i >= 0; i--) {
      indices[q * k + i] = hi[0];
      scores[q * k + i] = hs[0];
      m--;
      siftDown(hs, hi, m, hs[m], hi[m]);
    }
  }
  return { k, indices, scores };
}

/** Puts (s, r) at the root of a worst-first heap of m entries and sifts it down. */
function siftDown(hs: Float64Array, hi: Int32Array, m: number, s: number, r: number): void {
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= m) break;
    if (c + 1 < m && better(hs[c], hi[c], hs[c + 1], hi[c + 1])) c++;
    if (!better(s, r, hs[c], hi[c])) break;
    hs[i] = hs[c];
    hi[i] = hi[c];
    i = c;
  }
  if (m > 0) {
    hs[i] = s;
    hi[i] = r;
  }
}

/**
 * Exact top-k by inner product over fixed rows (n × dim, row-major float32; copied, so the caller may reuse its
 * array). search() is async (worker threads); searchSync() runs on the calling thread. Call dispose() when done:
 * live worker threads keep the process running.
 */
export class ExactTopK {
  readonly n: number;
  readonly dim: number;
  /** Figures of the last search (zero candidates on the js path, which scores every row). */
  lastStats: TopKStats = { queries: 0, candidates: 0, rescored: 0 };

  private readonly threads: number;
  private readonly blockQueries: number;
  private readonly chunkQueries: number;
  private readonly js: Float32Array | null = null;
  private memory: WasmMemory | null = null;
  private local: TopKKernel | null = null;
  private pool: KernelThreads<TopKKernel> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  // Layout of the wasm memory: rows (int16, then float32) from the start, then per-search buffers from `dyn`.
  private P = 0;
  private rq = 0;
  private x = 0;
  private dyn = 0;
  private m = 0; // the int16 range used: |value| <= m
  private sr = 1; // row scale (a power of two)
  private maxResid = 0; // max over rows of ||x − x̂/sr||₂
  private maxNorm = 0; // max over rows of ||x||₂

  constructor(rows: Float32Array, dim: number, opts: ExactTopKOptions = {}) {
    if (!(rows instanceof Float32Array)) throw new Error("ExactTopK: rows must be a Float32Array");
    if (!Number.isInteger(dim) || dim <= 0 || rows.length % dim !== 0) throw new Error(`ExactTopK: ${rows.length} floats is not a whole number of ${dim}-dim rows`);
    if (rows.length === 0) throw new Error("ExactTopK: no rows");
    checkFinite(rows, "row", dim);
    this.n = rows.length / dim;
    this.dim = dim;
    const threads = opts.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`ExactTopK: threads must be an integer >= 1, got ${threads}`);
    this.threads = threads;
    this.blockQueries = opts.blockQueries ?? BLOCK_QUERIES;
    this.chunkQueries = opts.chunkQueries ?? CHUNK_QUERIES;
    if (!Number.isInteger(this.blockQueries) || this.blockQueries < 4 || this.blockQueries % 4 !== 0) throw new Error(`ExactTopK: blockQueries must be a positive multiple of 4, got ${this.blockQueries}`);
    if (!Number.isInteger(this.chunkQueries) || this.chunkQueries < 1) throw new Error(`ExactTopK: chunkQueries must be an integer >= 1, got ${this.chunkQueries}`);
    const backend = opts.backend ?? "auto";
    if (backend === "js" || (backend === "auto" && rows.length < JS_BELOW)) this.js = Float32Array.from(rows);
    else this.loadRows(rows);
  }

  private loadRows(rows: Float32Array): void {
    const { n, dim } = this;
    const P = (this.P = (dim + 1) >> 1);
    // Every |sum| <= 2P·m² must fit in int32; int16 caps m itself.
    const m = (this.m = Math.min(32767, Math.floor(Math.sqrt((2 ** 31 - 1) / (2 * P)))));
    let maxAbs = 0;
    for (let i = 0; i < rows.length; i++) maxAbs = Math.max(maxAbs, Math.abs(rows[i]));
    const sr = (this.sr = scaleFor(maxAbs, m));
    const nPad = (n + 7) & ~7;
    this.rq = PAGE_BYTES;
    this.x = this.rq + align16(nPad * P * 4 * 2);
    this.dyn = this.x + align16(n * dim * 4);
    this.memory = newMemory({ initial: pagesFor(this.dyn), maximum: MAX_PAGES, shared: true });
    const buf = this.memory.buffer;
    new Float32Array(buf, this.x, n * dim).set(rows);
    const rq = new Int16Array(buf, this.rq, (nPad >> 2) * P * 8);
    let maxResid2 = 0;
    let maxNorm2 = 0;
    for (let r = 0; r < n; r++) {
      const base = (r >> 2) * P * 8 + (r & 3) * 2;
      let resid2 = 0;
      let norm2 = 0;
      for (let j = 0; j < dim; j++) {
        const v = rows[r * dim + j];
        const scaled = v * sr; // exact: sr is a power of two
        const h = Math.round(scaled);
        rq[base + (j >> 1) * 8 + (j & 1)] = h;
        const e = (scaled - h) / sr; // exact too
        resid2 += e * e;
        norm2 += v * v;
      }
      if (resid2 > maxResid2) maxResid2 = resid2;
      if (norm2 > maxNorm2) maxNorm2 = norm2;
    }
    // Square roots of float64 sums: relative error at most (dim + 2)·u each, covered by the slack in quantizeQuery().
    this.maxResid = Math.sqrt(maxResid2);
    this.maxNorm = Math.sqrt(maxNorm2);
    this.local = instantiate<TopKKernel>("topk", this.memory);
  }

  /** The k best rows for each query (nq × dim, row-major), on up to `threads` threads. */
  search(queries: Float32Array, k: number): Promise<TopKResult> {
    // One search at a time: searches share the buffers above the rows.
    const run = this.queue.then(() => this.searchWith(queries, k, this.threads));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** search() on the calling thread alone, synchronously. */
  searchSync(queries: Float32Array, k: number): TopKResult {
    if (this.js) return this.searchJs(queries, k);
    const plan = this.plan(queries, k, 1);
    const kern = this.kernel();
    plan.parts.forEach((parts, c) => {
      plan.prepare(c);
      for (const args of parts[0] ?? []) kern.searchClaimed(...(args as ClaimArgs));
      plan.collect(c);
    });
    return plan.finish();
  }

  private searchJs(queries: Float32Array, k: number): TopKResult {
    const r = bruteForceTopK(this.js!, this.dim, queries, k);
    this.lastStats = { queries: queries.length / this.dim, candidates: 0, rescored: (queries.length / this.dim) * this.n };
    return r;
  }

  private async searchWith(queries: Float32Array, k: number, threads: number): Promise<TopKResult> {
    if (this.js) return this.searchJs(queries, k);
    const plan = this.plan(queries, k, threads);
    if (plan.parts.length > 0 && threads > 1) this.pool ??= new KernelThreads<TopKKernel>("topk", this.memory!, threads - 1);
    for (let c = 0; c < plan.parts.length; c++) {
      plan.prepare(c);
      const parts = plan.parts[c];
      if (threads > 1) await this.pool!.run("searchClaimed", parts);
      else for (const args of parts[0] ?? []) this.kernel().searchClaimed(...(args as ClaimArgs));
      plan.collect(c);
    }
    return plan.finish();
  }

  private kernel(): TopKKernel {
    if (!this.local) throw new Error("ExactTopK: disposed");
    return this.local;
  }

  /**
   * Lays out one search: chunks of queries, each a list of kernel calls per thread; prepare(c) writes chunk c's
   * queries and bounds into the memory, collect(c) copies its results out. searchSync runs the same plan.
   */
  private plan(queries: Float32Array, k: number, threads: number) {
    if (!this.memory) throw new Error("ExactTopK: disposed");
    checkK(k, this.n);
    const nq = checkQueries(queries, this.dim);
    const { n, dim, P } = this;
    const kern = this.kernel();
    // Candidate list per query: flushed (scored exactly) when full, so any size is correct; larger lists let the
    // final threshold prune more of them.
    const cap = Math.max(256, 2 * k);
    const slot = kern.stateBytes(4, k, cap) / 4;
    const qb = Math.max(4, Math.min(this.blockQueries, Math.floor(BLOCK_STATE_BYTES / slot / 4) * 4));
    const stateBytes = align16(kern.stateBytes(qb, k, cap));
    const perQuery = P * 4 + dim * 4 + 4 + k * 8;
    const chunk = Math.max(1, Math.min(this.chunkQueries, nq, Math.floor(CHUNK_BYTES / perQuery)));
    const tileRows = Math.max(8, Math.floor(TILE_BYTES / (P * 4) / 8) * 8);

    let p = this.dyn;
    const take = (bytes: number): number => {
      const at = p;
      p = align16(p + bytes);
      return at;
    };
    const qq = take((chunk + 4) * P * 4);
    const qf = take(chunk * dim * 4);
    const twoB = take(chunk * 4);
    const outIdx = take(chunk * k * 4);
    const outScore = take(chunk * k * 4);
    const stats = take(threads * 16);
    const counter = take(16);
    const states = take(threads * stateBytes);
    this.grow(p);

    const buf = () => this.memory!.buffer;
    new Float64Array(buf(), stats, threads * 2).fill(0);
    const indices = new Int32Array(nq * k);
    const scores = new Float32Array(nq * k);
    const starts: number[] = [];
    for (let c0 = 0; c0 < nq; c0 += chunk) starts.push(c0);
    // One call per thread and chunk: the threads claim the chunk's blocks between them.
    const parts = starts.map((c0) => {
      const len = Math.min(chunk, nq - c0);
      const used = Math.min(threads, Math.ceil(len / qb));
      return Array.from({ length: used }, (_, t) => [
        [counter, len, qb, this.rq, this.x, n, dim, P, tileRows, qq, qf, twoB, k, states + t * stateBytes, cap, outIdx, outScore, stats + t * 16],
      ]);
    });
    const prepare = (c: number): void => {
      const c0 = starts[c];
      const len = Math.min(chunk, nq - c0);
      const b = buf();
      new Int32Array(b, counter, 1)[0] = 0; // before the workers are posted to, which orders it before their claims
      const src = queries.subarray(c0 * dim, (c0 + len) * dim);
      new Float32Array(b, qf, len * dim).set(src);
      const q16 = new Int16Array(b, qq, (chunk + 4) * P * 2);
      q16.fill(0);
      const tb = new Int32Array(b, twoB, len);
      for (let i = 0; i < len; i++) tb[i] = this.quantizeQuery(src, i, q16);
    };
    const collect = (c: number): void => {
      const c0 = starts[c];
      const len = Math.min(chunk, nq - c0);
      const b = buf();
      indices.set(new Int32Array(b, outIdx, len * k), c0 * k);
      scores.set(new Float32Array(b, outScore, len * k), c0 * k);
    };
    const finish = (): TopKResult => {
      const st = new Float64Array(buf(), stats, threads * 2);
      let candidates = 0;
      let rescored = 0;
      for (let t = 0; t < threads; t++) {
        candidates += st[2 * t];
        rescored += st[2 * t + 1];
      }
      this.lastStats = { queries: nq, candidates, rescored };
      return { k, indices, scores };
    };
    return { parts, prepare, collect, finish };
  }

  /**
   * Writes query i of `src` as int16 (its own power-of-two scale) into slot i of q16, and returns twice the bound
   * on the gap between its integer scores and the exact ones, in integer units.
   *
   * With q = q̂/sq + δ and x = x̂/sr + ε: q·x − q̂·x̂/(sq·sr) = (q̂/sq)·ε + δ·x, so by Cauchy–Schwarz the gap is at
   * most B = ‖q̂‖/sq·max‖ε‖ + ‖δ‖·max‖x‖. The exact scores are float64 sums, within Γ = γ_dim·‖q‖·max‖x‖ of the
   * true ones. A row r of the exact top k then has A_r ≥ A_k − 2(B + Γ)·sq·sr, where A_k is the k-th best integer
   * score: k rows score A ≥ A_k, so their exact scores are ≥ A_k/(sq·sr) − B − Γ, and r's is at least theirs.
   */
  private quantizeQuery(src: Float32Array, i: number, q16: Int16Array): number {
    const { dim, P, m, sr } = this;
    let maxAbs = 0;
    for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(src[i * dim + j]));
    const sq = scaleFor(maxAbs, m);
    let hat2 = 0;
    let resid2 = 0;
    let norm2 = 0;
    const base = i * P * 2;
    for (let j = 0; j < dim; j++) {
      const v = src[i * dim + j];
      const scaled = v * sq;
      const h = Math.round(scaled);
      q16[base + j] = h;
      const e = (scaled - h) / sq;
      hat2 += h * h;
      resid2 += e * e;
      norm2 += v * v;
    }
    const gamma = (dim * U) / (1 - dim * U);
    const b = (Math.sqrt(hat2) / sq) * this.maxResid + Math.sqrt(resid2) * this.maxNorm;
    const g = gamma * Math.sqrt(norm2) * this.maxNorm;
    // The 1e-9 covers the rounding of the norms and products above (each a few hundred ulps at most).
    const z = 2 * (b + g) * sq * sr * (1 + 1e-9) + 2;
    return Math.min(2 ** 31 - 1, Math.ceil(z));
  }

  private grow(bytes: number): void {
    const mem = this.memory!;
    const need = pagesFor(bytes);
    const have = mem.buffer.byteLength / PAGE_BYTES;
    if (need > MAX_PAGES) throw new Error(`ExactTopK: ${bytes} bytes needed, more than the 4 GiB a wasm memory holds`);
    if (need > have) mem.grow(need - have);
  }

  dispose(): void {
    const pool = this.pool;
    this.pool = null;
    this.local = null;
    this.memory = null;
    void pool?.close();
  }
}

function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE_BYTES) + 1;
}
