// The invariance suite (data/gold/invariances.tsv) for any title-similarity model: pairs that must stay similar
// (the same job written another way) should score above the typical different pair, and pairs that must not be
// similar (different jobs that look alike) below the typical similar pair. The thresholds come from the model's
// own scores, so that models with different similarity scales compare fairly; AUC says the same without one.
import { Row, SimilarityModel } from "../core/types";
import { DIFFERENT_TRANSFORMATIONS, InvarianceExpect, InvariancePair, SIMILAR_TRANSFORMATIONS } from "../datasets/invariances";
import { seriesColour } from "../viz/figure-rules";
import { TITLE_STANDOFF } from "../viz/charts";
import { Figure } from "../viz/plotly";

export interface InvarianceGroup {
  transformation: string;
  expect: InvarianceExpect;
  pairs: number;
  passRate: number;
  meanSimilarity: number;
}

export interface InvarianceFailure {
  a: string;
  b: string;
  transformation: string;
  expect: InvarianceExpect;
  similarity: number;
}

export interface InvarianceResult {
  method: string;
  runId?: string;
  similarPairs: number;
  differentPairs: number;
  /** Share of `similar` pairs scoring strictly above `differentMedian`. */
  similarPassRate: number;
  /** Share of `different` pairs scoring strictly below `similarMedian`. */
  differentPassRate: number;
  differentMedian: number;
  similarMedian: number;
  /** Probability that a random similar pair scores above a random different pair (ties count half). */
  auc: number;
  byTransformation: InvarianceGroup[];
  /** The worst failing pairs of each expect, worst first: similar pairs lowest first, different pairs highest first. */
  failures: InvarianceFailure[];
  seconds: number;
}

export const INVARIANCE_FAILURES_KEPT = 25;

const ROWS_PER_BLOCK = 512;

/** Each pair's similarity: every distinct title is encoded once, then compared in blocks of rows. */
export async function pairSimilarities(model: SimilarityModel, pairs: readonly { a: string; b: string }[]): Promise<Float64Array> {
  const index = new Map<string, number>();
  for (const p of pairs) for (const t of [p.a, p.b]) if (!index.has(t)) index.set(t, index.size);
  const titles = [...index.keys()];
  const out = new Float64Array(pairs.length);
  if (titles.length === 0) return out;
  const rows = await model.encode(titles);
  const dim = rows.length / titles.length;
  // Pairs grouped by the block of their first title: one similarity call per block, against every title.
  const byBlock = new Map<number, number[]>();
  pairs.forEach((p, k) => {
    const blk = Math.floor(index.get(p.a)! / ROWS_PER_BLOCK);
    if (!byBlock.has(blk)) byBlock.set(blk, []);
    byBlock.get(blk)!.push(k);
  });
  for (const [blk, ks] of byBlock) {
    const start = blk * ROWS_PER_BLOCK;
    const end = Math.min(titles.length, start + ROWS_PER_BLOCK);
    const sims = model.similarityMatrix(rows.slice(start * dim, end * dim), rows);
    for (const k of ks) out[k] = sims[(index.get(pairs[k].a)! - start) * titles.length + index.get(pairs[k].b)!];
  }
  return out;
}

export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** P(a random positive scores above a random negative), ties half: the Mann–Whitney statistic from mid-ranks. */
export function aucOf(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return NaN;
  const all = [...Array.from(positives, (v) => ({ v, pos: true })), ...Array.from(negatives, (v) => ({ v, pos: false }))].sort((x, y) => x.v - y.v);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].v === all[i].v) j++;
    const mid = (i + 1 + j) / 2; // mean of the 1-based ranks i+1 … j
    for (let k = i; k < j; k++) if (all[k].pos) rankSum += mid;
    i = j;
  }
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Transformations in the file's canonical order, then any others in the order first seen. */
function transformationOrder(pairs: readonly InvariancePair[]): { transformation: string; expect: InvarianceExpect }[] {
  const seen = new Set<string>();
  const out: { transformation: string; expect: InvarianceExpect }[] = [];
  const add = (transformation: string, expect: InvarianceExpect): void => {
    const key = `${expect}\u0000${transformation}`;
    if (seen.has(key) || !pairs.some((p) => p.expect === expect && p.transformation === transformation)) return;
    seen.add(key);
    out.push({ transformation, expect });
  };
  for (const t of SIMILAR_TRANSFORMATIONS) add(t, "similar");
  for (const t of DIFFERENT_TRANSFORMATIONS) add(t, "different");
  for (const p of pairs) add(p.transformation, p.expect);
  return out;
}

