// Each method of the talk as a MethodSpec for the shared pipeline: how it trains (or builds), how it predicts, how it
// ranks, and what its run records about training. The model code itself stays in src/models.
import { SimilarityModel } from "../core/types";
import { Profile } from "../data/user-csv";
import { trainDoc2Vec, trainWord2Vec, Word2VecModel } from "../models/embeddings/index";
import { embeddingCorpus, EmbeddingKind, EmbeddingModel, embeddingRanking, EmbeddingRunConfig, embeddingSimilarity } from "../models/embeddings/title-vectors";
import { HeuristicClassifier, heuristicPredictor, RuleSet } from "../models/heuristic/classifier";
import { profileDocuments } from "../models/lda/corpus";
import { LdaModel, trainLda } from "../models/lda/lda";
import { chooseRepresentatives, levelRepresentatives } from "../models/representatives/classifier";
import { representativePredictor } from "../models/representatives/predictor";
import { makeEncoder, modelConfig, SiameseRunConfig, usesPretrainedWords, wordBranch } from "../models/siamese/config";
import { CharWordTitleEncoder, WordTitleEncoder } from "../models/siamese/encoders";
import { buildMiningPool } from "../models/siamese/mining";
import { SiameseModel } from "../models/siamese/model";
import { makePairs, Pair, pairSummary } from "../models/siamese/pairs";
import { openTextCorpus, pretrainedRows } from "../models/siamese/word-vectors";
import { siameseRanking, siameseTfidfRanking } from "../models/siamese/ranking";
import { encodePairs, TrainResult, trainSiamese } from "../models/siamese/train";
import { TrainedSiamese } from "../models/siamese/trained";
import { charTfidfRanking, charTfidfSimilarity } from "../models/tfidf/similarity";
import { LdaPredictor, ldaPredictor } from "../models/lda/topic-classifier";
import { BackendInfo, initBackend } from "../runtime/backend";
import { pruneCommonTokens } from "../text/corpus";
import { Datasets } from "../datasets/build";
import { DEFAULT_FASTTEXT_CONFIG, FastTextConfig, FastTextModel, trainFastText } from "../models/fasttext/model";
import { MethodSpec } from "./pipeline";
import { embeddingConfig } from "./configs";
import * as tf from "@tensorflow/tfjs";
import { ParamValue, Predictor } from "../core/types";
import { argmaxLabels } from "../models/neighbours/voter";
import { classificationReport } from "../eval/classification";
import {
  ClassScorer,
  encodeTraining,
  headProtocol,
  labelledRows,
  LabelledType,
  LABELLED_TYPES,
  neighboursProtocol,
  probabilityProtocol,
  ProtocolPredictor,
  ProtocolRecord,
  priorAdjusted,
  trainingGate,
  trainingShares,
  voteScorer,
} from "./protocols";
import { trainingMetrics } from "./record";
import { writeFileAtomic } from "../io/atomic";
import { StopRequested, stopToken } from "../io/signals";

/** The talk's keyword and priority rules: nothing to train (Level's head nouns come from the training titles). */
export function heuristicSpec(ruleSet: RuleSet = "priority"): MethodSpec<HeuristicClassifier> {
  return {
    method: ruleSet === "priority" ? "heuristic" : `heuristic-${ruleSet}`,
    kind: "eval",
    params: { ruleSet },
    protocol: "rules",
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
    protocol: "topics",
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
    similarity: (sim) => sim,
    ranking: () => charTfidfRanking(),
  };
}

export interface EmbeddingRun {
  model: EmbeddingModel;
  config: EmbeddingRunConfig;
  trainSeconds: number;
  wordsPerSecond: number;
  similarity: SimilarityModel;
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
      return { model, config, trainSeconds, wordsPerSecond, similarity: embeddingSimilarity(kind, model, config.inferEpochs) };
    },
    predictor: (r, d) => representativePredictor(r.similarity, d.train),
    similarity: (r) => r.similarity,
    ranking: (r) => embeddingRanking(kind, r.model, config.inferEpochs),
  };
}

