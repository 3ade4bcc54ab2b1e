// Unit title rows as int8 with one scale per row, and the exact top-k search over them, in plain JS (pure: the
// browser runs the same code). Each coordinate x is stored as q = round(x / s), s = max |x| / 127, so |x − s·q| ≤ s/2
// and a similarity q_query · x is off by at most s/2 · ‖q_query‖₁ ≤ s/2 · √dim: a quarter of the float32 size for a
// bounded, measured loss (the export records the recall of the int8 top-k against the float32 one).

export interface Int8Rows {
  n: number;
  dim: number;
  codes: Int8Array;
  scales: Float32Array;
}

export function quantizeRows(rows: Float32Array, dim: number): Int8Rows {
  const n = rows.length / dim;
  const codes = new Int8Array(rows.length);
  const scales = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let m = 0;
    for (let j = 0; j < dim; j++) m = Math.max(m, Math.abs(rows[r * dim + j]));
    // A zero row (an empty title) keeps scale 0 and similarity 0 with everything.
    const s = Math.fround(m / 127);
    scales[r] = s;
    if (s > 0) for (let j = 0; j < dim; j++) codes[r * dim + j] = Math.max(-127, Math.min(127, Math.round(rows[r * dim + j] / s)));
  }
  return { n, dim, codes, scales };
}

/** The rows as the int8 search sees them (scale × code), for measuring it with a float search. */
export function dequantizeRows(q: Int8Rows): Float32Array {
  const out = new Float32Array(q.codes.length);
  for (let r = 0; r < q.n; r++) for (let j = 0; j < q.dim; j++) out[r * q.dim + j] = q.scales[r] * q.codes[r * q.dim + j];
  return out;
}

/** The largest similarity error any unit query can see: max scale / 2 · √dim. */
export function worstCaseBound(q: Int8Rows): number {
  let m = 0;
  for (let r = 0; r < q.n; r++) m = Math.max(m, q.scales[r]);
  return (m / 2) * Math.sqrt(q.dim);
}

/** The bound for one query row: max scale / 2 · ‖query‖₁. */
export function queryBound(q: Int8Rows, query: Float32Array): number {
  let l1 = 0;
  for (const x of query) l1 += Math.abs(x);
  let m = 0;
  for (let r = 0; r < q.n; r++) m = Math.max(m, q.scales[r]);
  return (m / 2) * l1;
}

export interface TopK {
  indices: Int32Array;
  scores: Float32Array;
}

/**
 * The k rows among `candidates` (row numbers into q) with the largest similarity to a unit query, best first, ties to
 * the lower row; indices are positions in `candidates`. A similarity is scale × Σ code·query, summed in float64.
 */
export function searchInt8(q: Int8Rows, query: Float32Array, candidates: Int32Array, k: number): TopK {
  const kk = Math.min(k, candidates.length);
  const idx = new Int32Array(kk).fill(-1);
  const sc = new Float64Array(kk).fill(-Infinity);
  const dim = q.dim;
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i];
    let s = 0;
    const o = r * dim;
    for (let j = 0; j < dim; j++) s += q.codes[o + j] * query[j];
    s *= q.scales[r];
    if (s <= sc[kk - 1]) continue;
    // Insert, keeping the list sorted best first; an equal score stays after the earlier (lower) row.
    let p = kk - 1;
    while (p > 0 && sc[p - 1] < s) {
      sc[p] = sc[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    sc[p] = s;
    idx[p] = i;
  }
  return { indices: idx, scores: Float32Array.from(sc, (x) => (x === -Infinity ? 0 : x)) };
}
