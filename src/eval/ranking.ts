// Ranking metrics computed as trec_eval does: runs sorted by score (descending) with ties broken by document id
// (descending, trec_eval's order), cut at `depth` (100 in MELO's protocol); MAP, recip_rank, P@5, R@10 and
// nDCG@10 with binary gains, averaged over every query that has relevant documents.

export interface RankedDoc {
  id: string;
  score: number;
}

export interface RankingMetrics {
  queries: number;
  map: number;
  mrr: number;
  p5: number;
  r10: number;
  ndcg10: number;
}

/** trec_eval's order: higher score first; equal scores by docno, descending. */
export function trecSort(docs: RankedDoc[]): RankedDoc[] {
  return docs.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export interface QueryMetrics {
  ap: number;
  rr: number;
  p5: number;
  r10: number;
  ndcg10: number;
}

/** Metrics of one ranked list (already in rank order and cut to depth). */
export function queryMetrics(ranked: readonly string[], relevant: ReadonlySet<string>): QueryMetrics {
  const R = relevant.size;
  let hits = 0;
  let sumPrec = 0;
  let rr = 0;
  let hits5 = 0;
  let hits10 = 0;
  let dcg = 0;
  ranked.forEach((id, k) => {
    if (!relevant.has(id)) return;
    hits++;
    sumPrec += hits / (k + 1);
    if (rr === 0) rr = 1 / (k + 1);
    if (k < 5) hits5++;
    if (k < 10) {
      hits10++;
      dcg += 1 / Math.log2(k + 2);
    }
  });
  let idcg = 0;
  for (let k = 0; k < Math.min(R, 10); k++) idcg += 1 / Math.log2(k + 2);
  return {
    ap: R ? sumPrec / R : 0,
    rr,
    p5: hits5 / 5,
    r10: R ? hits10 / R : 0,
    ndcg10: idcg ? dcg / idcg : 0,
  };
}

/** Averages per-query metrics over the queries that have relevance judgements (trec_eval's default). */
export function rankingMetrics(runs: Map<string, readonly string[]>, qrels: Map<string, Set<string>>): RankingMetrics {
  const acc = { map: 0, mrr: 0, p5: 0, r10: 0, ndcg10: 0 };
  let n = 0;
  for (const [qid, relevant] of qrels) {
    if (relevant.size === 0) continue;
    const m = queryMetrics(runs.get(qid) ?? [], relevant);
    acc.map += m.ap;
    acc.mrr += m.rr;
    acc.p5 += m.p5;
    acc.r10 += m.r10;
    acc.ndcg10 += m.ndcg10;
    n++;
  }
  const avg = (x: number): number => (n ? x / n : 0);
  return { queries: n, map: avg(acc.map), mrr: avg(acc.mrr), p5: avg(acc.p5), r10: avg(acc.r10), ndcg10: avg(acc.ndcg10) };
}

/**
 * Top `depth` documents of one query from a dense score array, in trec_eval order. Selection keeps a small
 * sorted buffer instead of sorting all scores: corpora have tens of thousands of elements and depth is 100.
 */
export function topK(scores: Float32Array | Float64Array, ids: readonly string[], depth: number): string[] {
  const n = scores.length;
  const k = Math.min(depth, n);
  const heapIdx: number[] = [];
  // Entry order: worse = lower score, or equal score and smaller id (trec_eval ranks larger ids first).
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && ids[a] < ids[b]);
  for (let i = 0; i < n; i++) {
    if (heapIdx.length < k) {
      heapIdx.push(i);
      siftUp(heapIdx, heapIdx.length - 1, worse);
    } else if (worse(heapIdx[0], i)) {
      heapIdx[0] = i;
      siftDown(heapIdx, 0, worse);
    }
  }
  heapIdx.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return heapIdx.map((i) => ids[i]);
}

function siftUp(h: number[], i: number, worse: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function siftDown(h: number[], i: number, worse: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && worse(h[l], h[m])) m = l;
    if (r < h.length && worse(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}
