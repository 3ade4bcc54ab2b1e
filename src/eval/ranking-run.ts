// Runs a ranking method over a benchmark in MELO's format and scores it like trec_eval.
import { RankingMethod } from "../core/types";
import { RankingBenchmark } from "../data/melo";
import { rankingMetrics, RankingMetrics, topK } from "./ranking";

/** MELO's protocol for both sides: lower-case, NFKD, drop what is not ASCII (as the reference script does). */
export function meloPrepare(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
}

export interface RankingResult extends RankingMetrics {
  method: string;
  benchmark: string;
  seconds: number;
}

export async function runRanking(bench: RankingBenchmark, method: RankingMethod, depth = 100): Promise<RankingResult> {
  const t0 = performance.now();
  const corpusText = bench.corpus.map((c) => meloPrepare(c.text));
  const ids = bench.corpus.map((c) => c.id);
  const scorer = await method.build(corpusText);
  const runs = new Map<string, string[]>();
  const scores = new Float64Array(ids.length);
  for (const q of bench.queries) {
    const s = await scorer.scoreAll(meloPrepare(q.text), scores);
    runs.set(q.id, topK(s, ids, depth));
  }
  const m = rankingMetrics(runs, bench.qrels);
  return { method: method.name, benchmark: bench.name, ...m, seconds: (performance.now() - t0) / 1000 };
}
