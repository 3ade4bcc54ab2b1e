// The trained Siamese model as a SimilarityModel for the shared classifier: a title's row is its tower output
// (computed once), and the similarity of two rows is the model's own merge + dense + sigmoid, evaluated in plain
// arithmetic — so scoring a title against every class's examples needs one tower pass per title, not per pair.
import * as tf from "@tensorflow/tfjs";
import { SimilarityModel } from "../representatives/similarity";
import { TitleEncoder } from "./encoders";
import { SiameseModel, towerDim } from "./model";

export async function siameseSimilarity(m: SiameseModel, enc: TitleEncoder, name = "siamese"): Promise<SimilarityModel> {
  const dim = towerDim(m.config);
  const dense = m.model.getLayer("similarity");
  const [kernel, bias] = (await Promise.all(dense.getWeights().map((w) => w.data()))) as Float32Array[];
  const w = Float32Array.from(kernel);
  const b0 = bias[0];
  const merge = m.config.merge;
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  return {
    name,
    dim,
    async encode(titles) {
      const out = new Float32Array(titles.length * dim);
      const batch = 1024;
      for (let from = 0; from < titles.length; from += batch) {
        const chunk = titles.slice(from, from + batch);
        const ids = tf.tensor2d(enc.encodeBatch(chunk), [chunk.length, enc.maxLength], "int32");
        const y = m.tower.predict(ids) as tf.Tensor;
        out.set((await y.data()) as Float32Array, from * dim);
        tf.dispose([ids, y]);
      }
      return out;
    },
    similarityMatrix(A, B) {
      const nA = A.length / dim;
      const nB = B.length / dim;
      const out = new Float32Array(nA * nB);
      if (merge === "product") {
        // sigmoid(Σ w_j a_j b_j + b): scale A by w once, then dot products.
        const Aw = new Float32Array(A.length);
        for (let i = 0; i < A.length; i++) Aw[i] = A[i] * w[i % dim];
        for (let i = 0; i < nA; i++) {
          for (let k = 0; k < nB; k++) {
            let s = b0;
            for (let j = 0; j < dim; j++) s += Aw[i * dim + j] * B[k * dim + j];
            out[i * nB + k] = sigmoid(s);
          }
        }
      } else if (merge === "absdiff") {
        for (let i = 0; i < nA; i++) {
          for (let k = 0; k < nB; k++) {
            let s = b0;
            for (let j = 0; j < dim; j++) s += w[j] * Math.abs(A[i * dim + j] - B[k * dim + j]);
            out[i * nB + k] = sigmoid(s);
          }
        }
      } else {
        const norm = (X: Float32Array, r: number): number => {
          let s = 0;
          for (let j = 0; j < dim; j++) s += X[r * dim + j] ** 2;
          return Math.sqrt(s) || 1;
        };
        const nb = Array.from({ length: nB }, (_, k) => norm(B, k));
        for (let i = 0; i < nA; i++) {
          const na = norm(A, i);
          for (let k = 0; k < nB; k++) {
            let s = 0;
            for (let j = 0; j < dim; j++) s += A[i * dim + j] * B[k * dim + j];
            out[i * nB + k] = sigmoid(w[0] * (s / (na * nb[k])) + b0);
          }
        }
      }
      return out;
    },
  };
}
