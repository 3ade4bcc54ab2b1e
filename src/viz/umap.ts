// UMAP layouts of title vectors: umap-js 1.4's `fit` with our neighbours (src/viz/knn.ts), rebuilt for speed.
// umap-js keeps its fuzzy graph in sparse matrices keyed by "row:col" strings and its layout in arrays of arrays;
// for 65,000 titles that costs minutes even with the neighbours given (see src/bench/umap.ts). Here the fuzzy graph
// is built on typed arrays with umap-js's formulas, and the layout epochs run as a SIMD kernel
// (kernels-as/umap/layout.ts) with umap-js's schedule, gradients and learning-rate decay, in float32, and with one
// change noted there (negative samples four at a time). Engine "umap-js" runs umap-js itself on the same inputs.
import { UMAP } from "umap-js";
// Not re-exported by the package index; the curve fit for min_dist/spread is the one umap-js itself uses.
import { findABParams } from "umap-js/dist/umap";
import { Rng } from "../util/random";
import { exactNeighboursOf, knn, KnnOptions, KnnResult, knnToArrays } from "./knn";
import { Heap } from "../runtime/wasm";

/** The "umap" kernel's layout export (kernels-as/umap/layout.ts); pointers are byte offsets into the heap. */
interface LayoutKernels {
  layoutEpochs(emb: number, n: number, head: number, tail: number, E: number, eps: number, eons: number, epns: number, eonns: number, a: number, b: number, nEpochs: number, e0: number, e1: number, rng: number): void;
}

export interface UmapOptions {
  nNeighbors?: number;
  minDist?: number;
  spread?: number;
  /** Layout epochs; 0 picks umap-js's default (200 above 7,500 points, up to 500 for small sets). */
  nEpochs?: number;
  seed?: number;
  /** "wasm" (default) or "umap-js" itself (minutes for tens of thousands of points; for comparison). */
  engine?: "wasm" | "umap-js";
  knn?: KnnOptions;
  /** Neighbours already computed (k must equal nNeighbors). */
  neighbours?: KnnResult;
  /** Called now and then with (epochs done, epochs in all). */
  onProgress?: (epoch: number, nEpochs: number) => void;
}

export interface UmapLayout {
  /** n × 2, row-major. */
  coords: Float32Array;
  knnSeconds: number;
  /** Fuzzy graph and layout epochs. */
  layoutSeconds: number;
  /** The fuzzy graph's share of layoutSeconds. */
  graphSeconds: number;
  nEpochs: number;
  edges: number;
  /** The neighbours the map was drawn from (given or searched), so that callers can score them. */
  neighbours: KnnResult;
}

// umap-js's constants (umap.ts): smooth-kNN tolerance and floor on the bandwidth.
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const NEGATIVE_SAMPLE_RATE = 5;

/** umap-js's default epoch count for n points. */
export function defaultEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
}

export async function umapLayout(vectors: Float32Array, dim: number, opts: UmapOptions = {}): Promise<UmapLayout> {
  const k = opts.nNeighbors ?? 15;
  const n = vectors.length / dim;
  if (!Number.isInteger(n) || n <= k) throw new Error(`umapLayout: need more than nNeighbors=${k} whole ${dim}-dim vectors, got ${vectors.length / dim}`);
  const seed = opts.seed ?? 42;
  const t0 = performance.now();
  const nn = opts.neighbours ?? (await knn(vectors, dim, k, { seed, ...opts.knn }));
  if (nn.k !== k || nn.n !== n) throw new Error(`umapLayout: neighbours are ${nn.n} × ${nn.k}, expected ${n} × ${k}`);
  const t1 = performance.now();
  const nEpochs = opts.nEpochs || defaultEpochs(n);
  let coords: Float32Array;
  let edges = -1;
  let graphSeconds = 0;
  if (opts.engine === "umap-js") {
    const rng = new Rng(seed);
    const u = new UMAP({ nNeighbors: k, minDist: opts.minDist ?? 0.1, spread: opts.spread ?? 1, nEpochs, random: () => rng.next() });
    const { indices, distances } = knnToArrays(nn);
    u.setPrecomputedKNN(indices, distances);
    // With neighbours given, umap-js reads only the number of rows of X.
    const e = u.fit(Array.from({ length: n }, () => [] as number[]));
    coords = Float32Array.from(e.flat());
  } else {
    const g = fuzzyGraph(nn);
    graphSeconds = (performance.now() - t1) / 1000;
    coords = layout(g, n, nEpochs, opts.minDist ?? 0.1, opts.spread ?? 1, new Rng(seed), opts.onProgress);
    edges = g.head.length;
  }
  const t2 = performance.now();
  return { coords, knnSeconds: (t1 - t0) / 1000, layoutSeconds: (t2 - t1) / 1000, graphSeconds, nEpochs, edges, neighbours: nn };
}

