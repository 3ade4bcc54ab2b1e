// `jtlab eval melo|ranking`: ranking benchmarks in MELO's format, scored like trec_eval.
import { loadMelo, loadRankingBenchmark } from "../../data/melo";
import { rankingMethod, rankingMethodNames } from "../../experiments/ranking-methods";
import { RankingResult, runRanking } from "../../eval/ranking-run";
import { parse, UsageError } from "../args";

const USAGE =
  "jtlab eval melo --method M [--run ID] [--json]\n" +
  "       jtlab eval ranking --queries Q.tsv --corpus C.tsv --qrels A.tsv --method M [--run ID] [--json]";

export async function evalCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  const { values } = parse(
    rest,
    {
      method: { type: "string" },
      run: { type: "string" },
      json: { type: "boolean" },
      queries: { type: "string" },
      corpus: { type: "string" },
      qrels: { type: "string" },
    },
    USAGE,
  );
  if (!values.method) throw new UsageError(`--method is required (one of: ${rankingMethodNames().join(", ")})\n\nusage: ${USAGE}`);
  const method = rankingMethod(values.method, { run: values.run });
  let bench;
  if (what === "melo") bench = loadMelo();
  else if (what === "ranking") {
    if (!values.queries || !values.corpus || !values.qrels) throw new UsageError(`eval ranking needs --queries, --corpus and --qrels\n\nusage: ${USAGE}`);
    bench = loadRankingBenchmark(values.queries, values.corpus, values.qrels);
  } else throw new UsageError(`unknown benchmark ${JSON.stringify(what ?? "")}\n\nusage: ${USAGE}`);
  const r = await runRanking(bench, method);
  if (values.json) {
    console.log(JSON.stringify(jsonResult(r)));
  } else {
    console.log(`${r.benchmark}  method ${r.method}  queries ${r.queries}`);
    console.log(`MAP ${r.map.toFixed(4)}  MRR ${r.mrr.toFixed(4)}  P@5 ${r.p5.toFixed(4)}  R@10 ${r.r10.toFixed(4)}  nDCG@10 ${r.ndcg10.toFixed(4)}  (${r.seconds.toFixed(2)} s)`);
  }
}

export function jsonResult(r: RankingResult): Record<string, string | number> {
  const round = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    method: r.method,
    queries: r.queries,
    map: round(r.map),
    mrr: round(r.mrr),
    p5: round(r.p5),
    r10: round(r.r10),
    ndcg10: round(r.ndcg10),
    seconds: Math.round(r.seconds * 1000) / 1000,
  };
}