export interface SiameseRun {
  trained: TrainedSiamese;
  pairs: Pair[];
  training: TrainResult;
  backend: BackendInfo;
}

export interface FittedSiamese {
  trained: TrainedSiamese;
  pairs: Pair[];
  training: TrainResult;
  /** Figures for the run's `extra`: pairs by kind, word2vec's corpus, parameters. */
  extra: Record<string, number | string>;
}

/**
 * Pairs, word2vec (for a pretrained word branch), the mining pool, training and the representative examples: a
 * trained Siamese model from a configuration, with no bookkeeping (the spec below records it; the ablation in
 * siamese-ablation.ts trains several).
 */
export async function fitSiamese(
  cfg: SiameseRunConfig,
  d: Datasets,
  opts: { log?: (line: string) => void; verbose?: boolean; shouldStop?: () => boolean } = {},
): Promise<FittedSiamese> {
  const log = opts.log ?? (() => undefined);
  const pairs = makePairs(d.train, d.profiles, { ...cfg.pairs, seed: cfg.pairs.seed ?? cfg.seed + 1 });
  let w2v: Word2VecModel | null = null;
  const extra: Record<string, number | string> = {};
  if (usesPretrainedWords(cfg)) {
    const wb = wordBranch(cfg);
    const t0 = performance.now();
    const corpus = openTextCorpus(d, cfg.seed);
    w2v = await trainWord2Vec(corpus.sentences, { ...embeddingConfig("word2vec").train, dim: wb.embedDim, epochs: wb.w2vEpochs, seed: cfg.seed });
    const seconds = (performance.now() - t0) / 1000;
    Object.assign(extra, { w2vSentences: corpus.sentences.length, w2vWords: w2v.words.length, w2vSeconds: Math.round(seconds * 10) / 10 });
    log(`word2vec on the open text: ${corpus.sentences.length} sentences (${corpus.counts.tasks} task statements, ${corpus.counts.skills} skills, ${corpus.counts.profiles} profiles), ${w2v.words.length} words, ${seconds.toFixed(1)} s`);
  }
  const enc = makeEncoder(cfg, d, w2v);
  const data = encodePairs(pairs, enc);
  const mc = modelConfig(cfg, enc);
  log(`pairs: ${pairs.length} (${pairs.filter((p) => p.label === 1).length} positive)`);
  const pool = (cfg.train.mineShare ?? 0) > 0 ? buildMiningPool(d.train, pairs, enc) : undefined;
  const init = w2v
    ? (m: SiameseModel) => {
        const layer = m.tower.getLayer(mc.word ? "word_embedding" : "embedding");
        const words = enc instanceof CharWordTitleEncoder ? enc.words : (enc as WordTitleEncoder);
        const [current] = layer.getWeights();
        const { rows, known } = pretrainedRows(words, w2v!, current.dataSync() as Float32Array, mc.word?.embedDim ?? mc.embedDim);
        layer.setWeights([tf.tensor2d(rows, current.shape as [number, number])]);
        extra.pretrainedWords = known;
        log(`word embedding: ${known} of ${words.words.length} words start from word2vec`);
      }
    : undefined;
  const { model, result } = await trainSiamese(mc, data, { ...cfg.train, verbose: opts.verbose ?? true, shouldStop: opts.shouldStop }, undefined, pool, init);
  const reps = {
    role: chooseRepresentatives(d.train, "role", { perClass: cfg.perClass }),
    industry: chooseRepresentatives(d.train, "industry", { perClass: cfg.perClass }),
    level: levelRepresentatives(),
  };
  const trained = await TrainedSiamese.create(model, enc, reps, { aggregate: cfg.aggregate, k: cfg.k, threshold: cfg.threshold });
  for (const k of pairSummary(pairs)) extra[`pairs_${k.kind}`] = k.pairs;
  extra.parameters = model.model.countParams();
  return { trained, pairs, training: result, extra };
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
      // Ctrl-C (or a kernel interrupt in a notebook) stops training after the current batch; what was learnt is kept.
      const stop = stopToken();
      try {
        const { trained, pairs, training: result, extra } = await fitSiamese(cfg, d, { log, verbose: opts.verbose, shouldStop: () => stop.requested !== null });
        await trained.save(run.dir);
        for (const f of ["model", "encoder.json", "representatives.json", "classifier.json"]) run.artifact(f.replace(".json", ""), f);
        run.log({ training: trainingMetrics({ seconds: result.seconds, throughput: result.pairsPerSecond, unit: "pairs/s", bestEpoch: result.bestEpoch, history: result.history }) });
        run.log({ extra });
        if (result.stopped) {
          const s = result.stopped;
          const kept = result.bestEpoch > 0 ? `the best weights so far (epoch ${result.bestEpoch})` : "the weights reached (no epoch was complete)";
          throw new StopRequested(stop.requested!, `during epoch ${s.epoch} of ${cfg.train.epochs}, after batch ${s.batch} of ${s.batches}; ${kept} saved in ${run.dir}`);
        }
        return { trained, pairs, training: result, backend };
      } finally {
        stop.dispose();
      }
    },
    predictor: (r) => r.trained.predictor(method),
    similarity: (r) => r.trained.similarity,
    ranking: (r) => siameseRanking(r.trained),
    fusion: (r) => siameseTfidfRanking(r.trained),
  };
}

