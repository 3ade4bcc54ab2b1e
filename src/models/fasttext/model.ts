// A supervised fastText classifier (Joulin et al., "Bag of Tricks for Efficient Text Classification"): a text's
// feature vectors (words, word n-grams, character n-grams) are averaged into a hidden vector, and a linear
// softmax over the classes is trained by SGD with a linearly decaying learning rate, as `fasttext supervised`
// does with its default softmax loss.
//
// The input matrix is stored compactly: fastText allocates buckets × dim floats up front (400 MB at its default
// 2M buckets) although a few hundred thousand rows are ever touched. Here only ids seen in training get a row; an
// n-gram never seen in training is left out of the average at prediction time (in fastText it would add its
// untrained random initial vector, i.e. noise).
import { Rng } from "../../util/random";
import { EOS, FeatureConfig, featureIds, validateFeatureConfig } from "./features";
import { SgdProblem, SgdResult, SgdSchedule, sgdWasm, sgdWasmThreads } from "./kernel";

export interface FastTextConfig extends FeatureConfig {
  /** Size of the hidden vectors. */
  dim: number;
  epochs: number;
  /** Initial learning rate, decayed linearly to 0 over all epochs. */
  lr: number;
  /** Seeds initialization and the per-epoch shuffle. */
  seed: number;
}

/**
 * The settings of the fastText peer (../shared/peers/fasttext_supervised.py), so that `jtlab bench fasttext` compares
 * like with like. On the dev split no nearby setting (10-35 epochs, lr 0.25-1, dim 100, char 3-6-grams, no word
 * bigrams) beat them on role accuracy; fewer epochs did a little better on industry.
 */
export const DEFAULT_FASTTEXT_CONFIG: FastTextConfig = {
  dim: 50,
  epochs: 25,
  lr: 0.5,
  minn: 2,
  maxn: 5,
  wordNgrams: 2,
  buckets: 2_000_000,
  seed: 1,
};

export interface EpochInfo {
  epoch: number;
  epochs: number;
  /** Mean cross-entropy of the epoch's examples, measured before each update; NaN when trained on threads. */
  loss: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
  seconds: number;
}

export interface TrainOptions {
  onEpoch?: (info: EpochInfo) => void;
  /** "wasm" (default): the SIMD kernel; "js": the plain TypeScript loop, a slower reference (one thread only). */
  kernel?: "wasm" | "js";
}

export interface Prediction {
  label: string;
  score: number;
}

export interface FastTextJSON {
  format: "jtlab-fasttext";
  version: 1;
  config: FastTextConfig;
  classes: string[];
  words: string[];
  /** Feature id of each input row (Int32Array, base64). */
  rowIds: string;
  /** rows × dim Float32Array, base64. */
  input: string;
  /** classes × dim Float32Array, base64. */
  output: string;
}

export class FastTextModel {
  readonly dim: number;
  private readonly wordIdx: Map<string, number>;
  private readonly rowOf: Map<number, number>;

  /** Use trainFastText or fromJSON; the arrays are taken over, not copied. */
  constructor(
    readonly config: FastTextConfig,
    readonly classes: readonly string[],
    readonly words: readonly string[],
    readonly rowIds: Int32Array,
    readonly input: Float32Array,
    readonly output: Float32Array,
  ) {
    this.dim = config.dim;
    if (input.length !== rowIds.length * this.dim) throw new Error(`FastTextModel: input has ${input.length} floats, expected ${rowIds.length} rows × ${this.dim}`);
    if (output.length !== classes.length * this.dim) throw new Error(`FastTextModel: output has ${output.length} floats, expected ${classes.length} classes × ${this.dim}`);
    this.wordIdx = new Map(words.map((w, i) => [w, i]));
    this.rowOf = new Map();
    for (let r = 0; r < rowIds.length; r++) this.rowOf.set(rowIds[r], r);
  }

  /** Input rows of a text's features; features unseen in training are dropped. */
  rowsOf(text: string): number[] {
    const ids = featureIds(text, this.config, (w) => this.wordIdx.get(w) ?? -1);
    const rows: number[] = [];
    for (const id of ids) {
      const r = this.rowOf.get(id);
      if (r !== undefined) rows.push(r);
    }
    return rows;
  }

