// A trained Siamese model as a ranking method: every corpus element is encoded once; a query scores all of them by
// the model's similarity. The fusion averages it with char TF-IDF (equal weights, fixed in advance: nothing is tuned
// on a ranking benchmark).
import { RankingMethod, RankingScorer } from "../../core/types";
import { CharTfidf } from "../tfidf/char-tfidf";
import { TrainedSiamese } from "./trained";

async function siameseScorer(t: TrainedSiamese, corpus: readonly string[]): Promise<RankingScorer> {
  const rows = await t.similarity.encode(corpus);
  return {
    async scoreAll(query, out) {
      const s = t.similarity.similarityMatrix(await t.similarity.encode([query]), rows);
      for (let i = 0; i < s.length; i++) out[i] = s[i];
      return out;
    },
  };
}

export function siameseRanking(t: TrainedSiamese, name = "siamese"): RankingMethod {
  return { name, build: (corpus) => siameseScorer(t, corpus) };
}

export function siameseTfidfRanking(t: TrainedSiamese, name = "siamese-tfidf"): RankingMethod {
  return {
    name,
    async build(corpus) {
      const siamese = await siameseScorer(t, corpus);
      const tfidf = new CharTfidf().fit(corpus);
      const a = new Float64Array(corpus.length);
      return {
        async scoreAll(query, out) {
          await siamese.scoreAll(query, a);
          tfidf.scoreAll(query, out);
          for (let i = 0; i < out.length; i++) out[i] = 0.5 * out[i] + 0.5 * a[i];
          return out;
        },
      };
    },
  };
}