export interface FastTextRun {
  models: Record<LabelledType, FastTextModel>;
  config: FastTextConfig;
  seconds: number;
  /** Level comes from the talk's rules: there are no labelled Level titles to train on beyond the gold set. */
  rules: HeuristicClassifier;
}

/**
 * A supervised fastText-style classifier per category type with labels (role, industry): hashed word and character
 * n-grams averaged, linear softmax. Its softmax is its protocol ("head"), calibrated on dev; Level by the rules.
 */
export function fastTextSpec(config: Partial<FastTextConfig> = {}, opts: { onEpoch?: (type: LabelledType, epoch: number, epochs: number) => void } = {}): MethodSpec<FastTextRun> {
  const cfg: FastTextConfig = { ...DEFAULT_FASTTEXT_CONFIG, ...config };
  return {
    method: "fasttext",
    kind: "train",
    protocol: "head",
    seed: cfg.seed,
    params: { ...cfg },
    train: ({ run, datasets: d, log }) => {
      const t0 = performance.now();
      const models = {} as Record<LabelledType, FastTextModel>;
      let examples = 0;
      for (const type of LABELLED_TYPES) {
        const l = labelledRows(d.train, type);
        const classes = [...new Set(l.labels)].sort();
        models[type] = trainFastText(l.titles, l.labels, classes, cfg, { onEpoch: (e) => opts.onEpoch?.(type, e.epoch, e.epochs) });
        examples += l.titles.length * cfg.epochs;
      }
      const seconds = (performance.now() - t0) / 1000;
      log(`fasttext: role and industry trained in ${seconds.toFixed(1)} s`);
      writeFileAtomic(run.artifact("model", "fasttext.json"), JSON.stringify({ role: models.role.toJSON(), industry: models.industry.toJSON() }));
      run.log({ training: trainingMetrics({ seconds, throughput: examples / seconds, unit: "examples/s" }) });
      return { models, config: cfg, seconds, rules: new HeuristicClassifier({ ruleSet: "priority", trainingTitles: d.train.map((t) => t.title) }) };
    },
    predictor: (r, d) => fastTextPredictor(r, d),
  };
}

/** The fastText models' softmax as a calibrated protocol (fitted on dev unless a run's record is given). */
export function fastTextPredictor(r: Pick<FastTextRun, "models" | "rules">, d: Datasets, record?: ProtocolRecord): Promise<ProtocolPredictor> {
  const scorer: ClassScorer = async (titles, type) => ({ classes: [...r.models[type].classes], scores: r.models[type].predictProba(titles) });
  return probabilityProtocol("head", scorer, d, { name: "fasttext", level: heuristicPredictor(r.rules), settings: { kind: "fastText softmax" }, record });
}