  /** The averaged hidden vectors, row-major [texts × dim]: fastText's sentence vectors before the classifier. */
  vector(texts: readonly string[]): Float32Array {
    const d = this.dim;
    const out = new Float32Array(texts.length * d);
    for (let i = 0; i < texts.length; i++) {
      const rows = this.rowsOf(texts[i]);
      hiddenOf(this.input, rows, 0, rows.length, d, out, i * d);
    }
    return out;
  }

  /** Softmax probabilities, row-major [texts × classes]. */
  predictProba(texts: readonly string[]): Float32Array {
    const d = this.dim;
    const c = this.classes.length;
    const hidden = this.vector(texts);
    const out = new Float32Array(texts.length * c);
    const h = new Float32Array(d);
    const p = new Float32Array(c);
    for (let i = 0; i < texts.length; i++) {
      h.set(hidden.subarray(i * d, (i + 1) * d));
      softmaxOf(this.output, h, c, d, p);
      out.set(p, i * c);
    }
    return out;
  }

  /** The most probable class of each text with its probability (the first class in `classes` on a tie). */
  predict(texts: readonly string[]): Prediction[] {
    const c = this.classes.length;
    const p = this.predictProba(texts);
    const res: Prediction[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
      res[i] = { label: this.classes[best], score: p[i * c + best] };
    }
    return res;
  }

  toJSON(): FastTextJSON {
    return {
      format: "jtlab-fasttext",
      version: 1,
      config: { ...this.config },
      classes: [...this.classes],
      words: [...this.words],
      rowIds: toBase64(this.rowIds),
      input: toBase64(this.input),
      output: toBase64(this.output),
    };
  }

  static fromJSON(j: FastTextJSON): FastTextModel {
    if (!j || j.format !== "jtlab-fasttext" || j.version !== 1) {
      throw new Error(`FastTextModel.fromJSON: not a jtlab-fasttext v1 model (format ${JSON.stringify(j?.format)}, version ${JSON.stringify(j?.version)})`);
    }
    validateConfig(j.config);
    return new FastTextModel(
      j.config,
      j.classes,
      j.words,
      new Int32Array(fromBase64(j.rowIds)),
      new Float32Array(fromBase64(j.input)),
      new Float32Array(fromBase64(j.output)),
    );
  }
}

