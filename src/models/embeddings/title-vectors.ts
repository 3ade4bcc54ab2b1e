// word2vec and Doc2Vec as title models: the training corpus (titles and simulated profiles), a title's vector for the
// shared classifiers (the mean of its word vectors; an inferred PV-DBOW vector) and for ranking.
import { RankingMethod, SimilarityModel } from "../../core/types";
import { Datasets } from "../../datasets/build";
import { tokenize } from "../../text/tokenize";
import { cosineModel } from "../representatives/similarity";
import { Doc2VecModel, TrainOptions, Word2VecModel } from "./index";

export type EmbeddingKind = "word2vec" | "doc2vec";
export const EMBEDDING_KINDS: readonly EmbeddingKind[] = ["word2vec", "doc2vec"];

export interface EmbeddingRunConfig {
  /** Add each simulated profile as one document (all its titles' tokens and skills), as the talk's "a user is a document". */
  profiles: boolean;
  train: TrainOptions;
  /** PV-DBOW inference of a title's vector. */
  inferEpochs: number;
}

export type EmbeddingModel = Word2VecModel | Doc2VecModel;

/** Documents: every training title's tokens (words + di-grams), then, optionally, each simulated profile. */
export function embeddingCorpus(d: Datasets, profiles: boolean): string[][] {
  const docs = d.train.map((t) => tokenize(t.title)).filter((x) => x.length > 0);
  if (profiles) for (const p of d.profiles) docs.push([...p.titles.flatMap((t) => tokenize(t)), ...p.tokens]);
  return docs;
}

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

/** Ranking by cosine between title vectors: the corpus is encoded once, each query against all of it. */
export function embeddingRanking(kind: EmbeddingKind, model: EmbeddingModel, inferEpochs: number): RankingMethod {
  const sim = embeddingSimilarity(kind, model, inferEpochs);
  return {
    name: kind,
    build: async (corpus) => {
      const rows = await sim.encode(corpus);
      return {
        async scoreAll(query: string, out: Float64Array) {
          const s = sim.similarityMatrix(await sim.encode([query]), rows);
          for (let i = 0; i < s.length; i++) out[i] = s[i];
          return out;
        },
      };
    },
  };
}

export function loadEmbeddingModel(kind: EmbeddingKind, dir: string): EmbeddingModel {
  return kind === "word2vec" ? Word2VecModel.load(dir) : Doc2VecModel.load(dir);
}