export interface VoteRun {
  fasttext: FastTextRun;
  tfidf: SimilarityModel;
  /** The members present (Doc2Vec's only when a Doc2Vec model was given). */
  members: Partial<Record<VoteMember, ProtocolPredictor>>;
  weights: Record<LabelledType, Partial<Record<VoteMember, number>>>;
  /** Prior adjustment per category type (0: none), chosen on dev with the weights. */
  alpha: Record<LabelledType, number>;
  shares: Record<LabelledType, Map<string, number>>;
}

/** Prior adjustments tried on dev (see priorAdjusted). */
export const VOTE_ALPHAS = [0, 0.25, 0.5, 0.75, 1];

export type VoteMember = "fasttext" | "tfidf-neighbours" | "tfidf-head" | "doc2vec-neighbours";
export const VOTE_MEMBERS: readonly VoteMember[] = ["fasttext", "tfidf-neighbours", "tfidf-head", "doc2vec-neighbours"];

/** A trained Doc2Vec model for the vote, and the run it comes from (recorded, so that the vote can be rebuilt). */
export interface VoteDoc2Vec {
  runId: string;
  similarity: SimilarityModel;
}

/** Weights tried on dev: every split of 1 into quarters among the members (15 points of the simplex). */
export function voteWeightGrid(members = VOTE_MEMBERS.length, step = 0.25): number[][] {
  const out: number[][] = [];
  const units = Math.round(1 / step);
  const rec = (left: number, acc: number[]): void => {
    if (acc.length === members - 1) {
      out.push([...acc, left].map((u) => u / units));
      return;
    }
    for (let u = 0; u <= left; u++) rec(left - u, [...acc, u]);
  };
  rec(units, []);
  return out;
}

/**
 * A combination that counts as a method: fastText's softmax, char TF-IDF's nearest-neighbour vote, a linear head on
 * char TF-IDF and, given a trained Doc2Vec model, Doc2Vec's nearest-neighbour vote; their per-class scores averaged
 * with weights (and a prior adjustment) chosen on dev macro-F1 per category type, then calibrated on dev like any
 * protocol. Level by the rules.
 */
