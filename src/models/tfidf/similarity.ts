// Char TF-IDF as a method of the shared classifiers and as MELO's ranking baseline. The idf comes from the training
// titles; each title's TF-IDF vector is folded into a fixed number of dimensions by hashing its n-gram ids (feature
// hashing), so that the classifier can treat it like any dense embedding. With 4,096 dimensions and a few dozen
// n-grams per title, collisions barely move cosines.
import { RankingMethod, SimilarityModel } from "../../core/types";
import { normalizeRows } from "../representatives/similarity";
import { murmur3 } from "../../util/random";
import { CharTfidf } from "./char-tfidf";

export function charTfidfSimilarity(trainingTitles: readonly string[], dim = 4096): SimilarityModel {
  const prep = (t: string): string => t.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const tfidf = new CharTfidf().fit(trainingTitles.map(prep));
  const bucket = new Map<number, number>();
  const bucketOf = (id: number): number => {
    let b = bucket.get(id);
    if (b === undefined) bucket.set(id, (b = murmur3(String(id), 17) % dim));
    return b;
  };
  return {
    name: "char-tfidf",
    dim,
    async encode(titles) {
      const out = new Float32Array(titles.length * dim);
      titles.forEach((t, i) => {
        const v = tfidf.transform(prep(t));
        for (let k = 0; k < v.ids.length; k++) out[i * dim + bucketOf(v.ids[k])] += v.weights[k];
      });
      return normalizeRows(out, dim);
    },
    similarityMatrix: (A, B) => sparseDot(A, B, dim),
  };
}

/**
 * A·Bᵀ for sparse rows: B's non-zeros go into per-dimension postings, then each row of A adds up only the postings
 * of its own non-zeros (a title has a few dozen n-grams among 4,096 buckets).
 */
function sparseDot(A: Float32Array, B: Float32Array, dim: number): Float32Array {
  const nA = A.length / dim;
  const nB = B.length / dim;
  const count = new Int32Array(dim + 1);
  for (let k = 0; k < nB; k++) for (let j = 0; j < dim; j++) if (B[k * dim + j] !== 0) count[j + 1]++;
  for (let j = 0; j < dim; j++) count[j + 1] += count[j];
  const fill = count.slice(0, dim);
  const rows = new Int32Array(count[dim]);
  const vals = new Float32Array(count[dim]);
  for (let k = 0; k < nB; k++) {
    for (let j = 0; j < dim; j++) {
      const v = B[k * dim + j];
      if (v !== 0) {
        rows[fill[j]] = k;
        vals[fill[j]++] = v;
      }
    }
  }
  const out = new Float32Array(nA * nB);
  for (let i = 0; i < nA; i++) {
    const o = i * nB;
    for (let j = 0; j < dim; j++) {
      const a = A[i * dim + j];
      if (a === 0) continue;
      for (let p = count[j]; p < count[j + 1]; p++) out[o + rows[p]] += a * vals[p];
    }
  }
  return out;
}

/** MELO's baseline exactly: char 1-3 TF-IDF fitted on the ranking corpus itself, cosine to each query. */
export function charTfidfRanking(): RankingMethod {
  return { name: "char-tfidf", build: (corpus) => new CharTfidf({ minN: 1, maxN: 3 }).fit(corpus) };
}
