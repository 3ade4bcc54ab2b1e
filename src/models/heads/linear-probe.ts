// A linear probe: multinomial logistic regression (a softmax head with a bias per class) trained on frozen title
// vectors. It asks how much of a class is linearly readable from a representation, and it is the cheapest trained
// classifier on top of any SimilarityModel's vectors.
//
// Training is mini-batch Adam on the mean cross-entropy plus (l2/2)·‖W‖² (biases unpenalized), from zero weights, in
// a seeded order: the same seed gives the same model bit for bit. Features are not standardized: Adam's
// per-coordinate step sizes already absorb differences of scale between dimensions, centering would turn hashed
// TF-IDF rows (a few dozen non-zeros in 4,096) dense, and the weights stay in the input's own space. Sparse inputs
// (under half the entries non-zero) are held as per-row lists of non-zero indices, so that forward and backward
// passes cost the non-zeros, not the dimension.
import { Rng } from "../../util/random";

export interface LinearProbeOptions {
  /** Passes over the training rows (default 8: on 55k char TF-IDF titles, more epochs no longer move dev macro-F1). */
  epochs?: number;
  /** Adam's step size at the start; it decays along a cosine to a tenth of it by the last step (default 0.05). */
  learningRate?: number;
  /**
   * Weight of (1/2)·‖W‖² added to the mean cross-entropy (default 1e-6: unit-length TF-IDF rows need weights in the
   * tens, and 1e-5 already cost about ten points of role macro-F1 on the dev split).
   */
  l2?: number;
  /** Rows per step (default 128). */
  batchSize?: number;
  /** Seeds the order of rows in each epoch (default 1). */
  seed?: number;
  /** Called after every epoch with its mean training cross-entropy and accuracy, each batch measured before its update. */
  onEpoch?: (e: { epoch: number; loss: number; accuracy: number }) => void;
}

export interface LinearProbeJSON {
  format: "jtlab-linear-probe";
  version: 1;
  dim: number;
  classes: string[];
  /** One array of `dim` weights per class, in the order of `classes`. */
  weights: number[][];
  bias: number[];
  training: { rows: number; epochs: number; learningRate: number; l2: number; batchSize: number; seed: number; finalLoss: number };
}

const DEFAULTS = { epochs: 8, learningRate: 0.05, l2: 1e-6, batchSize: 128, seed: 1 };

