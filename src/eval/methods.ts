// The ranking methods `jtlab eval` knows. Methods that need a trained model register themselves here as their
// issues land (word2vec, doc2vec, siamese).
import { CharTfidf } from "../models/tfidf/char-tfidf";
import { RankingMethod } from "./ranking-run";

/** Options a method may use: `run` names a trained model's run (methods that need one pick the latest). */
export interface MethodOptions {
  run?: string;
}

const methods = new Map<string, (opts: MethodOptions) => RankingMethod>();

export function registerRankingMethod(name: string, make: (opts: MethodOptions) => RankingMethod): void {
  methods.set(name, make);
}

export function rankingMethod(name: string, opts: MethodOptions = {}): RankingMethod {
  const make = methods.get(name);
  if (!make) throw new Error(`unknown ranking method ${JSON.stringify(name)} (known: ${[...methods.keys()].join(", ")})`);
  return make(opts);
}

export function rankingMethodNames(): string[] {
  return [...methods.keys()];
}

registerRankingMethod("char-tfidf", () => ({
  name: "char-tfidf",
  build: (corpus) => new CharTfidf({ minN: 1, maxN: 3 }).fit(corpus),
}));

// Methods backed by a trained Siamese model (the latest run, or --run ID). Loaded lazily: they bring in tfjs.
registerRankingMethod("siamese", (opts) => ({
  name: "siamese",
  build: async (corpus) => (await import("../models/siamese/ranking")).siameseScorer(corpus, opts.run),
}));
registerRankingMethod("siamese-tfidf", (opts) => ({
  name: "siamese-tfidf",
  build: async (corpus) => (await import("../models/siamese/ranking")).fusionScorer(corpus, opts.run),
}));
