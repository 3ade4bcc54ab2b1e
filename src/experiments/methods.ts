// Each method of the talk as a MethodSpec for the shared pipeline: how it trains (or builds), how it predicts, how it
// ranks, and what its run records about training. The model code itself stays in src/models.
import { SimilarityModel } from "../core/types";
import { Profile } from "../data/user-csv";
import { trainDoc2Vec, trainWord2Vec } from "../models/embeddings/index";
import { embeddingCorpus, EmbeddingKind, EmbeddingModel, embeddingRanking, EmbeddingRunConfig, embeddingSimilarity } from "../models/embeddings/title-vectors";
import { HeuristicClassifier, heuristicPredictor, RuleSet } from "../models/heuristic/classifier";
import { profileDocuments } from "../models/lda/corpus";
import { LdaModel, trainLda } from "../models/lda/lda";
import { chooseRepresentatives, levelRepresentatives } from "../models/representatives/classifier";
import { representativePredictor } from "../models/representatives/predictor";
import { makeEncoder, modelConfig, SiameseRunConfig } from "../models/siamese/config";
import { makePairs, Pair } from "../models/siamese/pairs";
import { siameseRanking, siameseTfidfRanking } from "../models/siamese/ranking";
import { encodePairs, TrainResult, trainSiamese } from "../models/siamese/train";
import { TrainedSiamese } from "../models/siamese/trained";
import { charTfidfRanking, charTfidfSimilarity } from "../models/tfidf/similarity";
import { LdaPredictor, ldaPredictor } from "../models/lda/topic-classifier";
import { BackendInfo, initBackend } from "../runtime/backend";
import { pruneCommonTokens } from "../text/corpus";
import { MethodSpec } from "./pipeline";
import { trainingMetrics } from "./record";

/** The talk's keyword and priority rules: nothing to train (Level's head nouns come from the training titles). */
export function heuristicSpec(ruleSet: RuleSet = "priority"): MethodSpec<HeuristicClassifier> {
  return {
    method: ruleSet === "priority" ? "heuristic" : `heuristic-${ruleSet}`,
    kind: "eval",
    params: { ruleSet },
    train: ({ datasets }) => new HeuristicClassifier({ ruleSet, trainingTitles: datasets.train.map((t) => t.title) }),
    predictor: (h) => heuristicPredictor(h),
  };
}

export interface LdaSettings {
  topics: number;
  iterations: number;
  seed: number;
  /** Tokens in more than this share of the documents are dropped (office software that everyone lists). */
  maxDocShare: number;
  /** The people to model (the simulated profiles, or a user's CSV) and how the record names them. */
  people: readonly Profile[];
  documents: string;
  onIteration?: (iteration: number) => void;
}

export interface LdaRun {
  model: LdaModel;
  docs: string[][];
  /** Tokens dropped as too common, with their document share. */
  removed: { token: string; share: number }[];
  seconds: number;
}

/** LDA over people (a person is a document); its topics become classes by the training people's majority. */
export function ldaSpec(s: LdaSettings): MethodSpec<LdaRun, LdaPredictor> {
  return {
    method: "lda",
    kind: "train",
    seed: s.seed,
    params: { topics: s.topics, iterations: s.iterations, seed: s.seed, maxDocShare: s.maxDocShare, documents: s.documents },
    train: ({ run }) => {
      const pruned = pruneCommonTokens(profileDocuments(s.people), s.maxDocShare);
      const t0 = performance.now();
      const model = trainLda(pruned.docs, { topics: s.topics, iterations: s.iterations, seed: s.seed, onIteration: (i) => s.onIteration?.(i.iteration) });
      const seconds = (performance.now() - t0) / 1000;
      run.log({ training: trainingMetrics({ seconds, throughput: (model.tokens * s.iterations) / seconds, unit: "token-samples/s" }) });
      return { model, docs: pruned.docs, removed: pruned.removed, seconds };
    },
    predictor: (r, d) => ldaPredictor(r.model, d, { seed: s.seed }),
  };
}

