// The whole Siamese experiment, shared by notebook 04 and `jtlab train siamese`: pairs from training data,
// training, representative examples, evaluation on the same splits as every method, and a run folder in the
// experiment registry holding the model and everything needed to classify with it.
import { CategoryType, Predictor } from "../../core/types";
import { Datasets, loadDatasets } from "../../datasets/build";
import { evaluateSuite, SuiteResult } from "../../eval/suite";
import { suiteMetrics } from "../../experiments/record";
import { Run, startRun } from "../../experiments/registry";
import { initBackend } from "../../runtime/backend";
import { chooseRepresentatives, levelRepresentatives } from "../representatives/classifier";
import { SiameseRunConfig } from "./config";
import { CharTitleEncoder, TitleEncoder, WordTitleEncoder } from "./encoders";
import { SiameseConfig } from "./model";
import { makePairs, Pair } from "./pairs";
import { encodePairs, TrainResult, trainSiamese } from "./train";
import { TrainedSiamese } from "./trained";

export interface SiameseExperiment {
  run: Run;
  trained: TrainedSiamese;
  pairs: Pair[];
  training: TrainResult;
  dev: SuiteResult;
  test: SuiteResult;
  backend: string;
}

export function makeEncoder(cfg: SiameseRunConfig, d: Datasets): TitleEncoder {
  return cfg.variant === "char" ? new CharTitleEncoder({ maxLength: cfg.maxLength }) : WordTitleEncoder.fromTitles(d.train.map((t) => t.title), cfg.vocabulary, cfg.maxLength);
}

export function modelConfig(cfg: SiameseRunConfig, enc: TitleEncoder): SiameseConfig {
  return {
    vocabSize: enc.vocabularySize,
    seqLength: enc.maxLength,
    embedDim: cfg.embedDim,
    filters: cfg.filters,
    widths: cfg.widths,
    merge: cfg.merge,
    seed: cfg.seed,
  };
}

/** The trained model as a Predictor for the shared evaluation suite. */
export function siamesePredictor(t: TrainedSiamese, name = "siamese"): Predictor {
  return {
    name,
    predict: (titles: readonly string[], type: CategoryType) => t.classifiers[type].predict(titles),
  };
}

export interface ExperimentOptions {
  name?: string;
  backend?: string;
  verbose?: boolean;
  log?: (line: string) => void;
  datasets?: Datasets;
}

export async function runSiameseExperiment(cfg: SiameseRunConfig, opts: ExperimentOptions = {}): Promise<SiameseExperiment> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const backend = await initBackend({ backend: opts.backend, log });
  const run = startRun({ name: opts.name ?? `siamese-${cfg.variant}`, method: `siamese-${cfg.variant}`, kind: "train", params: cfg as unknown as Record<string, unknown>, seed: cfg.seed, backend: backend.name });
  try {
    const d = opts.datasets ?? loadDatasets();
    const pairs = makePairs(d.train, d.profiles, { ...cfg.pairs, seed: cfg.pairs.seed ?? cfg.seed + 1 });
    const enc = makeEncoder(cfg, d);
    const data = encodePairs(pairs, enc);
    log(`pairs: ${pairs.length} (${pairs.filter((p) => p.label === 1).length} positive), backend ${backend.name}`);
    const { model, result } = await trainSiamese(modelConfig(cfg, enc), data, { ...cfg.train, verbose: opts.verbose ?? true });
    const reps = {
      role: chooseRepresentatives(d.train, "role", { perClass: cfg.perClass }),
      industry: chooseRepresentatives(d.train, "industry", { perClass: cfg.perClass }),
      level: levelRepresentatives(),
    };
    const trained = await TrainedSiamese.create(model, enc, reps, { aggregate: cfg.aggregate, k: cfg.k, threshold: cfg.threshold });
    await trained.save(run.dir);
    for (const f of ["model", "encoder.json", "representatives.json", "classifier.json"]) run.record.artifacts[f.replace(".json", "")] = f;
    const predictor = siamesePredictor(trained, run.record.method);
    const dev = await evaluateSuite(predictor, d, { split: "dev", levelSplit: "dev" });
    const test = await evaluateSuite(predictor, d, { split: "test", levelSplit: "test" });
    run.finish({
      ...suiteMetrics([dev, test]),
      train_pairs_per_second: Math.round(result.pairsPerSecond),
      train_seconds: Number(result.seconds.toFixed(1)),
      best_epoch: result.bestEpoch,
      history: result.history,
    });
    return { run, trained, pairs, training: result, dev, test, backend: backend.name };
  } catch (e) {
    run.fail(e);
    throw e;
  }
}
