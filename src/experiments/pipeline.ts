// The one shape every method's experiment has: train (or build) the model inside a registry run, evaluate it with
// the shared suite on dev and test, rank MELO with it where it ranks, and record all of it in the run. Notebooks
// 01-06, `jtlab train` and `jtlab eval` call this instead of wiring the steps by hand; a method only says how to
// train, how to predict and how to rank (src/experiments/methods.ts).
import { Predictor, RankingMethod } from "../core/types";
import { loadMelo } from "../data/melo";
import { Datasets, loadDatasets } from "../datasets/build";
import { RankingResult, runRanking } from "../eval/ranking-run";
import { evaluateSuite, SuiteResult } from "../eval/suite";
import { RunMetrics } from "./metrics";
import { rankingScores, suiteMetrics } from "./record";
import { Run, startRun } from "./registry";

export interface TrainContext {
  run: Run;
  datasets: Datasets;
  log: (line: string) => void;
}

export interface MethodSpec<M, P extends Predictor = Predictor> {
  /** The registry's method name ("heuristic", "word2vec", "siamese-char", …): what "latest run" queries ask for. */
  method: string;
  /** The run folder's name; the method by default. */
  name?: string;
  /** "train" when the run holds a trained model, "eval" when the method has nothing to train. */
  kind: "train" | "eval";
  params: Record<string, unknown>;
  seed?: number | null;
  /** The tfjs backend the trained model ran on, for methods that use one. */
  backend?(model: M): string;
  /** Trains or builds the model; may save artifacts into the run and log training metrics on it. */
  train(ctx: TrainContext): Promise<M> | M;
  predictor(model: M, datasets: Datasets): P | Promise<P>;
  /** The model as a MELO ranking method; absent for methods that cannot rank titles. */
  ranking?(model: M): RankingMethod;
  /** A second ranking recorded as meloFusion (the model fused with char TF-IDF). */
  fusion?(model: M): RankingMethod;
}

export interface Experiment<M, P extends Predictor = Predictor> {
  /** Finished; `run.log` can still add figures measured afterwards (e.g. a side-by-side). */
  run: Run;
  model: M;
  predictor: P;
  dev: SuiteResult;
  test: SuiteResult;
  melo: RankingResult | null;
  meloFusion: RankingResult | null;
}

export interface ExperimentOptions {
  datasets?: Datasets;
  /** Rank MELO (default: when the method ranks). */
  melo?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs a method's whole experiment in one registry run. Role and industry are evaluated on dev (for tuning) and
 * test (for reporting), Level on the gold half of the same name. A failure records the run as failed and rethrows.
 */
export async function runExperiment<M, P extends Predictor = Predictor>(spec: MethodSpec<M, P>, opts: ExperimentOptions = {}): Promise<Experiment<M, P>> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const run = startRun({ name: spec.name ?? spec.method, method: spec.method, kind: spec.kind, params: spec.params, seed: spec.seed ?? null });
  try {
    const datasets = opts.datasets ?? loadDatasets();
    const model = await spec.train({ run, datasets, log });
    if (spec.backend) run.setBackend(spec.backend(model));
    const predictor = await spec.predictor(model, datasets);
    const dev = await evaluateSuite(predictor, datasets, { split: "dev", levelSplit: "dev" });
    const test = await evaluateSuite(predictor, datasets, { split: "test", levelSplit: "test" });
    const metrics: RunMetrics = suiteMetrics([dev, test]);
    let melo: RankingResult | null = null;
    let meloFusion: RankingResult | null = null;
    if (spec.ranking && opts.melo !== false) {
      const bench = loadMelo();
      melo = await runRanking(bench, spec.ranking(model));
      metrics.melo = rankingScores(melo);
      if (spec.fusion) {
        meloFusion = await runRanking(bench, spec.fusion(model));
        metrics.meloFusion = rankingScores(meloFusion);
      }
    }
    run.finish(metrics);
    return { run, model, predictor, dev, test, melo, meloFusion };
  } catch (e) {
    run.fail(e);
    throw e;
  }
}
