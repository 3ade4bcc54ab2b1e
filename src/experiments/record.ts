// Writing metrics into the registry through the typed schema of metrics.ts: evaluation suites, ranking benchmarks
// and training runs become the sections a run record holds, so that readers never retype or re-derive a figure.
import { RankingResult } from "../eval/ranking-run";
import { SuiteResult, TypeResult } from "../eval/suite";
import { RankingScores, RunMetrics, Split, SplitMetrics, TrainingMetrics, TypeMetrics } from "./metrics";
import { RunRecord, startRun } from "./registry";

const round = (x: number): number => Math.round(x * 10000) / 10000;

export function typeMetrics(t: TypeResult): TypeMetrics {
  return {
    n: t.n,
    accuracy: round(t.accuracy),
    macroF1: round(t.macroF1),
    coverage: round(t.coverage),
    accuracyFullCoverage: round(t.accuracyAtFullCoverage),
    macroF1FullCoverage: round(t.macroF1AtFullCoverage),
    curve: t.curve,
    confusion: { labels: t.report.labels, matrix: t.report.confusion },
    perClass: t.report.perClass.filter((c) => c.support > 0).map((c) => ({ label: c.label, f1: round(c.f1), support: c.support })),
    ...(t.reliability ? { reliability: t.reliability.filter((b) => b.count > 0).map((b) => ({ ...b, meanProb: round(b.meanProb!), accuracy: round(b.accuracy!) })), ece: round(t.ece!) } : {}),
  };
}

export function splitMetrics(r: SuiteResult): SplitMetrics {
  return {
    levelGold: r.levelSplit,
    role: typeMetrics(r.role),
    industry: typeMetrics(r.industry),
    level: r.level ? typeMetrics(r.level) : null,
    golden: r.golden,
  };
}

/** Suite results as metrics, each under its split (a later result for the same split replaces an earlier one). */
export function suiteMetrics(results: SuiteResult[]): Pick<RunMetrics, Split> {
  const out: Pick<RunMetrics, Split> = {};
  for (const r of results) out[r.split] = splitMetrics(r);
  return out;
}

export function rankingScores(r: RankingResult): RankingScores {
  const six = (x: number): number => Math.round(x * 1e6) / 1e6;
  return { map: six(r.map), mrr: six(r.mrr), p5: six(r.p5), r10: six(r.r10), ndcg10: six(r.ndcg10), seconds: Math.round(r.seconds * 1000) / 1000 };
}

/** Training figures: wall time, throughput in its unit, and the epoch history where there is one. */
export function trainingMetrics(t: TrainingMetrics): TrainingMetrics {
  return { ...t, seconds: Number(t.seconds.toFixed(2)), throughput: Math.round(t.throughput) };
}

export interface RecordOptions {
  name: string;
  method: string;
  params?: Record<string, unknown>;
  seed?: number | null;
  backend?: string | null;
  results: SuiteResult[];
  melo?: RankingResult;
  extra?: Record<string, number | string>;
}

/** An evaluation of a method that trains nothing, as one finished run. */
export function recordEvaluation(o: RecordOptions): RunRecord {
  const run = startRun({ name: o.name, method: o.method, kind: "eval", params: o.params, seed: o.seed ?? null, backend: o.backend ?? null });
  const metrics: RunMetrics = { ...suiteMetrics(o.results) };
  if (o.melo) metrics.melo = rankingScores(o.melo);
  if (o.extra) metrics.extra = o.extra;
  return run.finish(metrics);
}