/** Rows of a row-major matrix as (indices, values) lists of their non-zeros. */
interface SparseRows {
  start: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

function checkMatrix(where: string, X: Float32Array, dim: number): number {
  if (!(X instanceof Float32Array)) throw new Error(`${where}: X must be a Float32Array (row-major, rows × dim)`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${where}: dim must be a positive integer, got ${dim}`);
  if (X.length % dim !== 0) throw new Error(`${where}: X has ${X.length} values, not a whole number of rows of dim ${dim} (dim mismatch)`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new Error(`${where}: X[${Math.floor(i / dim)}, ${i % dim}] is ${X[i]}, not a finite number`);
  }
  return X.length / dim;
}

/** The non-zeros of X per row, or null when the matrix is dense enough that indexing would cost more than it saves. */
function sparseRows(X: Float32Array, n: number, dim: number): SparseRows | null {
  let nnz = 0;
  for (let i = 0; i < X.length; i++) if (X[i] !== 0) nnz++;
  if (nnz > 0.5 * X.length) return null;
  const start = new Int32Array(n + 1);
  const index = new Int32Array(nnz);
  const value = new Float32Array(nnz);
  let p = 0;
  for (let r = 0; r < n; r++) {
    start[r] = p;
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = X[o + j];
      if (v !== 0) {
        index[p] = j;
        value[p++] = v;
      }
    }
  }
  start[n] = p;
  return { start, index, value };
}

/**
 * Logits of row r into z (length C): bias plus x·W, with W stored dimension-major ([dim × C]) so that each non-zero
 * of x adds one contiguous run of C weights. W and b are always Float64Array: one element type keeps these hot
 * loops monomorphic in V8.
 */
function logits(z: Float64Array, W: Float64Array, b: Float64Array, C: number, X: Float32Array, dim: number, sp: SparseRows | null, r: number): void {
  for (let c = 0; c < C; c++) z[c] = b[c];
  if (sp) {
    for (let p = sp.start[r], e = sp.start[r + 1]; p < e; p++) {
      const v = sp.value[p];
      const o = sp.index[p] * C;
      for (let c = 0; c < C; c++) z[c] += v * W[o + c];
    }
  } else {
    for (let j = 0, xo = r * dim; j < dim; j++) {
      const v = X[xo + j];
      const o = j * C;
      for (let c = 0; c < C; c++) z[c] += v * W[o + c];
    }
  }
}

/** Adds the outer product x_r ⊗ d to G (dimension-major, like W). */
function accumulate(G: Float64Array, d: Float64Array, C: number, X: Float32Array, dim: number, sp: SparseRows | null, r: number): void {
  if (sp) {
    for (let p = sp.start[r], e = sp.start[r + 1]; p < e; p++) {
      const v = sp.value[p];
      const o = sp.index[p] * C;
      for (let c = 0; c < C; c++) G[o + c] += v * d[c];
    }
  } else {
    for (let j = 0, xo = r * dim; j < dim; j++) {
      const v = X[xo + j];
      const o = j * C;
      for (let c = 0; c < C; c++) G[o + c] += v * d[c];
    }
  }
}

/** Softmax of z in place; returns the index of the largest entry (the first one on ties). */
function softmax(z: Float64Array, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (z[c] > z[best]) best = c;
  const m = z[best];
  let s = 0;
  for (let c = 0; c < C; c++) s += z[c] = Math.exp(z[c] - m);
  for (let c = 0; c < C; c++) z[c] /= s;
  return best;
}

/**
 * The summed gradient of the cross-entropy over rows order[s0..s1) into gW, gb (zeroed first); adds the batch's
 * summed loss to tally[0] and its count of right answers to tally[1]. Its own function rather than a loop inside
 * trainLinearProbe so that V8 optimizes it as a whole rather than by on-stack replacement.
 */
function batchGradient(
  gW: Float64Array, gb: Float64Array, W: Float64Array, b: Float64Array, z: Float64Array, C: number,
  X: Float32Array, dim: number, sp: SparseRows | null, y: Int32Array, order: number[], s0: number, s1: number, tally: Float64Array,
): void {
  gW.fill(0);
  gb.fill(0);
  let loss = 0;
  let hits = 0;
  for (let t = s0; t < s1; t++) {
    const r = order[t];
    const k = y[r];
    logits(z, W, b, C, X, dim, sp, r);
    if (softmax(z, C) === k) hits++;
    loss -= Math.log(Math.max(z[k], 1e-300));
    z[k] -= 1;
    for (let c = 0; c < C; c++) gb[c] += z[c];
    accumulate(gW, z, C, X, dim, sp, r);
  }
  tally[0] += loss;
  tally[1] += hits;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** One Adam step (bias-corrected) on θ with gradient g·scale + l2·θ. */
function adamStep(theta: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, scale: number, l2: number, lr: number, step: number): void {
  const a = lr / (1 - BETA1 ** step);
  const c2 = 1 / (1 - BETA2 ** step);
  for (let k = 0; k < theta.length; k++) {
    const gk = g[k] * scale + l2 * theta[k];
    const mk = (m[k] = BETA1 * m[k] + (1 - BETA1) * gk);
    const vk = (v[k] = BETA2 * v[k] + (1 - BETA2) * gk * gk);
    theta[k] -= (a * mk) / (Math.sqrt(vk * c2) + EPS);
  }
}

export class LinearProbe {
  /** Weights, dimension-major: W[j·C + c] is class c's weight on dimension j. */
  private readonly W: Float32Array;
  private readonly b: Float32Array;
  private readonly W64: Float64Array;
  private readonly b64: Float64Array;

  constructor(
    readonly dim: number,
    readonly classes: readonly string[],
    W: Float32Array,
    b: Float32Array,
    readonly training: LinearProbeJSON["training"],
  ) {
    if (W.length !== dim * classes.length) throw new Error(`LinearProbe: ${W.length} weights, expected dim ${dim} × ${classes.length} classes`);
    if (b.length !== classes.length) throw new Error(`LinearProbe: ${b.length} biases for ${classes.length} classes`);
    this.W = W;
    this.b = b;
    this.W64 = Float64Array.from(W);
    this.b64 = Float64Array.from(b);
  }

  /** Class probabilities, row-major [rows × classes]; each row sums to 1. */
  predictProba(X: Float32Array): Float32Array {
    const n = checkMatrix("LinearProbe.predictProba", X, this.dim);
    const C = this.classes.length;
    const out = new Float32Array(n * C);
    const z = new Float64Array(C);
    const sp = sparseRows(X, n, this.dim);
    for (let r = 0; r < n; r++) {
      logits(z, this.W64, this.b64, C, X, this.dim, sp, r);
      softmax(z, C);
      for (let c = 0; c < C; c++) out[r * C + c] = z[c];
    }
    return out;
  }

  /** The most probable class of each row and its probability (the first class in `classes` order on ties). */
  predict(X: Float32Array): { label: string; score: number }[] {
    const P = this.predictProba(X);
    const C = this.classes.length;
    const out: { label: string; score: number }[] = [];
    for (let o = 0; o < P.length; o += C) {
      let best = 0;
      for (let c = 1; c < C; c++) if (P[o + c] > P[o + best]) best = c;
      out.push({ label: this.classes[best], score: P[o + best] });
    }
    return out;
  }

  toJSON(): LinearProbeJSON {
    const C = this.classes.length;
    // Nine significant digits identify a float32 exactly, so a reload gives the same weights in fewer characters.
    const f = (v: number): number => Number(v.toPrecision(9));
    return {
      format: "jtlab-linear-probe",
      version: 1,
      dim: this.dim,
      classes: this.classes.slice(),
      weights: this.classes.map((_, c) => Array.from({ length: this.dim }, (_, j) => f(this.W[j * C + c]))),
      bias: Array.from(this.b, f),
      training: { ...this.training },
    };
  }
}

export function linearProbeFromJSON(json: LinearProbeJSON): LinearProbe {
  const j = json as Partial<LinearProbeJSON> | null;
  if (!j || j.format !== "jtlab-linear-probe" || j.version !== 1) throw new Error("linearProbeFromJSON: not a jtlab-linear-probe version 1 model");
  const { dim, classes, weights, bias } = j;
  if (!Number.isInteger(dim) || dim! < 1) throw new Error(`linearProbeFromJSON: dim must be a positive integer, got ${String(dim)}`);
  if (!Array.isArray(classes) || classes.length < 2) throw new Error("linearProbeFromJSON: classes must list at least two classes");
  if (!Array.isArray(weights) || weights.length !== classes.length) throw new Error(`linearProbeFromJSON: weights must hold one array per class (${classes.length})`);
  if (!Array.isArray(bias) || bias.length !== classes.length) throw new Error(`linearProbeFromJSON: bias must hold one number per class (${classes.length})`);
  const C = classes.length;
  const W = new Float32Array(dim! * C);
  weights.forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== dim) throw new Error(`linearProbeFromJSON: weights of ${JSON.stringify(classes[c])} have ${row?.length} entries, expected dim ${dim}`);
    for (let k = 0; k < dim!; k++) W[k * C + c] = row[k];
  });
  return new LinearProbe(dim!, classes.slice(), W, Float32Array.from(bias), { ...j.training! });
}

/**
 * Trains a linear softmax head on frozen vectors. X is row-major [labels.length × dim]; every label must be one of
 * `classes` (a class without training rows keeps a low bias and is seldom predicted).
 */
export function trainLinearProbe(
  X: Float32Array,
  dim: number,
  labels: readonly string[],
  classes: readonly string[],
  opts: LinearProbeOptions = {},
): LinearProbe {
  const where = "trainLinearProbe";
  const n = checkMatrix(where, X, dim);
  if (n === 0 || labels.length === 0) throw new Error(`${where}: empty training set (no rows)`);
  if (labels.length !== n) throw new Error(`${where}: X has ${n} rows of dim ${dim} but there are ${labels.length} labels (dim mismatch or missing labels)`);
  if (classes.length < 2) throw new Error(`${where}: need at least two classes, got ${classes.length}`);
  const classIndex = new Map<string, number>();
  classes.forEach((c, k) => {
    if (classIndex.has(c)) throw new Error(`${where}: class ${JSON.stringify(c)} is listed twice`);
    classIndex.set(c, k);
  });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = classIndex.get(labels[i]);
    if (k === undefined) throw new Error(`${where}: unknown label ${JSON.stringify(labels[i])} at row ${i} (not among the ${classes.length} classes)`);
    y[i] = k;
  }
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & LinearProbeOptions;
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new Error(`${where}: epochs must be a positive integer, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${o.batchSize}`);
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw new Error(`${where}: learningRate must be a positive number, got ${o.learningRate}`);
  if (!(o.l2 >= 0) || !Number.isFinite(o.l2)) throw new Error(`${where}: l2 must be a number ≥ 0, got ${o.l2}`);

  const C = classes.length;
  const P = dim * C;
  const sp = sparseRows(X, n, dim);
  const W = new Float64Array(P);
  const b = new Float64Array(C);
  const gW = new Float64Array(P);
  const gb = new Float64Array(C);
  // Adam's moments: weights then biases.
  const mW = new Float64Array(P);
  const vW = new Float64Array(P);
  const mb = new Float64Array(C);
  const vb = new Float64Array(C);
  const z = new Float64Array(C);
  const rng = new Rng(o.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const stepsPerEpoch = Math.ceil(n / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  let step = 0;
  let finalLoss = NaN;

  const tally = new Float64Array(2);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    rng.shuffle(order);
    tally.fill(0);
    for (let s0 = 0; s0 < n; s0 += o.batchSize) {
      const s1 = Math.min(n, s0 + o.batchSize);
      batchGradient(gW, gb, W, b, z, C, X, dim, sp, y, order, s0, s1, tally);
      step++;
      // Cosine decay to a tenth: large early steps, then a settled final iterate rather than one at the mercy of the
      // last batch.
      const lr = o.learningRate * (0.1 + 0.45 * (1 + Math.cos((Math.PI * (step - 1)) / Math.max(1, totalSteps - 1))));
      const inv = 1 / (s1 - s0);
      adamStep(W, gW, mW, vW, inv, o.l2, lr, step);
      adamStep(b, gb, mb, vb, inv, 0, lr, step);
    }
    finalLoss = tally[0] / n;
    if (!Number.isFinite(finalLoss)) throw new Error(`${where}: training diverged at epoch ${epoch} (loss ${finalLoss}); lower learningRate`);
    o.onEpoch?.({ epoch, loss: finalLoss, accuracy: tally[1] / n });
  }
  return new LinearProbe(dim, classes.slice(), Float32Array.from(W), Float32Array.from(b), {
    rows: n,
    epochs: o.epochs,
    learningRate: o.learningRate,
    l2: o.l2,
    batchSize: o.batchSize,
    seed: o.seed,
    finalLoss,
  });
}
