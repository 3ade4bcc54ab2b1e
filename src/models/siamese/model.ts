// The talk's Siamese CNN in tf.layers. One tower, shared by both inputs:
//   Input → Embedding(50) → Conv1D widths 1, 2, 3 (20 filters each, ReLU) → global max pool → concatenate (60-d)
// and a merge of the two tower outputs → Dense(1, sigmoid) = P(same meaning). Plain layers only, so the same model
// runs on wasm, webgpu, tfjs-node or tfjs-node-gpu unchanged.
//
// The word-aware tower adds a second branch beside the characters: word ids → their own embedding (started from
// word2vec) → Conv1D of their own widths → max pool, concatenated with the character branch before the merge. Both
// id sequences travel in one input row ([characters | words]) and are split inside the tower, so training, saving
// and the similarity code see one input whatever the branches.
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
  /** A word branch beside the first (character) branch: its ids follow the characters' in each input row. */
  word?: BranchConfig;
}

export interface BranchConfig {
  vocabSize: number;
  seqLength: number;
  embedDim: number;
  filters: number;
  widths: number[];
  /** False keeps the embedding as initialized (e.g. word2vec's vectors, so words unseen in training stay in place). */
  trainable?: boolean;
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
  return c.filters * c.widths.length + (c.word ? c.word.filters * c.word.widths.length : 0);
}

/** Ids per input row: the first branch's, then the word branch's. */
export function inputLength(c: SiameseConfig): number {
  return c.seqLength + (c.word?.seqLength ?? 0);
}

export function buildSiamese(config: SiameseConfig): SiameseModel {
  let seed = config.seed;
  const next = (): number => seed++;
  const length = inputLength(config);
  const ids = tf.input({ shape: [length], dtype: "int32", name: "ids" });
  const branch = (b: BranchConfig, input: tf.SymbolicTensor, prefix: string): tf.SymbolicTensor[] => {
    const emb = tf.layers
      .embedding({
        inputDim: b.vocabSize,
        outputDim: b.embedDim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: next() }),
        name: `${prefix}embedding`,
        trainable: b.trainable ?? true,
      })
      .apply(input) as tf.SymbolicTensor;
    return b.widths.map((w) => {
      const conv = tf.layers
        .conv1d({
          filters: b.filters,
          kernelSize: w,
          padding: "same",
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: next() }),
          biasInitializer: "zeros",
          name: `${prefix}conv_w${w}`,
        })
        .apply(emb) as tf.SymbolicTensor;
      return tf.layers.globalMaxPooling1d({ name: `${prefix}maxpool_w${w}` }).apply(conv) as tf.SymbolicTensor;
    });
  };
  let pooled: tf.SymbolicTensor[];
  if (!config.word) pooled = branch(config, ids, "");
  else {
    const chars = new SliceColumns({ from: 0, size: config.seqLength, name: "char_ids" }).apply(ids) as tf.SymbolicTensor;
    const words = new SliceColumns({ from: config.seqLength, size: config.word.seqLength, name: "word_ids" }).apply(ids) as tf.SymbolicTensor;
    pooled = [...branch(config, chars, ""), ...branch(config.word, words, "word_")];
  }
  const out = pooled.length > 1 ? (tf.layers.concatenate({ name: "concat" }).apply(pooled) as tf.SymbolicTensor) : pooled[0];
  const tower = tf.model({ inputs: ids, outputs: out, name: "tower" });

  const left = tf.input({ shape: [length], dtype: "int32", name: "left" });
  const right = tf.input({ shape: [length], dtype: "int32", name: "right" });
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

/** Columns [from, from + size) of an id matrix: splits the tower's one input row into its branches' ids. */
export class SliceColumns extends tf.layers.Layer {
  static className = "JtlabSliceColumns";
  private readonly from: number;
  private readonly size: number;
  constructor(args: { from: number; size: number; name?: string }) {
    super({ name: args.name });
    this.from = args.from;
    this.size = args.size;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0], this.size];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.slice(x, [0, this.from], [-1, this.size]);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), from: this.from, size: this.size };
  }
}
tf.serialization.registerClass(SliceColumns);

function absDiff(a: tf.SymbolicTensor, b: tf.SymbolicTensor): tf.SymbolicTensor {
  return new AbsDiff({ name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
}

/** Parameter counts as model.summary() reports them. */
export function parameterCounts(m: SiameseModel): { tower: number; total: number } {
  return { tower: m.tower.countParams(), total: m.model.countParams() };
}