function toBase64(a: Int32Array | Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

/** Bytes copied into a fresh, aligned ArrayBuffer (a Buffer's may be pooled and unaligned). */
function fromBase64(s: string): ArrayBuffer {
  const b = Buffer.from(s, "base64");
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  return ab;
}

/** out[o..o+d) = mean of input rows rows[from..to) (zeros when there are none). */
function hiddenOf(input: Float32Array, rows: ArrayLike<number>, from: number, to: number, d: number, out: Float32Array, o: number): void {
  for (let j = 0; j < d; j++) out[o + j] = 0;
  for (let f = from; f < to; f++) {
    const b = rows[f] * d;
    for (let j = 0; j < d; j++) out[o + j] += input[b + j];
  }
  if (to > from) {
    const s = 1 / (to - from);
    for (let j = 0; j < d; j++) out[o + j] *= s;
  }
}

/** p = softmax(output · h), shifted by the largest logit so that exp never overflows. */
function softmaxOf(output: Float32Array, h: Float32Array, c: number, d: number, p: Float32Array): void {
  let max = -Infinity;
  for (let k = 0; k < c; k++) {
    const b = k * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += output[b + j] * h[j];
    p[k] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let k = 0; k < c; k++) {
    const e = Math.exp(p[k] - max);
    p[k] = e;
    z += e;
  }
  for (let k = 0; k < c; k++) p[k] /= z;
}

export function validateConfig(cfg: FastTextConfig): void {
  validateFeatureConfig(cfg);
  for (const name of ["dim", "epochs"] as const) {
    if (!(Number.isInteger(cfg[name]) && cfg[name] >= 1)) throw new Error(`fastText config: ${name} must be an integer >= 1, got ${cfg[name]}`);
  }
  if (!(Number.isFinite(cfg.lr) && cfg.lr > 0)) throw new Error(`fastText config: lr must be a positive number, got ${cfg.lr}`);
  if (!Number.isInteger(cfg.seed)) throw new Error(`fastText config: seed must be an integer, got ${cfg.seed}`);
}

interface Prepared {
  cfg: FastTextConfig;
  classes: string[];
  words: string[];
  rowIds: Int32Array;
  problem: SgdProblem;
  rng: Rng;
}

/** Checks the inputs, builds the vocabulary, each text's input rows (once) and the initial input matrix. */
function prepare(texts: readonly string[], labels: readonly string[], classes: readonly string[], config: Partial<FastTextConfig>): Prepared {
  const cfg: FastTextConfig = { ...DEFAULT_FASTTEXT_CONFIG, ...config };
  validateConfig(cfg);
  if (texts.length !== labels.length) throw new Error(`trainFastText: ${texts.length} texts but ${labels.length} labels`);
  if (texts.length === 0) throw new Error("trainFastText: empty training set (no texts)");
  if (classes.length === 0) throw new Error("trainFastText: no classes");
  const classIdx = new Map<string, number>();
  classes.forEach((c, i) => {
    if (classIdx.has(c)) throw new Error(`trainFastText: class ${JSON.stringify(c)} is listed twice`);
    classIdx.set(c, i);
  });
  const y = new Int32Array(texts.length);
  for (let i = 0; i < labels.length; i++) {
    const k = classIdx.get(labels[i]);
    if (k === undefined) throw new Error(`trainFastText: label ${JSON.stringify(labels[i])} of text ${i} (${JSON.stringify(texts[i])}) is not one of the ${classes.length} classes`);
    y[i] = k;
  }

  // Vocabulary: every word of the training texts, in order of first appearance (fastText's minCount 1).
  const wordIdx = new Map<string, number>();
  const words: string[] = [];
  const wordIndex = (w: string): number => {
    let i = wordIdx.get(w);
    if (i === undefined) {
      i = words.length;
      wordIdx.set(w, i);
      words.push(w);
    }
    return i;
  };
  wordIndex(EOS);
  // Rows of the compact input matrix, numbered in order of first appearance, flattened per text with offsets.
  const rowOf = new Map<number, number>();
  const rowIdList: number[] = [];
  const offsets = new Int32Array(texts.length + 1);
  let flat = new Int32Array(Math.max(1024, texts.length * 64));
  let nf = 0;
  const ids: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    ids.length = 0;
    featureIds(texts[i], cfg, wordIndex, ids);
    if (nf + ids.length > flat.length) {
      const g = new Int32Array(Math.max(flat.length * 2, nf + ids.length));
      g.set(flat);
      flat = g;
    }
    for (const id of ids) {
      let r = rowOf.get(id);
      if (r === undefined) {
        r = rowIdList.length;
        rowOf.set(id, r);
        rowIdList.push(id);
      }
      flat[nf++] = r;
    }
    offsets[i + 1] = nf;
  }

  const d = cfg.dim;
  const rng = new Rng(cfg.seed);
  // fastText's initialization: input uniform in ±1/dim (output zero, in the SGD loops).
  const input = new Float32Array(rowIdList.length * d);
  for (let i = 0; i < input.length; i++) input[i] = (rng.next() * 2 - 1) / d;
  return {
    cfg,
    classes: [...classes],
    words,
    rowIds: Int32Array.from(rowIdList),
    problem: { dim: d, classes: classes.length, rows: rowIdList.length, input, feats: flat.slice(0, nf), offsets, labels: y },
    rng,
  };
}

