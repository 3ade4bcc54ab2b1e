// The labelled training titles as rows to search: a title's k most similar rows by cosine. Rows of an embedding
// (60–400 numbers, all non-zero) are searched by exact brute force (ExactTopK, SIMD); rows of hashed char TF-IDF
// (4,096 buckets, a few dozen non-zero) by their postings, touching only the rows that share an n-gram with the
// query — the same exact answer for a few percent of the work.
import { normalizeRows } from "../representatives/similarity";
import { ExactTopK } from "./exact-topk";

/** Row-major [queries × k]: row indices best first (-1 where fewer than k rows exist) and their cosines. */
export interface Hits {
  k: number;
  indices: Int32Array;
  scores: Float32Array;
}

export interface VectorIndex {
  readonly n: number;
  readonly dim: number;
  readonly kind: "dense" | "sparse";
  search(queries: Float32Array, k: number): Promise<Hits>;
  dispose(): void;
}


/**
 * Share of the rows above which a bucket counts as common in sparse search (see SparseRows.index). Measured on the
 * char TF-IDF rows of the training titles, 1,000 dev queries, k = 50: 173 queries/s with no bucket common, 456 at
 * 0.2, 583 at 0.1, 202 at 0.05 (the bound grows loose and too many rows are scored exactly).
 */
const SPARSE_COMMON_SHARE = 0.1;

/** Rows with fewer non-zeros than this share are kept and searched as postings. */
const SPARSE_BELOW = 0.05;

/** Titles encoded once, dense or sparse by what the model gives, to index in subsets (one per category type). */
export interface TitleRows {
  n: number;
  dim: number;
  dense?: Float32Array;
  sparse?: { starts: Int32Array; cols: Int32Array; vals: Float32Array };
}

/**
 * Encodes titles with the model in batches (a 4,096-bucket TF-IDF matrix of 55k titles would take 900 MB at once),
 * as unit rows: any model's rows are compared by cosine. For the Siamese model with a cosine merge that is its own
 * similarity up to a monotone map, so the nearest titles are the same.
 */
export async function encodeTitles(model: { dim: number; encode(t: readonly string[]): Promise<Float32Array> }, titles: readonly string[], batch = 4096): Promise<TitleRows> {
  const dim = model.dim;
  if (titles.length === 0) throw new Error("encodeTitles: no titles to encode");
  const first = normalizeRows(await model.encode(titles.slice(0, batch)), dim);
  let nz = 0;
  for (let i = 0; i < first.length; i++) if (first[i] !== 0) nz++;
  if (nz / first.length >= SPARSE_BELOW) {
    const all = new Float32Array(titles.length * dim);
    all.set(first);
    for (let from = batch; from < titles.length; from += batch) all.set(normalizeRows(await model.encode(titles.slice(from, from + batch)), dim), from * dim);
    return { n: titles.length, dim, dense: all };
  }
  const starts = [0];
  const cols: number[] = [];
  const vals: number[] = [];
  const append = (X: Float32Array): void => {
    for (let r = 0; r < X.length / dim; r++) {
      for (let j = 0; j < dim; j++) {
        const v = X[r * dim + j];
        if (v !== 0) {
          cols.push(j);
          vals.push(v);
        }
      }
      starts.push(cols.length);
    }
  };
  append(first);
  for (let from = batch; from < titles.length; from += batch) append(normalizeRows(await model.encode(titles.slice(from, from + batch)), dim));
  return { n: titles.length, dim, sparse: { starts: Int32Array.from(starts), cols: Int32Array.from(cols), vals: Float32Array.from(vals) } };
}

/** Rows `ids` of the encoded titles (all when absent) as a dense matrix, e.g. for a trained head. */
export function denseRows(rows: TitleRows, ids?: ArrayLike<number>): Float32Array {
  const { dim } = rows;
  const m = ids ? ids.length : rows.n;
  const out = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) {
    const r = ids ? ids[i] : i;
    if (rows.dense) out.set(rows.dense.subarray(r * dim, (r + 1) * dim), i * dim);
    else {
      const s = rows.sparse!;
      for (let p = s.starts[r]; p < s.starts[r + 1]; p++) out[i * dim + s.cols[p]] = s.vals[p];
    }
  }
  return out;
}