/** Per-point bandwidth (sigma) and distance to the nearest other point (rho): umap-js's smoothKNNDistance. */
function smoothKnn(nn: KnnResult): { sigmas: Float64Array; rhos: Float64Array } {
  const { n, k, distances: D } = nn;
  const target = Math.log(k) / Math.log(2);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanOfMeans = -1;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    // localConnectivity 1: rho is the first non-zero distance.
    let rho = 0;
    for (let j = 0; j < k && rho === 0; j++) if (D[o + j] > 0) rho = D[o + j];
    rhos[i] = rho;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = D[o + j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let floor: number;
    if (rho > 0) {
      floor = MIN_K_DIST_SCALE * rowMean(D, o, k);
    } else {
      if (meanOfMeans < 0) {
        let s = 0;
        for (let r = 0; r < n; r++) s = r === 0 ? rowMean(D, 0, k) : s + rowMean(D, r * k, k);
        meanOfMeans = s / n;
      }
      floor = MIN_K_DIST_SCALE * meanOfMeans;
    }
    sigmas[i] = mid < floor ? floor : mid;
  }
  return { sigmas, rhos };
}

// Summed left to right like umap-js's utils.mean, so both engines round alike.
function rowMean(D: Float32Array, o: number, k: number): number {
  let s = D[o];
  for (let j = 1; j < k; j++) s += D[o + j];
  return s / k;
}

/** The symmetric fuzzy graph (fuzzy union, setOpMixRatio 1), edges sorted by (row, col), zero weights dropped. */
export interface FuzzyGraph {
  rows: Int32Array;
  cols: Int32Array;
  weights: Float64Array;
  /** As umap-js names them for the layout: tail = row, head = col. */
  head: Int32Array;
  tail: Int32Array;
}

export function fuzzyGraph(nn: KnnResult): FuzzyGraph {
  const { n, k, indices: I, distances: D } = nn;
  const { sigmas, rhos } = smoothKnn(nn);
  // Directed memberships, then both directions of each into one row-major list: a (row, col) pair met twice is
  // w + wT - w·wT, once is w (its transpose weighs 0).
  const m = n * k;
  const count = new Int32Array(n + 1);
  const w = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      const c = I[e];
      if (c < 0 || c === i) continue;
      const d = D[e] - rhos[i];
      w[e] = d <= 0 ? 1 : Math.exp(-(d / sigmas[i]));
      count[i + 1]++;
      count[c + 1]++;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const col = new Int32Array(count[n]);
  const val = new Float64Array(count[n]);
  const mine = new Uint8Array(count[n]); // 1: from the row's own neighbour list, 0: the transpose of another's
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      const c = I[e];
      if (c < 0 || c === i) continue;
      let p = fill[i]++;
      col[p] = c;
      val[p] = w[e];
      mine[p] = 1;
      p = fill[c]++;
      col[p] = i;
      val[p] = w[e];
    }
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const weights: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let p = count[i]; p < count[i + 1]; p++) order.push(p);
    order.sort((a, b) => col[a] - col[b] || mine[b] - mine[a]);
    for (let q = 0; q < order.length; q++) {
      const p = order[q];
      let v = val[p];
      if (q + 1 < order.length && col[order[q + 1]] === col[p]) {
        // umap-js: (a + aT) - a·aT, with a the row's own weight.
        const t = val[order[++q]];
        v = v + t - v * t;
      }
      if (v === 0) continue;
      rows.push(i);
      cols.push(col[p]);
      weights.push(v);
    }
  }
  const r = Int32Array.from(rows);
  const c = Int32Array.from(cols);
  return { rows: r, cols: c, weights: Float64Array.from(weights), head: c, tail: r };
}

/**
 * umap-js's initializeSimplicialSetEmbedding, then its optimizeLayoutStep for every epoch (2 components), the epochs
 * run by layoutEpochs in kernels-as/umap/layout.ts. `rng` continues from the embedding's initial draws.
 */