export function voteSpec(config: Partial<FastTextConfig> = {}, opts: { doc2vec?: VoteDoc2Vec } = {}): MethodSpec<VoteRun> {
  const ft = fastTextSpec(config);
  const present = VOTE_MEMBERS.filter((m) => m !== "doc2vec-neighbours" || opts.doc2vec);
  return {
    method: "vote",
    kind: "train",
    protocol: "vote",
    seed: ft.seed,
    params: { members: [...present], fasttext: ft.params, tfidf: { analyzer: "char", ngrams: [1, 3], hashedDims: 4096 }, doc2vecRun: opts.doc2vec?.runId ?? null },
    train: async (ctx) => {
      const { datasets: d, log, run } = ctx;
      const fasttext = (await ft.train(ctx)) as FastTextRun;
      const rules = heuristicPredictor(fasttext.rules);
      const tfidf = charTfidfSimilarity(d.train.map((t) => t.title));
      const rows = await encodeTraining(tfidf, d);
      const gate = trainingGate(d);
      const base = { name: "char-tfidf", level: rules, gate, rows, log };
      const head = await headProtocol(tfidf, d, { ...base, seed: ft.seed ?? 1 });
      writeFileAtomic(run.artifact("heads", "heads.json"), JSON.stringify({ role: head.heads.role.toJSON(), industry: head.heads.industry.toJSON() }));
      const members: Partial<Record<VoteMember, ProtocolPredictor>> = {
        fasttext: await fastTextPredictor(fasttext, d),
        "tfidf-neighbours": await neighboursProtocol(tfidf, d, base),
        "tfidf-head": head,
      };
      if (opts.doc2vec) members["doc2vec-neighbours"] = await neighboursProtocol(opts.doc2vec.similarity, d, { name: "doc2vec", level: rules, gate, log });
      const weights = {} as VoteRun["weights"];
      const alpha = {} as Record<LabelledType, number>;
      const shares = trainingShares(d);
      for (const type of LABELLED_TYPES) {
        const items = d.dev.filter((t) => t[type] !== null);
        const titles = items.map((t) => t.title);
        const gold = items.map((t) => t[type]!);
        const tables = await Promise.all(present.map((m) => members[m]!.scorer(titles, type, 0)));
        let best: { w: number[]; a: number; f1: number; acc: number } | null = null;
        for (const w of voteWeightGrid(present.length)) {
          const voted = voteScorer(tables.map((t, i) => ({ scorer: async () => t, weight: w[i] })));
          for (const a of VOTE_ALPHAS) {
            const table = await priorAdjusted(voted, shares, { role: a, industry: a })(titles, type, 0);
            const r = classificationReport(gold, argmaxLabels(table).map((b) => b.label));
            if (!best || r.macroF1 > best.f1 + 1e-12 || (Math.abs(r.macroF1 - best.f1) <= 1e-12 && r.accuracy > best.acc)) best = { w, a, f1: r.macroF1, acc: r.accuracy };
          }
        }
        weights[type] = Object.fromEntries(present.map((m, i) => [m, best!.w[i]]));
        alpha[type] = best!.a;
        log(`vote ${type}: weights ${present.map((m, i) => `${m} ${best!.w[i]}`).join(", ")}, prior adjustment ${best!.a} (dev macro-F1 ${best!.f1.toFixed(3)}, accuracy ${best!.acc.toFixed(3)})`);
      }
      return { fasttext, tfidf, members, weights, alpha, shares };
    },
    predictor: (r, d) => votePredictor(r.members, r.weights, r.alpha, d, heuristicPredictor(r.fasttext.rules)),
  };
}

/** The members' weighted vote as a calibrated protocol (fitted on dev unless a run's record is given). */
export function votePredictor(
  members: Partial<Record<VoteMember, ProtocolPredictor>>,
  weights: Record<LabelledType, Partial<Record<VoteMember, number>>>,
  alpha: Record<LabelledType, number>,
  d: Datasets,
  level: Predictor,
  record?: ProtocolRecord,
): Promise<ProtocolPredictor> {
  const per = {} as Record<LabelledType, ClassScorer>;
  const shares = trainingShares(d);
  const present = VOTE_MEMBERS.filter((m) => members[m]);
  for (const type of LABELLED_TYPES) per[type] = priorAdjusted(voteScorer(present.map((m) => ({ scorer: members[m]!.scorer, weight: weights[type][m] ?? 0 }))), shares, alpha);
  const scorer: ClassScorer = async (titles, type, evidence) => {
    const t = await per[type](titles, type, 0);
    // The vote's rows sum to 1 whatever the title, so on their own they cannot tell a title far from every labelled
    // one ("Queen of the World") from a familiar one. Each row is scaled by the cosine of the title's nearest labelled
    // title (char TF-IDF), which the calibration on dev then turns into a probability. The nearest titles are also
    // the evidence shown to users.
    const near = await members["tfidf-neighbours"]!.scorer(titles, type, Math.max(1, evidence));
    const C = t.classes.length;
    for (let i = 0; i < titles.length; i++) {
      const nearest = Math.max(0, Math.min(1, near.evidence?.[i]?.[0]?.similarity ?? 0));
      for (let c = 0; c < C; c++) t.scores[i * C + c] *= nearest;
    }
    if (evidence > 0) t.evidence = near.evidence;
    return t;
  };
  const settings = {
    weights: weights as unknown as ParamValue,
    priorAdjustment: alpha as unknown as ParamValue,
    members: Object.fromEntries(present.map((m) => [m, members[m]!.record as unknown as ParamValue])) as ParamValue,
  };
  return probabilityProtocol("vote", scorer, d, { name: "vote", level, settings, record });
}
