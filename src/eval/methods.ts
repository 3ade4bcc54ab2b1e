// The ranking methods `jtlab eval` knows. Methods that need a trained model register themselves here as their
// issues land (word2vec, doc2vec, siamese).
// Our own modules are imported statically: a lazy require() fails under the test runner and a lazy import() under
// the CLI's CommonJS hooks, so only npm packages are loaded lazily anywhere in src/.
import { RankingMethod } from "../core/types";
import { embeddingForEval, embeddingSimilarity } from "../models/embeddings/experiment";
import { fusionScorer, siameseScorer } from "../models/siamese/ranking";
import { CharTfidf } from "../models/tfidf/char-tfidf";

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

// Methods backed by a trained Siamese model (the latest run, or --run ID).
registerRankingMethod("siamese", (opts) => ({
  name: "siamese",
  build: (corpus) => siameseScorer(corpus, opts.run),
}));
registerRankingMethod("siamese-tfidf", (opts) => ({
  name: "siamese-tfidf",
  build: (corpus) => fusionScorer(corpus, opts.run),
}));

// word2vec (mean of token vectors) and Doc2Vec (inferred PV-DBOW vectors), cosine similarity. The latest trained
// run is used (or --run ID); with none, one is trained with the default settings and recorded.
for (const kind of ["word2vec", "doc2vec"] as const) {
  registerRankingMethod(kind, (opts) => ({
    name: kind,
    build: async (corpus) => {
      const { model, config } = await embeddingForEval(kind, opts.run);
      const sim = embeddingSimilarity(kind, model, config.inferEpochs);
      const rows = await sim.encode(corpus);
      return {
        async scoreAll(query: string, out: Float64Array) {
          const s = sim.similarityMatrix(await sim.encode([query]), rows);
          for (let i = 0; i < s.length; i++) out[i] = s[i];
          return out;
        },
      };
    },
  }));
}