function layout(
  g: FuzzyGraph,
  n: number,
  nEpochs: number,
  minDist: number,
  spread: number,
  rng: Rng,
  onProgress?: (epoch: number, nEpochs: number) => void,
): Float32Array {
  let graphMax = 0;
  for (let i = 0; i < g.weights.length; i++) if (graphMax < g.weights[i]) graphMax = g.weights[i];
  // Edges too weak to be sampled once in nEpochs are dropped, as umap-js does.
  const keep: number[] = [];
  for (let i = 0; i < g.weights.length; i++) if (g.weights[i] >= graphMax / nEpochs) keep.push(i);
  const E = keep.length;

  const heap = new Heap<LayoutKernels>("umap");
  const emb = heap.reserve(n * 8);
  const head = heap.reserve(E * 4);
  const tail = heap.reserve(E * 4);
  const eps = heap.reserve(E * 8);
  const eons = heap.reserve(E * 8);
  const epns = heap.reserve(E * 8);
  const eonns = heap.reserve(E * 8);
  const state = heap.reserve(16);
  const kernels = heap.open();
  const h = heap.i32(head, E);
  const t = heap.i32(tail, E);
  const perSample = heap.f64(eps, E);
  const perNegative = heap.f64(epns, E);
  for (let e = 0; e < E; e++) {
    h[e] = g.head[keep[e]];
    t[e] = g.tail[keep[e]];
    perSample[e] = nEpochs / ((g.weights[keep[e]] / graphMax) * nEpochs);
    perNegative[e] = perSample[e] / NEGATIVE_SAMPLE_RATE;
  }
  heap.f64(eons, E).set(perSample);
  heap.f64(eonns, E).set(perNegative);
  const coords = heap.f32(emb, n * 2);
  for (let i = 0; i < n * 2; i++) coords[i] = rng.next() * 20 + -10;

  const { a, b } = findABParams(spread, minDist);
  const rngState = heap.i32(state, 4);
  rngState.set(rng.state());
  // One call per epoch: V8 swaps in optimised wasm only between calls (see KernelThreads).
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    kernels.layoutEpochs(emb, n, head, tail, E, eps, eons, epns, eonns, a, b, nEpochs, epoch, epoch + 1, state);
    if (epoch % 10 === 9 || epoch === nEpochs - 1) onProgress?.(epoch + 1, nEpochs);
  }
  rng.setState(rngState);
  return coords.slice();
}

export interface PreservationOptions {
  /** Points to score, drawn with `seed`; all points when the sample is at least n. Default 2,000. */
  sample?: number;
  seed?: number;
  threads?: number;
}

/**
 * Faithfulness of a 2-D map: for each scored point, the share of its k nearest neighbours in the original space
 * (cosine, exact) that are also among its k nearest in the map (Euclidean, exact), averaged. The point itself is
 * left out of both lists.
 */
export async function neighbourPreservation(vectors: Float32Array, dim: number, coords: Float32Array, k = 15, opts: PreservationOptions = {}): Promise<number> {
  const n = vectors.length / dim;
  if (coords.length !== n * 2) throw new Error(`neighbourPreservation: ${coords.length / 2} map points for ${n} vectors`);
  const size = opts.sample ?? 2000;
  const queries = size >= n ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.from(new Rng(opts.seed ?? 1).sample(Array.from({ length: n }, (_, i) => i), size)).sort();
  const high = await exactNeighboursOf(vectors, dim, queries, k, opts.threads);
  const best = new Float64Array(k);
  const bestId = new Int32Array(k);
  let hits = 0;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    const qx = coords[q * 2];
    const qy = coords[q * 2 + 1];
    // Best k kept sorted ascending by distance; the last is the one to beat.
    best.fill(Infinity);
    bestId.fill(-1);
    for (let m = 0; m < n; m++) {
      const dx = coords[m * 2] - qx;
      const dy = coords[m * 2 + 1] - qy;
      const d = dx * dx + dy * dy;
      if (d >= best[k - 1] || m === q) continue;
      let p = k - 1;
      for (; p > 0 && best[p - 1] > d; p--) {
        best[p] = best[p - 1];
        bestId[p] = bestId[p - 1];
      }
      best[p] = d;
      bestId[p] = m;
    }
    const inMap = new Set(bestId);
    for (let j = 0; j < k; j++) if (inMap.has(high[i * k + j])) hits++;
  }
  return hits / (queries.length * k);
}
