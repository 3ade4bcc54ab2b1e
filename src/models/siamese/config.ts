// A Siamese training configuration: its fields, flat name=value overrides of them (from `-p` or a notebook
// parameter), and the encoder and model shape it implies. The named profiles (quick, full) live in
// experiments/configs/siamese.json.
import { ParamValue } from "../../core/types";
import { Datasets } from "../../datasets/build";
import { Aggregate } from "../representatives/classifier";
import { Word2VecModel } from "../embeddings/index";
import { CharTitleEncoder, CharWordTitleEncoder, TitleEncoder, WordTitleEncoder } from "./encoders";
import { Merge, SiameseConfig, TALK_WORD_CONFIG } from "./model";
import { AugmentRates, DEFAULT_AUGMENT_RATES } from "../../text/augment";
import { PairConfig } from "./pairs";
import { TrainOptions } from "./train";
import { wordEncoderFor } from "./word-vectors";

/**
 * char: the character CNN; word: word ids only; both: the word-aware tower (characters and words, concatenated
 * before the merge); talk: the talk's exact model (1,000 words, 7 tokens, Embedding 50, widths 1-3 × 20 filters,
 * product merge, binary cross-entropy on labelled pairs).
 */
export type SiameseVariant = "char" | "word" | "both" | "talk";
export const SIAMESE_VARIANTS: readonly SiameseVariant[] = ["char", "word", "both", "talk"];

/** The word branch of the "word" and "both" variants. */
export interface WordBranchConfig {
  /** Words in the vocabulary: the training titles' words first, then other words word2vec knows. */
  vocabulary: number;
  /** Words per title. */
  maxLength: number;
  /** The embedding's width, which is also word2vec's dimension when pretrained. */
  embedDim: number;
  filters: number;
  widths: number[];
  /** Start the embedding from word2vec trained on the open text (src/models/siamese/word-vectors.ts). */
  pretrained: boolean;
  /** word2vec epochs over the open text. */
  w2vEpochs: number;
  /**
   * Train the word embedding (true) or keep word2vec's vectors (false): frozen, the words training never sees (task
   * and skill words, other vocabularies' words) stay in the same space as the ones it does.
   */
  trainWords: boolean;
}

export const DEFAULT_WORD_BRANCH: WordBranchConfig = { vocabulary: 30000, maxLength: 8, embedDim: 100, filters: 64, widths: [1, 2, 3], pretrained: true, w2vEpochs: 5, trainWords: true };

export interface SiameseRunConfig {
  variant: SiameseVariant;
  embedDim: number;
  filters: number;
  widths: number[];
  merge: Merge;
  /** Characters (char) or tokens (word) per title. */
  maxLength: number;
  /** Word model: vocabulary size (the talk's 1,000). */
  vocabulary: number;
  pairs: Partial<PairConfig>;
  train: TrainOptions;
  aggregate: Aggregate;
  k: number;
  threshold: number;
  /** Representative examples per role/industry class. */
  perClass: number;
  seed: number;
  word?: WordBranchConfig;
}

