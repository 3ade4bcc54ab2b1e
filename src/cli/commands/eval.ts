// `jtlab eval melo|ranking`: ranking benchmarks in MELO's format, scored like trec_eval. `jtlab eval invariances`:
// the invariance suite (data/gold/invariances.tsv) for every method with a similarity model.
import { loadMelo, loadRankingBenchmark } from "../../data/melo";
import { loadDatasets } from "../../datasets/build";
import { INVARIANCE_FAILURES_KEPT, InvarianceResult, invarianceTable } from "../../eval/invariances";
import { INVARIANCE_METHODS, runInvariances } from "../../experiments/invariances";
import { rankingMethod, rankingMethodNames } from "../../experiments/ranking-methods";
import { RankingResult, runRanking } from "../../eval/ranking-run";
import { tableText } from "../../runtime/display";
import { num, parse, UsageError } from "../args";

const USAGE =
  "jtlab eval melo --method M [--run ID] [--json]\n" +
  "       jtlab eval ranking --queries Q.tsv --corpus C.tsv --qrels A.tsv --method M [--run ID] [--json]\n" +
  `       jtlab eval invariances [--method ${INVARIANCE_METHODS.join("|")}] [--run ID] [--json] [--failures N]`;

export async function evalCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === "invariances") return invariancesCommand(rest);
  if (what !== "melo" && what !== "ranking") throw new UsageError(`unknown benchmark ${JSON.stringify(what ?? "")}\n\nusage: ${USAGE}`);
  // MELO brings its own files; any other benchmark names them.
  const shared = { method: { type: "string" }, run: { type: "string" }, json: { type: "boolean" } } as const;
  const files = { queries: { type: "string" }, corpus: { type: "string" }, qrels: { type: "string" } } as const;
  const values: { method?: string; run?: string; json?: boolean; queries?: string; corpus?: string; qrels?: string } =
    what === "melo" ? parse(rest, shared, USAGE).values : parse(rest, { ...shared, ...files }, USAGE).values;
  if (!values.method) throw new UsageError(`--method is required (one of: ${rankingMethodNames().join(", ")})\n\nusage: ${USAGE}`);
  const method = rankingMethod(values.method, { run: values.run });
  let bench;
  if (what === "melo") bench = loadMelo();
  else {
    const { queries, corpus, qrels } = values;
    if (!queries || !corpus || !qrels) throw new UsageError(`eval ranking needs --queries, --corpus and --qrels\n\nusage: ${USAGE}`);
    bench = loadRankingBenchmark(queries, corpus, qrels);
  }
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

/** `jtlab eval invariances`: per method, the overall pass rates and AUC, then the pass rate per transformation. */
async function invariancesCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { method: { type: "string", multiple: true }, run: { type: "string" }, json: { type: "boolean" }, failures: { type: "string" } },
    USAGE,
  );
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}\n\nusage: ${USAGE}`);
  const methods = (values.method ?? []).flatMap((m) => m.split(",")).filter((m) => m !== "");
  for (const m of methods) {
    if (!(INVARIANCE_METHODS as readonly string[]).includes(m)) throw new UsageError(`--method must be one of ${INVARIANCE_METHODS.join(", ")}, got ${JSON.stringify(m)}`);
  }
  const failures = num(values.failures, "failures", values.json ? INVARIANCE_FAILURES_KEPT : 10);
  if (!Number.isInteger(failures) || failures < 0) throw new UsageError("--failures expects a whole number of at least 0");
  const log = (l: string): void => void process.stderr.write(l + "\n");
  // evaluateInvariances keeps the `failures` worst pairs of each expect.
  const results = await runInvariances(loadDatasets(), { methods, run: values.run, failures, log });
  if (!results.length) throw new Error("no method with a similarity model could be loaded");
  if (values.json) {
    console.log(JSON.stringify(results.map(roundResult)));
    return;
  }
  for (const r of results) {
    console.log(`${r.method}${r.runId ? `  run ${r.runId}` : ""}  (${r.similarPairs} similar, ${r.differentPairs} different pairs, ${r.seconds.toFixed(2)} s)`);
    console.log(
      `similar pass ${(100 * r.similarPassRate).toFixed(1)}% (above the different pairs' median ${r.differentMedian.toFixed(3)})  ` +
        `different pass ${(100 * r.differentPassRate).toFixed(1)}% (below the similar pairs' median ${r.similarMedian.toFixed(3)})  AUC ${r.auc.toFixed(3)}`,
    );
    const fix = (x: number | null | undefined, d: number): string => (typeof x === "number" && !Number.isNaN(x) ? x.toFixed(d) : "");
    const overall = invarianceTable([r]).slice(0, 3).map((row) => ({ ...row, "pass %": fix(row[r.method] as number | null, 1), "mean similarity": "" }));
    const groups = r.byTransformation.map((g) => ({ transformation: g.transformation, expect: g.expect, pairs: g.pairs, "pass %": fix(100 * g.passRate, 1), "mean similarity": fix(g.meanSimilarity, 3) }));
    console.log(tableText([...overall, ...groups], { columns: ["transformation", "expect", "pairs", "pass %", "mean similarity"] }));
    if (r.failures.length) {
      console.log(`worst failures (up to ${failures} of each):`);
      for (const f of r.failures) console.log(`  ${f.similarity.toFixed(3)}  ${f.expect.padEnd(9)} ${f.transformation.padEnd(15)} ${JSON.stringify(f.a)} / ${JSON.stringify(f.b)}`);
    }
    console.log("");
  }
}

function roundResult(r: InvarianceResult): InvarianceResult {
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    ...r,
    similarPassRate: round(r.similarPassRate),
    differentPassRate: round(r.differentPassRate),
    differentMedian: round(r.differentMedian),
    similarMedian: round(r.similarMedian),
    auc: round(r.auc),
    seconds: Math.round(r.seconds * 1000) / 1000,
    byTransformation: r.byTransformation.map((g) => ({ ...g, passRate: round(g.passRate), meanSimilarity: round(g.meanSimilarity) })),
    failures: r.failures.map((f) => ({ ...f, similarity: round(f.similarity) })),
  };
}