export async function evaluateInvariances(
  model: SimilarityModel,
  pairs: readonly InvariancePair[],
  opts: { method?: string; runId?: string; failures?: number } = {},
): Promise<InvarianceResult> {
  const t0 = performance.now();
  const sims = await pairSimilarities(model, pairs);
  const of = (e: InvarianceExpect): number[] => pairs.flatMap((p, i) => (p.expect === e ? [sims[i]] : []));
  const similar = of("similar");
  const different = of("different");
  const differentMedian = median(different);
  const similarMedian = median(similar);
  const passes = (p: InvariancePair, s: number): boolean => (p.expect === "similar" ? s > differentMedian : s < similarMedian);
  const rate = (e: InvarianceExpect): number => {
    const idx = pairs.flatMap((p, i) => (p.expect === e ? [i] : []));
    return idx.length ? idx.filter((i) => passes(pairs[i], sims[i])).length / idx.length : NaN;
  };
  const byTransformation = transformationOrder(pairs).map(({ transformation, expect }) => {
    const idx = pairs.flatMap((p, i) => (p.expect === expect && p.transformation === transformation ? [i] : []));
    return {
      transformation,
      expect,
      pairs: idx.length,
      passRate: idx.filter((i) => passes(pairs[i], sims[i])).length / idx.length,
      meanSimilarity: mean(idx.map((i) => sims[i])),
    };
  });
  const keep = opts.failures ?? INVARIANCE_FAILURES_KEPT;
  const failed = (e: InvarianceExpect): InvarianceFailure[] =>
    pairs
      .flatMap((p, i) => (p.expect === e && !passes(p, sims[i]) ? [{ a: p.a, b: p.b, transformation: p.transformation, expect: p.expect, similarity: sims[i] }] : []))
      .sort((x, y) => (e === "similar" ? x.similarity - y.similarity : y.similarity - x.similarity))
      .slice(0, keep);
  return {
    method: opts.method ?? model.name,
    ...(opts.runId ? { runId: opts.runId } : {}),
    similarPairs: similar.length,
    differentPairs: different.length,
    similarPassRate: rate("similar"),
    differentPassRate: rate("different"),
    differentMedian,
    similarMedian,
    auc: aucOf(similar, different),
    byTransformation,
    failures: [...failed("similar"), ...failed("different")],
    seconds: (performance.now() - t0) / 1000,
  };
}

const pct = (x: number): number => Math.round(x * 1000) / 10;

/** A method's column name: the method, with its run when two columns would otherwise share a name. */
function columnNames(results: readonly InvarianceResult[]): string[] {
  const names = results.map((r) => r.method);
  return results.map((r, i) => (names.filter((n) => n === r.method).length > 1 && r.runId ? `${r.method} (${r.runId})` : names[i]));
}

/**
 * Rows of pass rates (%, one decimal), one column per method: the overall similar and different pass rates and the
 * AUC (×100) first, then one row per transformation.
 */
export function invarianceTable(results: readonly InvarianceResult[]): Row[] {
  const cols = columnNames(results);
  const first = results[0];
  if (!first) return [];
  const row = (transformation: string, expect: string, pairs: number | string, value: (r: InvarianceResult) => number): Row => {
    const out: Row = { transformation, expect, pairs };
    results.forEach((r, i) => (out[cols[i]] = Number.isNaN(value(r)) ? null : pct(value(r))));
    return out;
  };
  const rows: Row[] = [
    row("all similar pairs", "similar", first.similarPairs, (r) => r.similarPassRate),
    row("all different pairs", "different", first.differentPairs, (r) => r.differentPassRate),
    row("AUC ×100", "both", first.similarPairs + first.differentPairs, (r) => r.auc),
  ];
  const groups: { transformation: string; expect: InvarianceExpect; pairs: number }[] = [];
  for (const r of results) for (const g of r.byTransformation) if (!groups.some((x) => x.transformation === g.transformation && x.expect === g.expect)) groups.push(g);
  for (const g of groups) {
    rows.push(row(g.transformation, g.expect, g.pairs, (r) => r.byTransformation.find((x) => x.transformation === g.transformation && x.expect === g.expect)?.passRate ?? NaN));
  }
  return rows;
}

/** Grouped horizontal bars: pass rate (%) per transformation, one trace per method; the overall rates on top. */
export function invarianceFigure(results: readonly InvarianceResult[], title = "Invariance suite: pass rate per transformation"): Figure {
  const cols = columnNames(results);
  const rows = invarianceTable(results).filter((r) => r.expect !== "both");
  const label = (r: Row): string => `${r.expect === "similar" ? "≈" : "≠"} ${r.transformation} (${r.pairs})`;
  const cats = rows.map(label);
  const data = results.map((_, i) => ({
    type: "bar",
    orientation: "h",
    name: cols[i],
    y: cats,
    x: rows.map((r) => r[cols[i]] ?? null),
    marker: { color: seriesColour(i) },
    hovertemplate: "%{y}: %{x:.1f}%<extra>%{fullData.name}</extra>",
  }));
  const height = Math.max(360, (14 + 10 * results.length) * cats.length + 200);
  const margin = { l: 240, r: 40, t: 70, b: 120 };
  return {
    data,
    layout: {
      title: { text: `${title}<br><sup>≈ pairs that must stay similar, ≠ pairs that must not; (pairs) per transformation</sup>` },
      barmode: "group",
      height,
      margin,
      xaxis: { title: { text: "pass rate (% of pairs)" }, range: [0, 100], ticksuffix: "%" },
      yaxis: { title: { text: "transformation (pairs)", standoff: TITLE_STANDOFF }, autorange: "reversed", automargin: true },
      // Under the x axis's title: 70 px below the plot area, in the plot's own coordinates.
      legend: { title: { text: "method" }, orientation: "h", yanchor: "top", y: -70 / (height - margin.t - margin.b) },
    },
  };
}