/** Flat override names → where they go. */
const OVERRIDES: Record<string, (c: SiameseRunConfig, v: ParamValue) => void> = {
  variant: (c, v) => {
    if (typeof v !== "string" || !(SIAMESE_VARIANTS as readonly string[]).includes(v)) bad("variant", v, SIAMESE_VARIANTS.join("|"));
    c.variant = v as SiameseVariant;
    if (c.variant === "talk") {
      // The talk's model exactly: its word vocabulary and length, its layer sizes, its merge and its objective.
      Object.assign(c, { vocabulary: 1000, maxLength: TALK_WORD_CONFIG.seqLength, embedDim: TALK_WORD_CONFIG.embedDim, filters: TALK_WORD_CONFIG.filters, widths: [...TALK_WORD_CONFIG.widths], merge: "product" });
      c.train = { ...c.train, objective: "pairs", mineShare: 0 };
    }
  },
  wordVocabulary: (c, v) => (c.word = { ...wordBranch(c), vocabulary: int("wordVocabulary", v) }),
  wordMaxLength: (c, v) => (c.word = { ...wordBranch(c), maxLength: int("wordMaxLength", v) }),
  wordEmbedDim: (c, v) => (c.word = { ...wordBranch(c), embedDim: int("wordEmbedDim", v) }),
  wordFilters: (c, v) => (c.word = { ...wordBranch(c), filters: int("wordFilters", v) }),
  wordWidths: (c, v) => (c.word = { ...wordBranch(c), widths: Array.isArray(v) ? v.map((x) => int("wordWidths", x as ParamValue)) : [int("wordWidths", v)] }),
  pretrained: (c, v) => (c.word = { ...wordBranch(c), pretrained: bool("pretrained", v) }),
  w2vEpochs: (c, v) => (c.word = { ...wordBranch(c), w2vEpochs: int("w2vEpochs", v) }),
  trainWords: (c, v) => (c.word = { ...wordBranch(c), trainWords: bool("trainWords", v) }),
  personShare: (c, v) => (c.pairs = { ...c.pairs, personShare: num("personShare", v) }),
  occupationShare: (c, v) => (c.pairs = { ...c.pairs, occupationShare: num("occupationShare", v) }),
  occupationTitleShare: (c, v) => (c.pairs = { ...c.pairs, occupationTitleShare: num("occupationTitleShare", v) }),
  onsShare: (c, v) => (c.pairs = { ...c.pairs, onsShare: num("onsShare", v) }),
  augmentShare: (c, v) => (c.pairs = { ...c.pairs, augmentShare: num("augmentShare", v) }),
  abbreviationRate: (c, v) => (c.pairs = { ...c.pairs, augmentRates: { ...rates(c), abbreviation: rate("abbreviationRate", v) } }),
  wordOrderRate: (c, v) => (c.pairs = { ...c.pairs, augmentRates: { ...rates(c), wordOrder: rate("wordOrderRate", v) } }),
  typoRate: (c, v) => (c.pairs = { ...c.pairs, augmentRates: { ...rates(c), typo: rate("typoRate", v) } }),
  noiseRate: (c, v) => (c.pairs = { ...c.pairs, augmentRates: { ...rates(c), noise: rate("noiseRate", v) } }),
  mineShare: (c, v) => (c.train = { ...c.train, mineShare: rate("mineShare", v) }),
  mineK: (c, v) => (c.train = { ...c.train, mineK: int("mineK", v) }),
  embedDim: (c, v) => (c.embedDim = int("embedDim", v)),
  filters: (c, v) => (c.filters = int("filters", v)),
  widths: (c, v) => (c.widths = Array.isArray(v) ? v.map((x) => int("widths", x as ParamValue)) : [int("widths", v)]),
  merge: (c, v) => (c.merge = v === "product" || v === "absdiff" || v === "cosine" ? v : bad("merge", v, "product|absdiff|cosine")),
  maxLength: (c, v) => (c.maxLength = int("maxLength", v)),
  vocabulary: (c, v) => (c.vocabulary = int("vocabulary", v)),
  positives: (c, v) => (c.pairs = { ...c.pairs, positives: int("positives", v) }),
  negativeRatio: (c, v) => (c.pairs = { ...c.pairs, negativeRatio: num("negativeRatio", v) }),
  hardShare: (c, v) => (c.pairs = { ...c.pairs, hardShare: num("hardShare", v) }),
  objective: (c, v) => (c.train = { ...c.train, objective: v === "pairs" || v === "contrastive" ? v : bad("objective", v, "pairs|contrastive") }),
  temperature: (c, v) => (c.train = { ...c.train, temperature: num("temperature", v) }),
  epochs: (c, v) => (c.train = { ...c.train, epochs: int("epochs", v) }),
  batchSize: (c, v) => (c.train = { ...c.train, batchSize: int("batchSize", v) }),
  learningRate: (c, v) => (c.train = { ...c.train, learningRate: num("learningRate", v) }),
  patience: (c, v) => (c.train = { ...c.train, patience: int("patience", v) }),
  validationShare: (c, v) => (c.train = { ...c.train, validationShare: num("validationShare", v) }),
  aggregate: (c, v) => (c.aggregate = v === "max" || v === "mean" || v === "topk" ? v : bad("aggregate", v, "max|mean|topk")),
  k: (c, v) => (c.k = int("k", v)),
  threshold: (c, v) => (c.threshold = num("threshold", v)),
  perClass: (c, v) => (c.perClass = int("perClass", v)),
  seed: (c, v) => {
    c.seed = int("seed", v);
    c.train = { ...c.train, seed: c.seed };
    c.pairs = { ...c.pairs, seed: c.seed + 1 };
  },
};

