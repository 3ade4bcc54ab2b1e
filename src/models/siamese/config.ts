// A Siamese training configuration: its fields, flat name=value overrides of them (from `-p` or a notebook
// parameter), and the encoder and model shape it implies. The named profiles (quick, full) live in
// experiments/configs/siamese.json.
import { ParamValue } from "../../core/types";
import { Datasets } from "../../datasets/build";
import { Aggregate } from "../representatives/classifier";
import { CharTitleEncoder, TitleEncoder, WordTitleEncoder } from "./encoders";
import { Merge, SiameseConfig } from "./model";
import { PairConfig } from "./pairs";
import { TrainOptions } from "./train";

export interface SiameseRunConfig {
  variant: "char" | "word";
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
}

/** Flat override names → where they go. */
const OVERRIDES: Record<string, (c: SiameseRunConfig, v: ParamValue) => void> = {
  variant: (c, v) => (c.variant = v === "word" ? "word" : v === "char" ? "char" : bad("variant", v, "char|word")),
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

/** The title encoder a configuration asks for (the word model's vocabulary comes from the training titles). */
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
