// The one shape every method's experiment has: train (or build) the model inside a registry run, evaluate it with
// the shared suite on dev and test, rank MELO with it where it ranks, and record all of it in the run. Notebooks
// 01-06, `jtlab train` and `jtlab eval` call this instead of wiring the steps by hand; a method only says how to
// train, how to predict and how to rank (src/experiments/methods.ts).
import { Predictor, Protocol, RankingMethod, SimilarityModel } from "../core/types";
import { loadMelo } from "../data/melo";
import { devRankingBenchmark } from "../datasets/dev-ranking";
import { Datasets, loadDatasets } from "../datasets/build";
import { loadMessyTitles, MessyTitle } from "../datasets/messy";
import { evaluateMessy, MessyMetrics } from "../eval/messy";
import { RankingResult, runRanking } from "../eval/ranking-run";
import { evaluateSuite, SuiteResult } from "../eval/suite";
import { RunMetrics } from "./metrics";
import { encodeTraining, headProtocol, HeadPredictor, neighboursProtocol, ProtocolPredictor, trainingGate } from "./protocols";
import { rankingScores, splitMetrics, suiteMetrics } from "./record";
import { Run, startRun } from "./registry";
import { writeFileAtomic } from "../io/atomic";

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
  /** The protocol of `predictor` ("representatives" unless the method has its own: rules, topics, head). */
  protocol?: Protocol;
  /** The model's title vectors, for the neighbours and head protocols; absent for methods without vectors. */
  similarity?(model: M): SimilarityModel;
  /** Further protocols a method builds itself (e.g. fastText's vote with char TF-IDF), evaluated like the others. */
  extraProtocols?(model: M, ctx: ProtocolContext): Promise<ProtocolPredictor[]>;
}

export interface ProtocolContext {
  datasets: Datasets;
  /** How every protocol answers Level: the method's own predictor. */
  level: Predictor;
  log: (line: string) => void;
}

/** A protocol of the method evaluated like its main row. */
export interface ProtocolResult {
  predictor: ProtocolPredictor;
  dev: SuiteResult;
  test: SuiteResult;
  messy: MessyMetrics;
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
  messy: MessyMetrics;
  /** The method under the neighbours and head protocols (and any the method adds). */
  protocols: ProtocolResult[];
}

export interface ExperimentOptions {
  datasets?: Datasets;
  /** Rank MELO (default: when the method ranks). */
  melo?: boolean;
  /** Protocols besides the method's own, for methods with title vectors (default: neighbours and head). */
  protocols?: ("neighbours" | "head")[];
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
    run.setDerived({ fingerprint: datasets.fingerprint, files: datasets.files ?? {} });
    const model = await spec.train({ run, datasets, log });
    if (spec.backend) run.setBackend(spec.backend(model));
    const predictor = await spec.predictor(model, datasets);
    const dev = await evaluateSuite(predictor, datasets, { split: "dev", levelSplit: "dev" });
    const test = await evaluateSuite(predictor, datasets, { split: "test", levelSplit: "test" });
    const metrics: RunMetrics = suiteMetrics([dev, test]);
    let melo: RankingResult | null = null;
    let meloFusion: RankingResult | null = null;
    if (spec.ranking) {
      // The dev split's MELO-shaped task: what similarity settings are chosen on (MELO itself is never tuned on).
      metrics.devRanking = rankingScores(await runRanking(devRankingBenchmark(datasets), spec.ranking(model)));
    }
    if (spec.ranking && opts.melo !== false) {
      const bench = loadMelo();
      melo = await runRanking(bench, spec.ranking(model));
      metrics.melo = rankingScores(melo);
      if (spec.fusion) {
        meloFusion = await runRanking(bench, spec.fusion(model));
        metrics.meloFusion = rankingScores(meloFusion);
      }
    }
    const messyItems = loadMessyTitles();
    const messy = await evaluateMessy(predictor, messyItems);
    metrics.protocol = spec.protocol ?? "representatives";
    metrics.messy = messy;
    const protocols = await evaluateProtocols(spec, model, predictor, datasets, messyItems, run, opts, log);
    const own = (predictor as Partial<ProtocolPredictor>).record;
    if (protocols.length || own) {
      metrics.protocols = {};
      // A method whose own row is a calibrated protocol (fastText) records it like the others, so it can be served.
      if (own) metrics.protocols[own.protocol] = { dev: metrics.dev!, test: metrics.test!, messy, settings: own.settings, calibration: own.calibration };
      for (const p of protocols) {
        metrics.protocols[p.predictor.record.protocol] = {
          dev: splitMetrics(p.dev),
          test: splitMetrics(p.test),
          messy: p.messy,
          settings: p.predictor.record.settings,
          calibration: p.predictor.record.calibration,
        };
      }
    }
    run.finish(metrics);
    return { run, model, predictor, dev, test, melo, meloFusion, messy, protocols };
  } catch (e) {
    run.fail(e);
    throw e;
  }
}

async function evaluateProtocols<M, P extends Predictor>(
  spec: MethodSpec<M, P>,
  model: M,
  predictor: P,
  datasets: Datasets,
  messyItems: MessyTitle[],
  run: Run,
  opts: ExperimentOptions,
  log: (line: string) => void,
): Promise<ProtocolResult[]> {
  const level: Predictor = { name: predictor.name, predict: (t, ty) => predictor.predict(t, ty) };
  const built: ProtocolPredictor[] = [];
  const wanted = opts.protocols ?? ["neighbours", "head"];
  if (spec.similarity && wanted.length) {
    const sim = spec.similarity(model);
    const t0 = performance.now();
    const rows = await encodeTraining(sim, datasets);
    log(`${spec.method}: ${rows.n} training titles encoded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const base = { name: spec.method, level, gate: trainingGate(datasets), rows, log };
    if (wanted.includes("neighbours")) built.push(await neighboursProtocol(sim, datasets, base));
    if (wanted.includes("head")) {
      const head: HeadPredictor = await headProtocol(sim, datasets, { ...base, seed: spec.seed ?? 1 });
      writeFileAtomic(run.artifact("heads", "heads.json"), JSON.stringify({ role: head.heads.role.toJSON(), industry: head.heads.industry.toJSON() }));
      built.push(head);
    }
  }
  if (spec.extraProtocols) built.push(...(await spec.extraProtocols(model, { datasets, level, log })));
  const out: ProtocolResult[] = [];
  for (const p of built) {
    const dev = await evaluateSuite(p, datasets, { split: "dev", levelSplit: "dev" });
    const test = await evaluateSuite(p, datasets, { split: "test", levelSplit: "test" });
    out.push({ predictor: p, dev, test, messy: await evaluateMessy(p, messyItems) });
  }
  return out;
}
