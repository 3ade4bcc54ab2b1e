// The ranking methods `jtlab eval` knows, by name. Methods backed by a trained model use the run named with --run,
// else the latest one (word2vec and Doc2Vec train one with the shared settings when the registry has none).
import { RankingMethod } from "../core/types";
import { embeddingRanking, EMBEDDING_KINDS } from "../models/embeddings/title-vectors";
import { siameseRanking, siameseTfidfRanking } from "../models/siamese/ranking";
import { charTfidfRanking } from "../models/tfidf/similarity";
import { embeddingModel, loadSiamese } from "./trained-models";

/** Options a method may use: `run` names a trained model's run. */
export interface MethodOptions {
  run?: string;
  log?: (line: string) => void;
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

/** A method whose model is loaded only when the benchmark builds it (after the corpus is known). */
function lazy(name: string, load: (opts: MethodOptions) => Promise<RankingMethod>): (opts: MethodOptions) => RankingMethod {
  return (opts) => ({ name, build: async (corpus) => (await load(opts)).build(corpus) });
}

registerRankingMethod("char-tfidf", () => charTfidfRanking());
registerRankingMethod("siamese", lazy("siamese", async (o) => siameseRanking((await loadSiamese(o.run, o.log)).trained)));
registerRankingMethod("siamese-tfidf", lazy("siamese-tfidf", async (o) => siameseTfidfRanking((await loadSiamese(o.run, o.log)).trained)));
for (const kind of EMBEDDING_KINDS) {
  registerRankingMethod(
    kind,
    lazy(kind, async (o) => {
      const e = await embeddingModel(kind, o.run, { log: o.log });
      return embeddingRanking(kind, e.model, e.config.inferEpochs);
    }),
  );
}