/** An index over rows `ids` of the encoded titles (all when absent); hit indices count within `ids`. */
export function buildIndex(rows: TitleRows, ids?: ArrayLike<number>, opts: { threads?: number } = {}): VectorIndex {
  if (rows.dense) return denseIndex(ids ? denseRows(rows, ids) : rows.dense, rows.dim, opts);
  const s = rows.sparse!;
  const sub = new SparseRows(rows.dim);
  const m = ids ? ids.length : rows.n;
  for (let i = 0; i < m; i++) {
    const r = ids ? ids[i] : i;
    sub.appendSparse(s.cols.subarray(s.starts[r], s.starts[r + 1]), s.vals.subarray(s.starts[r], s.starts[r + 1]));
  }
  return sub.index();
}

export function denseIndex(rows: Float32Array, dim: number, opts: { threads?: number } = {}): VectorIndex {
  const search = new ExactTopK(rows, dim, { threads: opts.threads });
  return {
    n: rows.length / dim,
    dim,
    kind: "dense",
    async search(queries, k) {
      if (queries.length % dim !== 0) throw new Error(`search: ${queries.length} floats is not a whole number of ${dim}-dim queries`);
      const kk = Math.min(k, rows.length / dim);
      const r = await search.search(normalizeRows(Float32Array.from(queries), dim), kk);
      return pad(r.indices, r.scores, queries.length / dim, kk, k);
    },
    dispose: () => search.dispose(),
  };
}

function pad(indices: Int32Array, scores: Float32Array, nq: number, kk: number, k: number): Hits {
  if (kk === k) return { k, indices, scores };
  const I = new Int32Array(nq * k).fill(-1);
  const S = new Float32Array(nq * k);
  for (let q = 0; q < nq; q++) {
    I.set(indices.subarray(q * kk, (q + 1) * kk), q * k);
    S.set(scores.subarray(q * kk, (q + 1) * kk), q * k);
  }
  return { k, indices: I, scores: S };
}

/** Rows kept as (bucket, weight) lists, then turned into postings: bucket → rows holding it, with weights. */
class SparseRows {
  private cols: number[] = [];
  private vals: number[] = [];
  private starts: number[] = [0];

  constructor(readonly dim: number) {}

  appendSparse(cols: ArrayLike<number>, vals: ArrayLike<number>): void {
    for (let p = 0; p < cols.length; p++) {
      this.cols.push(cols[p]);
      this.vals.push(vals[p]);
    }
    this.starts.push(this.cols.length);
  }

