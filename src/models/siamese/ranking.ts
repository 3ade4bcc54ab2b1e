// The Siamese model as a MELO ranking method: every corpus element is encoded once; a query scores all of them by
// the model's similarity. The fusion averages it with char TF-IDF (equal weights, fixed in advance: nothing is
// tuned on MELO).
import { RankingScorer } from "../../core/types";
import { initBackend } from "../../runtime/backend";
import { CharTfidf } from "../tfidf/char-tfidf";
import { siameseRunDir } from "./runs";
import { TrainedSiamese } from "./trained";

export async function siameseScorer(corpus: readonly string[], run?: string): Promise<RankingScorer> {
  await initBackend({ log: (l) => process.stderr.write(l + "\n") });
  const t = await TrainedSiamese.load(siameseRunDir(run));
  const rows = await t.similarity.encode(corpus);
  return {
    async scoreAll(query, out) {
      const s = t.similarity.similarityMatrix(await t.similarity.encode([query]), rows);
      for (let i = 0; i < s.length; i++) out[i] = s[i];
      return out;
    },
  };
}

export async function fusionScorer(corpus: readonly string[], run?: string): Promise<RankingScorer> {
  const siamese = await siameseScorer(corpus, run);
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
}
