// What every method hands to the shared classifier: titles become rows of numbers (`encode`), and a similarity
// compares rows. Embedding methods use cosine (rows L2-normalized, similarity = dot product); the Siamese model
// uses its own learned merge.
import { SimilarityModel } from "../../core/types";

/** In-place L2 normalization of each row (zero rows stay zero). */
export function normalizeRows(X: Float32Array, dim: number): Float32Array {
  for (let i = 0; i < X.length; i += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += X[i + j] * X[i + j];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < dim; j++) X[i + j] *= inv;
    }
  }
  return X;
}

/**
 * A·Bᵀ for row-major A [nA × dim] and B [nB × dim], each entry summed in float64 in index order and stored as
 * float32. A plain loop: ml-matrix's mmul gives the same bits but is 5–10% slower on the classifier's shapes.
 */
export function dotMatrix(A: Float32Array, B: Float32Array, dim: number): Float32Array {
  const nA = A.length / dim;
  const nB = B.length / dim;
  const out = new Float32Array(nA * nB);
  for (let i = 0; i < nA; i++) {
    const a = i * dim;
    for (let k = 0; k < nB; k++) {
      const b = k * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += A[a + j] * B[b + j];
      out[i * nB + k] = s;
    }
  }
  return out;
}

/** A cosine-similarity model from any encoder of unnormalized vectors. */
export function cosineModel(name: string, dim: number, encodeRaw: (titles: readonly string[]) => Float32Array): SimilarityModel {
  return {
    name,
    dim,
    encode: async (titles) => normalizeRows(encodeRaw(titles), dim),
    similarityMatrix: (A, B) => dotMatrix(A, B, dim),
  };
}
