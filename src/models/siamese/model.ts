// The talk's Siamese CNN in tf.layers. One tower, shared by both inputs:
//   Input → Embedding(50) → Conv1D widths 1, 2, 3 (20 filters each, ReLU) → global max pool → concatenate (60-d)
// and a merge of the two tower outputs → Dense(1, sigmoid) = P(same meaning). Plain layers only, so the same model
// runs on wasm, webgpu, tfjs-node or tfjs-node-gpu unchanged.
import * as tf from "@tensorflow/tfjs";

export type Merge = "product" | "absdiff" | "cosine";

export interface SiameseConfig {
  /** Token ids, padding (0) included: 1,001 for the talk's word model, the character encoder's size for chars. */
  vocabSize: number;
  seqLength: number;
  embedDim: number;
  filters: number;
  widths: number[];
  merge: Merge;
  seed: number;
}

/** The talk's word-level model: 1,000 words plus padding, titles of up to 7 tokens. */
export const TALK_WORD_CONFIG: SiameseConfig = { vocabSize: 1001, seqLength: 7, embedDim: 50, filters: 20, widths: [1, 2, 3], merge: "product", seed: 1 };

/** The character-level model, as the peer benchmark defines it (64 symbols, 32 characters). */
export const CHAR_CONFIG: SiameseConfig = { vocabSize: 64, seqLength: 32, embedDim: 50, filters: 20, widths: [1, 2, 3], merge: "product", seed: 1 };

export interface SiameseModel {
  config: SiameseConfig;
  /** Title ids [batch, seqLength] → embedding [batch, filters × widths]. */
  tower: tf.LayersModel;
  /** [left ids, right ids] → P(same) [batch, 1]. */
  model: tf.LayersModel;
}

export function towerDim(c: SiameseConfig): number {
  return c.filters * c.widths.length;
}

export function buildSiamese(config: SiameseConfig): SiameseModel {
  let seed = config.seed;
  const next = (): number => seed++;
  const ids = tf.input({ shape: [config.seqLength], dtype: "int32", name: "ids" });
  const emb = tf.layers
    .embedding({
      inputDim: config.vocabSize,
      outputDim: config.embedDim,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: next() }),
      name: "embedding",
    })
    .apply(ids) as tf.SymbolicTensor;
  const pooled = config.widths.map((w) => {
    const conv = tf.layers
      .conv1d({
        filters: config.filters,
        kernelSize: w,
        padding: "same",
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: next() }),
        biasInitializer: "zeros",
        name: `conv_w${w}`,
      })
      .apply(emb) as tf.SymbolicTensor;
    return tf.layers.globalMaxPooling1d({ name: `maxpool_w${w}` }).apply(conv) as tf.SymbolicTensor;
  });
  const out = pooled.length > 1 ? (tf.layers.concatenate({ name: "concat" }).apply(pooled) as tf.SymbolicTensor) : pooled[0];
  const tower = tf.model({ inputs: ids, outputs: out, name: "tower" });

  const left = tf.input({ shape: [config.seqLength], dtype: "int32", name: "left" });
  const right = tf.input({ shape: [config.seqLength], dtype: "int32", name: "right" });
  const a = tower.apply(left) as tf.SymbolicTensor;
  const b = tower.apply(right) as tf.SymbolicTensor;
  let merged: tf.SymbolicTensor;
  if (config.merge === "product") merged = tf.layers.multiply({ name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
  else if (config.merge === "cosine") merged = tf.layers.dot({ axes: 1, normalize: true, name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
  else merged = absDiff(a, b);
  const prob = tf.layers
    .dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: next() }), name: "similarity" })
    .apply(merged) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [left, right], outputs: prob, name: "siamese" });
  return { config, tower, model };
}

/** |a − b|, element-wise: a parameter-free merge layer, registered so that saved models load by name. */
export class AbsDiff extends tf.layers.Layer {
  static className = "JtlabAbsDiff";
  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[];
    return tf.tidy(() => tf.abs(tf.sub(a, b)));
  }
}
tf.serialization.registerClass(AbsDiff);

function absDiff(a: tf.SymbolicTensor, b: tf.SymbolicTensor): tf.SymbolicTensor {
  return new AbsDiff({ name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
}

/** Parameter counts as model.summary() reports them. */
export function parameterCounts(m: SiameseModel): { tower: number; total: number } {
  return { tower: m.tower.countParams(), total: m.model.countParams() };
}