function rates(c: SiameseRunConfig): AugmentRates {
  return { ...DEFAULT_AUGMENT_RATES, ...c.pairs.augmentRates };
}
function rate(name: string, v: ParamValue): number {
  const n = num(name, v);
  if (n < 0 || n > 1) bad(name, v, "a share between 0 and 1");
  return n;
}
function bool(name: string, v: ParamValue): boolean {
  if (typeof v !== "boolean") bad(name, v, "true or false");
  return v as boolean;
}

function bad(name: string, v: ParamValue, want: string): never {
  throw new Error(`${name}=${JSON.stringify(v)}: expected ${want}`);
}
function num(name: string, v: ParamValue): number {
  if (typeof v !== "number" || !Number.isFinite(v)) bad(name, v, "a number");
  return v as number;
}
function int(name: string, v: ParamValue): number {
  const n = num(name, v);
  if (!Number.isInteger(n) || n < 0) bad(name, v, "a whole number");
  return n;
}

export const SIAMESE_OVERRIDES = Object.keys(OVERRIDES);

/** A copy of `base` with the overrides applied; an unknown name or a value of the wrong kind is an error naming it. */
export function withOverrides(base: SiameseRunConfig, overrides: Record<string, ParamValue> = {}): SiameseRunConfig {
  const c: SiameseRunConfig = JSON.parse(JSON.stringify(base));
  for (const [k, v] of Object.entries(overrides)) {
    const set = OVERRIDES[k];
    if (!set) throw new Error(`unknown parameter ${k} (known: ${SIAMESE_OVERRIDES.join(", ")})`);
    set(c, v);
  }
  return c;
}

/**
 * The title encoder a configuration asks for. The word vocabularies come from the training titles (the talk's: its
 * 1,000 most frequent words; the word branch's: all of them, then word2vec's other words when `w2v` is given).
 */
export function makeEncoder(cfg: SiameseRunConfig, d: Datasets, w2v: Word2VecModel | null = null): TitleEncoder {
  const titles = d.train.map((t) => t.title);
  if (cfg.variant === "talk") return WordTitleEncoder.fromTitles(titles, cfg.vocabulary, cfg.maxLength);
  const w = wordBranch(cfg);
  if (cfg.variant === "word") return wordEncoderFor(d, w2v, w.vocabulary, w.maxLength);
  const chars = new CharTitleEncoder({ maxLength: cfg.maxLength });
  return cfg.variant === "both" ? new CharWordTitleEncoder(chars, wordEncoderFor(d, w2v, w.vocabulary, w.maxLength)) : chars;
}

export function modelConfig(cfg: SiameseRunConfig, enc: TitleEncoder): SiameseConfig {
  const base = { merge: cfg.merge, seed: cfg.seed };
  if (cfg.variant === "talk") return { ...base, vocabSize: enc.vocabularySize, seqLength: enc.maxLength, embedDim: cfg.embedDim, filters: cfg.filters, widths: cfg.widths };
  const w = wordBranch(cfg);
  if (enc instanceof CharWordTitleEncoder) {
    return {
      ...base,
      vocabSize: enc.chars.vocabularySize,
      seqLength: enc.chars.maxLength,
      embedDim: cfg.embedDim,
      filters: cfg.filters,
      widths: cfg.widths,
      word: { vocabSize: enc.words.vocabularySize, seqLength: enc.words.maxLength, embedDim: w.embedDim, filters: w.filters, widths: w.widths, trainable: w.trainWords || !w.pretrained },
    };
  }
  if (enc.kind === "word") return { ...base, vocabSize: enc.vocabularySize, seqLength: enc.maxLength, embedDim: w.embedDim, filters: w.filters, widths: w.widths };
  return { ...base, vocabSize: enc.vocabularySize, seqLength: enc.maxLength, embedDim: cfg.embedDim, filters: cfg.filters, widths: cfg.widths };
}

/** Whether the configuration starts a word embedding from word2vec. */
export function usesPretrainedWords(cfg: SiameseRunConfig): boolean {
  return (cfg.variant === "word" || cfg.variant === "both") && wordBranch(cfg).pretrained;
}

/** The word branch's settings: the configuration's over the defaults. */
export function wordBranch(cfg: SiameseRunConfig): WordBranchConfig {
  return { ...DEFAULT_WORD_BRANCH, ...cfg.word };
}