function schedule(pr: Prepared, opts: TrainOptions): SgdSchedule {
  const { cfg, rng } = pr;
  return {
    epochs: cfg.epochs,
    lr: cfg.lr,
    // The training file is sorted by title; a fresh seeded shuffle each epoch keeps SGD from drifting along that order.
    shuffle: (order) => {
      const n = order.length;
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    },
    onEpoch: opts.onEpoch && ((epoch, loss, lr, seconds) => opts.onEpoch!({ epoch: epoch + 1, epochs: cfg.epochs, loss, lr, seconds })),
  };
}

function finish(pr: Prepared, r: SgdResult): FastTextModel {
  return new FastTextModel(pr.cfg, pr.classes, pr.words, pr.rowIds, r.input, r.output);
}

/**
 * Trains a classifier on `texts` (raw titles or normalized keys: both go through normKey) labelled with
 * `labels`, each one of `classes`. Single-threaded and deterministic: the same inputs and seed give the same model.
 * `kernel: "js"` runs the plain TypeScript loop instead of the wasm kernel (a slower reference).
 */
export function trainFastText(
  texts: readonly string[],
  labels: readonly string[],
  classes: readonly string[],
  config: Partial<FastTextConfig> = {},
  opts: TrainOptions = {},
): FastTextModel {
  const pr = prepare(texts, labels, classes, config);
  const sch = schedule(pr, opts);
  return finish(pr, opts.kernel === "js" ? sgdJs(pr.problem, sch) : sgdWasm(pr.problem, sch));
}

/**
 * As trainFastText, on `threads` threads (Hogwild, as fastText's own -thread): faster, but not reproducible, since
 * the threads' updates interleave differently from run to run. One thread is trainFastText, deterministic.
 */
export async function trainFastTextThreads(
  texts: readonly string[],
  labels: readonly string[],
  classes: readonly string[],
  config: Partial<FastTextConfig> = {},
  opts: TrainOptions & { threads?: number } = {},
): Promise<FastTextModel> {
  const threads = opts.threads ?? 2;
  if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`trainFastTextThreads: threads must be an integer >= 1, got ${threads}`);
  if (threads === 1) return trainFastText(texts, labels, classes, config, opts);
  const pr = prepare(texts, labels, classes, config);
  return finish(pr, await sgdWasmThreads(pr.problem, schedule(pr, opts), threads));
}

/** The SGD loop in plain TypeScript, step for step what the wasm kernel does (kernels-as/fasttext/). */
function sgdJs(p: SgdProblem, sch: SgdSchedule): SgdResult {
  const { dim: d, classes: c, input, feats, offsets, labels: y } = p;
  const n = y.length;
  const output = new Float32Array(c * d);
  const h = new Float32Array(d);
  const g = new Float32Array(d);
  const prob = new Float32Array(c);
  const order = new Int32Array(n);
  const total = sch.epochs * n;
  let lr = sch.lr;
  for (let epoch = 0; epoch < sch.epochs; epoch++) {
    const t0 = performance.now();
    sch.shuffle(order, epoch);
    let loss = 0;
    for (let s = 0; s < n; s++) {
      const ex = order[s];
      const from = offsets[ex];
      const to = offsets[ex + 1];
      lr = sch.lr * (1 - (epoch * n + s) / total);
      if (to === from) continue;
      hiddenOf(input, feats, from, to, d, h, 0);
      softmaxOf(output, h, c, d, prob);
      const label = y[ex];
      loss -= Math.log(prob[label] > 1e-10 ? prob[label] : 1e-10);
      g.fill(0);
      for (let k = 0; k < c; k++) {
        const a = lr * ((k === label ? 1 : 0) - prob[k]);
        const b = k * d;
        for (let j = 0; j < d; j++) {
          g[j] += a * output[b + j];
          output[b + j] += a * h[j];
        }
      }
      // The gradient of the mean reaches each row divided by the number of rows, as in fastText.
      const sc = 1 / (to - from);
      for (let j = 0; j < d; j++) g[j] *= sc;
      for (let f = from; f < to; f++) {
        const b = feats[f] * d;
        for (let j = 0; j < d; j++) input[b + j] += g[j];
      }
    }
    sch.onEpoch?.(epoch, loss / n, lr, (performance.now() - t0) / 1000);
  }
  return { input, output };
}
