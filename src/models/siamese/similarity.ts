// The trained Siamese model as a SimilarityModel for the shared classifier: a title's row is its tower output
// (computed once), and the similarity of two rows is the model's own merge + dense + sigmoid, evaluated as one
// matrix product — so scoring a title against every class's examples needs one tower pass per title, not per pair.
import * as tf from "@tensorflow/tfjs";
import { SimilarityModel } from "../../core/types";
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
  // Unit rows for cosine; a zero row (an empty title's tower output) keeps cosine 0 rather than NaN.
  const unit = (x: tf.Tensor2D): tf.Tensor2D => tf.div(x, tf.maximum(tf.norm(x, "euclidean", 1, true), 1e-12));
  let prepared: { source: Float32Array; tensor: tf.Tensor } | null = null;
  let last: { titles: readonly string[]; rows: Float32Array } | null = null;
  return {
    name,
    dim,
    async encode(titles) {
      // The last batch's rows are kept: classify and score ask for role, level and industry of one batch through
      // different classifiers (neighbours for role, the pinned groups for Level), which then share one tower pass.
      if (last && last.titles.length === titles.length && last.titles.every((t, i) => t === titles[i])) return last.rows.slice();
      const out = new Float32Array(titles.length * dim);
      const batch = 1024;
      for (let from = 0; from < titles.length; from += batch) {
        const chunk = titles.slice(from, from + batch);
        const ids = tf.tensor2d(enc.encodeBatch(chunk), [chunk.length, enc.maxLength], "int32");
        const y = m.tower.predict(ids) as tf.Tensor;
        out.set((await y.data()) as Float32Array, from * dim);
        tf.dispose([ids, y]);
      }
      last = { titles: titles.slice(), rows: out.slice() };
      return out;
    },
    similarityMatrix(A, B) {
      const nA = A.length / dim;
      const nB = B.length / dim;
      if (merge === "absdiff") {
        // |a - b| has no matrix-product form: pair by pair.
        const out = new Float32Array(nA * nB);
        for (let i = 0; i < nA; i++) {
          for (let k = 0; k < nB; k++) {
            let s = b0;
            for (let j = 0; j < dim; j++) s += w[j] * Math.abs(A[i * dim + j] - B[k * dim + j]);
            out[i * nB + k] = sigmoid(s);
          }
        }
        return out;
      }
      // product: sigmoid(Σ_j w_j a_j b_j + b) = sigmoid((A·diag(w)) Bᵀ + b); cosine: sigmoid(w·âᵀb̂ + b) on unit rows.
      // One matrix product on the tfjs backend (XNNPACK's SIMD GEMM on wasm), about 20x the plain-JS triple loop
      // that made classification the slow step.
      // The right-hand side, ready for the product, is kept for the next call with the same B: classification
      // and ranking score batch after batch (or query after query) against one fixed set of rows.
      if (prepared?.source !== B) {
        prepared?.tensor.dispose();
        prepared = { source: B, tensor: tf.tidy(() => {
          const b = tf.tensor2d(B, [nB, dim]);
          // Bᵀ made explicitly: the wasm backend's matMul with transposeB set ran about 9x slower here.
          return tf.transpose(merge === "product" ? b : unit(b));
        }) };
      }
      const bT = prepared.tensor;
      // tidy returns the tensor, not its data: tidy walks what it is given back, element by element (6M of them).
      const sims = tf.tidy(() => {
        const a = tf.tensor2d(A, [nA, dim]);
        const left = merge === "product" ? tf.mul(a, tf.tensor1d(w)) : tf.mul(unit(a), w[0]);
        return tf.sigmoid(tf.add(tf.matMul(left, bT), b0));
      });
      const out = sims.dataSync() as Float32Array;
      sims.dispose();
      return out;
    },
  };
}