  index(): VectorIndex {
    const dim = this.dim;
    const n = this.starts.length - 1;
    const counts = new Int32Array(dim + 1);
    for (const c of this.cols) counts[c + 1]++;
    for (let j = 0; j < dim; j++) counts[j + 1] += counts[j];
    const postRow = new Int32Array(this.cols.length);
    const postVal = new Float32Array(this.cols.length);
    const fill = counts.slice(0, dim);
    for (let r = 0; r < n; r++) {
      for (let p = this.starts[r]; p < this.starts[r + 1]; p++) {
        const at = fill[this.cols[p]]++;
        postRow[at] = r;
        postVal[at] = this.vals[p];
      }
    }
    const rowStart = Int32Array.from(this.starts);
    const rowCol = Int32Array.from(this.cols);
    const rowVal = Float32Array.from(this.vals);
    this.cols = [];
    this.vals = [];
    // Buckets held by many rows (single letters, "er", "an") make most of the postings but little of any cosine.
    // They are left out of the accumulation; by Cauchy–Schwarz their share of a row's cosine is at most
    // |q_common|·|x_common|, so only rows whose partial score plus that bound can still reach the k best are scored
    // exactly, from their own few dozen non-zeros. The answer is the same as scoring every row.
    const common = new Uint8Array(dim);
    for (let j = 0; j < dim; j++) common[j] = counts[j + 1] - counts[j] > Math.max(64, n * SPARSE_COMMON_SHARE) ? 1 : 0;
    const commonNorm = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      let s2 = 0;
      for (let p = rowStart[r]; p < rowStart[r + 1]; p++) if (common[rowCol[p]]) s2 += rowVal[p] * rowVal[p];
      commonNorm[r] = Math.sqrt(s2);
    }
    // Rows by decreasing common norm: rows sharing no rare bucket with a query are visited in this order, stopping
    // at the first whose bound cannot reach the k-th best.
    const byCommonNorm = Int32Array.from({ length: n }, (_, r) => r).sort((x, y) => commonNorm[y] - commonNorm[x] || x - y);
    const exact = (q: Float32Array, at: number, r: number): number => {
      let s = 0;
      for (let p = rowStart[r]; p < rowStart[r + 1]; p++) s += q[at + rowCol[p]] * rowVal[p];
      return s;
    };
    return {
      n,
      dim,
      kind: "sparse",
      async search(queries, k) {
        if (queries.length % dim !== 0) throw new Error(`search: ${queries.length} floats is not a whole number of ${dim}-dim queries`);
        if (!(Number.isInteger(k) && k >= 1)) throw new Error(`search: k must be a positive integer, got ${k}`);
        const nq = queries.length / dim;
        const q = normalizeRows(Float32Array.from(queries), dim);
        const acc = new Float32Array(n);
        const touched = new Int32Array(n);
        const isTouched = new Uint8Array(n);
        const indices = new Int32Array(nq * k).fill(-1);
        const scores = new Float32Array(nq * k);
        const byPartial = new TopList(k);
        const top = new TopList(k);
        const EPS = 1e-5;
        for (let i = 0; i < nq; i++) {
          const at = i * dim;
          let nt = 0;
          let qc2 = 0;
          for (let j = 0; j < dim; j++) {
            const w = q[at + j];
            if (w === 0) continue;
            if (common[j]) {
              qc2 += w * w;
              continue;
            }
            for (let p = counts[j]; p < counts[j + 1]; p++) {
              const r = postRow[p];
              if (!isTouched[r]) {
                isTouched[r] = 1;
                touched[nt++] = r;
              }
              acc[r] += w * postVal[p];
            }
          }
          const qc = Math.sqrt(qc2);
          top.reset();
          byPartial.reset();
          for (let t = 0; t < nt; t++) byPartial.offer(acc[touched[t]] + qc * commonNorm[touched[t]], touched[t]);
          for (let t = 0; t < byPartial.size; t++) {
            const r = byPartial.row(t);
            const e = exact(q, at, r);
            if (e > 0) top.offer(e, r);
            acc[r] = -Infinity; // scored
          }
          for (let t = 0; t < nt; t++) {
            const r = touched[t];
            if (acc[r] !== -Infinity && (top.size < k || acc[r] + qc * commonNorm[r] + EPS >= top.worst())) {
              const e = exact(q, at, r);
              if (e > 0) top.offer(e, r);
            }
          }
          if (qc > 0) {
            for (let t = 0; t < n; t++) {
              const r = byCommonNorm[t];
              if (top.size === k && qc * commonNorm[r] + EPS < top.worst()) break;
              if (isTouched[r]) continue;
              const e = exact(q, at, r);
              if (e > 0) top.offer(e, r);
            }
          }
          for (let t = 0; t < nt; t++) {
            acc[touched[t]] = 0;
            isTouched[touched[t]] = 0;
          }
          top.write(indices, scores, i * k);
        }
        return { k, indices, scores };
      },
      dispose() {},
    };
  }
}

/** The k best (score, row) pairs seen, as a small sorted array: best first, ties to the lower row. */
class TopList {
  private s: Float32Array;
  private r: Int32Array;
  private m = 0;

  constructor(readonly k: number) {
    this.s = new Float32Array(k);
    this.r = new Int32Array(k);
  }

  reset(): void {
    this.m = 0;
  }

  get size(): number {
    return this.m;
  }

  row(i: number): number {
    return this.r[i];
  }

  /** The k-th best score so far (meaningful once size reaches k). */
  worst(): number {
    return this.s[this.m - 1];
  }

  offer(score: number, row: number): void {
    const { k, s, r } = this;
    if (this.m === k && !(score > s[k - 1] || (score === s[k - 1] && row < r[k - 1]))) return;
    let i = this.m < k ? this.m++ : k - 1;
    while (i > 0 && (score > s[i - 1] || (score === s[i - 1] && row < r[i - 1]))) {
      s[i] = s[i - 1];
      r[i] = r[i - 1];
      i--;
    }
    s[i] = score;
    r[i] = row;
  }

  write(indices: Int32Array, scores: Float32Array, at: number): void {
    for (let i = 0; i < this.m; i++) {
      indices[at + i] = this.r[i];
      scores[at + i] = this.s[i];
    }
  }
}
