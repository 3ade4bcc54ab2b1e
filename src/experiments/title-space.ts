// The talk's "space of job titles": every labelled title embedded by a method, laid out in 2-D by UMAP, with a
// faithfulness figure. Methods are the registry's latest trained runs.
import { SimilarityModel } from "../core/types";
import { Datasets } from "../datasets/build";
import { LabelledTitle } from "../datasets/labelled";
import { embeddingSimilarity } from "../models/embeddings/title-vectors";
import { Rng } from "../util/random";
import { sampledRecall } from "../viz/knn";
import { neighbourPreservation, umapLayout } from "../viz/umap";
import { embeddingModel, loadSiamese } from "./trained-models";

export type SpaceMethod = "word2vec" | "doc2vec" | "siamese";

/** The labelled titles to map: all of train, dev and test, or a seeded sample of `points` of them. */
export function mapTitles(d: Datasets, points: number, seed: number): LabelledTitle[] {
  const all = [...d.train, ...d.dev, ...d.test];
  return points >= all.length ? all : new Rng(seed).sample(all, points);
}

/** The method's title vectors model (latest trained run; word2vec/doc2vec are trained if none exists). */
export async function spaceModel(method: SpaceMethod, log?: (l: string) => void): Promise<{ model: SimilarityModel; run: string }> {
  if (method === "siamese") {
    const s = await loadSiamese(undefined, log);
    return { model: s.trained.similarity, run: s.runId };
  }
  const e = await embeddingModel(method, undefined, { log });
  return { model: embeddingSimilarity(method, e.model, e.config.inferEpochs), run: e.runId };
}

export interface TitleSpace {
  method: SpaceMethod;
  run: string;
  coords: Float32Array;
  encodeSeconds: number;
  knnSeconds: number;
  layoutSeconds: number;
  /** Share of each point's 15 nearest neighbours (cosine) kept among its 15 nearest in 2-D (seeded sample). */
  faithfulness: number;
  /** Share of each point's true 14 nearest other titles that the approximate search found (same sample). */
  neighbourRecall: number;
}

export async function titleSpace(method: SpaceMethod, titles: readonly string[], opts: { seed: number; log?: (l: string) => void; onProgress?: (e: number, n: number) => void }): Promise<TitleSpace> {
  const { model, run } = await spaceModel(method, opts.log);
  const t0 = performance.now();
  const vectors = await model.encode(titles);
  const encodeSeconds = (performance.now() - t0) / 1000;
  const layout = await umapLayout(vectors, model.dim, { seed: opts.seed, onProgress: opts.onProgress });
  const faithfulness = await neighbourPreservation(vectors, model.dim, layout.coords, 15, { sample: 2000, seed: opts.seed });
  const neighbourRecall = await sampledRecall(vectors, model.dim, layout.neighbours, { sample: 2000, seed: opts.seed });
  return { method, run, coords: layout.coords, encodeSeconds, knnSeconds: layout.knnSeconds, layoutSeconds: layout.layoutSeconds, faithfulness, neighbourRecall };
}
