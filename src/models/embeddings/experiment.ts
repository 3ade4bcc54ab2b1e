// word2vec and Doc2Vec as workbench methods: the training corpus (titles and simulated profiles), title vectors for
// the shared classifier (mean of word vectors; inferred PV-DBOW vectors), and trained models kept as registry runs
// so that `jtlab eval melo --method word2vec|doc2vec` and the notebooks use the same model.
import * as fs from "fs";
import * as path from "path";
import { SimilarityModel } from "../../core/types";
import { Datasets, loadDatasets } from "../../datasets/build";
import { findRun, listRuns, Run, runDir, startRun } from "../../experiments/registry";
import { tokenize } from "../../text/tokenize";
import { cosineModel } from "../representatives/similarity";
import { Doc2VecModel, trainDoc2Vec, trainWord2Vec, TrainOptions, Word2VecModel } from "./index";

export type EmbeddingKind = "word2vec" | "doc2vec";

export interface EmbeddingRunConfig {
  /** Add each simulated profile as one document (all its titles' tokens and skills), as the talk's "a user is a document". */
  profiles: boolean;
  train: TrainOptions;
  /** PV-DBOW inference of a title's vector. */
  inferEpochs: number;
}

/** Defaults chosen on the dev split (see notebook 03); gensim's settings otherwise. */
export const EMBEDDING_DEFAULTS: Record<EmbeddingKind, EmbeddingRunConfig> = {
  word2vec: { profiles: true, train: { dim: 100, window: 5, negative: 5, minCount: 2, sample: 1e-3, epochs: 10, alpha: 0.025, seed: 1, workers: 2 }, inferEpochs: 0 },
  doc2vec: { profiles: true, train: { dim: 100, window: 5, negative: 5, minCount: 2, sample: 1e-3, epochs: 20, alpha: 0.05, seed: 1, workers: 2, dbowWords: true }, inferEpochs: 50 },
};

/** Documents: every training title's tokens (words + di-grams), then, optionally, each simulated profile. */
export function embeddingCorpus(d: Datasets, profiles: boolean): string[][] {
  const docs = d.train.map((t) => tokenize(t.title)).filter((x) => x.length > 0);
  if (profiles) for (const p of d.profiles) docs.push([...p.titles.flatMap((t) => tokenize(t)), ...p.tokens]);
  return docs;
}

export type EmbeddingModel = Word2VecModel | Doc2VecModel;

/** Title vectors: the mean of its token vectors (word2vec), or an inferred document vector (Doc2Vec). */
export function embeddingSimilarity(kind: EmbeddingKind, model: EmbeddingModel, inferEpochs: number): SimilarityModel {
  if (kind === "doc2vec") {
    const d2v = model as Doc2VecModel;
    return cosineModel("doc2vec", d2v.dim, (titles) => {
      const out = new Float32Array(titles.length * d2v.dim);
      // A fixed seed per call keeps a title's vector the same every time it is inferred.
      titles.forEach((t, i) => out.set(d2v.infer(tokenize(t), { epochs: inferEpochs, seed: 1 }), i * d2v.dim));
      return out;
    });
  }
  return cosineModel("word2vec", model.dim, (titles) => {
    const out = new Float32Array(titles.length * model.dim);
    titles.forEach((t, i) => out.set(model.embedTokens(tokenize(t)), i * model.dim));
    return out;
  });
}

export interface EmbeddingRun {
  run: Run | null;
  runId: string;
  kind: EmbeddingKind;
  model: EmbeddingModel;
  config: EmbeddingRunConfig;
  trainSeconds: number;
  wordsPerSecond: number;
}

export async function trainEmbeddingRun(kind: EmbeddingKind, config: EmbeddingRunConfig = EMBEDDING_DEFAULTS[kind], opts: { datasets?: Datasets; onEpoch?: TrainOptions["onEpoch"] } = {}): Promise<EmbeddingRun> {
  const d = opts.datasets ?? loadDatasets();
  const run = startRun({ name: kind, method: kind, kind: "train", params: config as unknown as Record<string, unknown>, seed: config.train.seed ?? null });
  try {
    const docs = embeddingCorpus(d, config.profiles);
    const words = docs.reduce((a, x) => a + x.length, 0);
    const t0 = performance.now();
    const train = { ...config.train, onEpoch: opts.onEpoch };
    const model = kind === "word2vec" ? await trainWord2Vec(docs, train) : await trainDoc2Vec(docs, train);
    const trainSeconds = (performance.now() - t0) / 1000;
    model.save(run.artifact("model", "model"));
    const wordsPerSecond = (words * (config.train.epochs ?? 10)) / trainSeconds;
    run.log({ documents: docs.length, words, vocabulary: model.words.length, train_seconds: Number(trainSeconds.toFixed(2)), words_per_second: Math.round(wordsPerSecond) });
    return { run, runId: run.record.id, kind, model, config, trainSeconds, wordsPerSecond };
  } catch (e) {
    run.fail(e);
    throw e;
  }
}

/** A trained model from the registry: the named run, else the latest finished one, else null. */
export function findEmbeddingRun(kind: EmbeddingKind, id?: string): { runId: string; dir: string; config: EmbeddingRunConfig } | null {
  const r = id ? findRun(id) : listRuns().filter((x) => x.method === kind && x.status === "ok" && fs.existsSync(path.join(runDir(x.id), "model"))).pop();
  if (!r) return null;
  if (r.method !== kind) throw new Error(`run ${r.id} is a ${r.method} run, not ${kind}`);
  return { runId: r.id, dir: path.join(runDir(r.id), "model"), config: r.params as unknown as EmbeddingRunConfig };
}

export function loadEmbeddingModel(kind: EmbeddingKind, dir: string): EmbeddingModel {
  return kind === "word2vec" ? Word2VecModel.load(dir) : Doc2VecModel.load(dir);
}

/** The model `jtlab eval` uses: the named or latest run; with none, one is trained with the defaults and recorded. */
export async function embeddingForEval(kind: EmbeddingKind, id?: string, log: (l: string) => void = (l) => process.stderr.write(l + "\n")): Promise<{ model: EmbeddingModel; runId: string; config: EmbeddingRunConfig }> {
  const found = findEmbeddingRun(kind, id);
  if (found) return { model: loadEmbeddingModel(kind, found.dir), runId: found.runId, config: found.config };
  log(`no trained ${kind} run in the registry: training one with the default settings`);
  const r = await trainEmbeddingRun(kind);
  r.run?.finish();
  log(`trained ${kind} run ${r.runId} in ${r.trainSeconds.toFixed(1)} s`);
  return { model: r.model, runId: r.runId, config: r.config };
}