/** The char TF-IDF baseline (MELO's): idf fitted on the training titles, hashed to dense rows for the classifier. */
export function charTfidfSpec(opts: { threshold?: number; perClass?: number } = {}): MethodSpec<SimilarityModel> {
  const threshold = opts.threshold ?? 0.3;
  const perClass = opts.perClass ?? 50;
  return {
    method: "char-tfidf",
    kind: "eval",
    params: { analyzer: "char", ngrams: [1, 3], hashedDims: 4096, threshold, perClass },
    train: ({ datasets }) => charTfidfSimilarity(datasets.train.map((t) => t.title)),
    predictor: (sim, d) => representativePredictor(sim, d.train, { name: "char-tfidf", threshold, perClass }),
    ranking: () => charTfidfRanking(),
  };
}

export interface EmbeddingRun {
  model: EmbeddingModel;
  config: EmbeddingRunConfig;
  trainSeconds: number;
  wordsPerSecond: number;
}

/** word2vec or Doc2Vec trained on the training titles (and, by default, the simulated profiles); model saved in the run. */
export function embeddingSpec(kind: EmbeddingKind, config: EmbeddingRunConfig, opts: { onEpoch?: (epoch: number, epochs: number) => void } = {}): MethodSpec<EmbeddingRun> {
  return {
    method: kind,
    kind: "train",
    seed: config.train.seed ?? null,
    params: { ...config },
    train: async ({ run, datasets }) => {
      const docs = embeddingCorpus(datasets, config.profiles);
      const words = docs.reduce((a, x) => a + x.length, 0);
      const t0 = performance.now();
      const train = { ...config.train, onEpoch: opts.onEpoch };
      const model = kind === "word2vec" ? await trainWord2Vec(docs, train) : await trainDoc2Vec(docs, train);
      const trainSeconds = (performance.now() - t0) / 1000;
      model.save(run.artifact("model", "model"));
      const wordsPerSecond = (words * (config.train.epochs ?? 10)) / trainSeconds;
      run.log({
        training: trainingMetrics({ seconds: trainSeconds, throughput: wordsPerSecond, unit: "words/s" }),
        extra: { documents: docs.length, words, vocabulary: model.words.length },
      });
      return { model, config, trainSeconds, wordsPerSecond };
    },
    predictor: (r, d) => representativePredictor(embeddingSimilarity(kind, r.model, config.inferEpochs), d.train),
    ranking: (r) => embeddingRanking(kind, r.model, config.inferEpochs),
  };
}

export interface SiameseRun {
  trained: TrainedSiamese;
  pairs: Pair[];
  training: TrainResult;
  backend: BackendInfo;
}

/**
 * The Siamese CNN: pairs from training data, training on the chosen tfjs backend, representative examples, and
 * everything needed to classify saved in the run folder (model/, encoder.json, representatives.json, classifier.json).
 */
export function siameseSpec(cfg: SiameseRunConfig, opts: { backend?: string; name?: string; verbose?: boolean } = {}): MethodSpec<SiameseRun> {
  const method = `siamese-${cfg.variant}`;
  return {
    method,
    name: opts.name,
    kind: "train",
    seed: cfg.seed,
    params: { ...cfg },
    backend: (r) => r.backend.name,
    train: async ({ run, datasets: d, log }) => {
      const backend = await initBackend({ backend: opts.backend, log });
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
      for (const f of ["model", "encoder.json", "representatives.json", "classifier.json"]) run.artifact(f.replace(".json", ""), f);
      run.log({ training: trainingMetrics({ seconds: result.seconds, throughput: result.pairsPerSecond, unit: "pairs/s", bestEpoch: result.bestEpoch, history: result.history }) });
      return { trained, pairs, training: result, backend };
    },
    predictor: (r) => r.trained.predictor(method),
    ranking: (r) => siameseRanking(r.trained),
    fusion: (r) => siameseTfidfRanking(r.trained),
  };
}
