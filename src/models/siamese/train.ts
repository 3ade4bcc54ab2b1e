// Training the Siamese model: our own seeded shuffling each epoch (no shuffling inside tfjs), a held-out validation
// share with early stopping (the best epoch's weights are kept: lowest validation loss, or for the contrastive
// objective the highest retrieval MRR of held-out positive pairs), a progress display, and the train/validation curves
// recorded for the report. Two objectives:
//   "pairs"       — the talk's: binary cross-entropy of the model's output on labelled positive and negative pairs;
//   "contrastive" — each batch of positive pairs (a_i, b_i) is a 256-way choice: a_i's tower vector must be closer
//                   (cosine) to b_i's than to every other b_j in the batch (InfoNCE, both directions). Every other
//                   title in the batch is a negative, so each step sees far more negatives than the pairs objective
//                   does. The model's Dense(1, sigmoid) on the cosine is then fitted on the labelled validation
//                   pairs (a two-parameter logistic regression), so that 0.5 still means "same meaning".
//                   With mining on (mineShare > 0 and a pool), from the second epoch a share of each batch's pairs
//                   also brings a mined hard negative (mining.ts): one more column for every row to rank below.
import * as tf from "@tensorflow/tfjs";
import { progress } from "../../runtime/progress";
import { Rng } from "../../util/random";
import { TitleEncoder } from "./encoders";
import { buildSiamese, SiameseConfig, SiameseModel, towerDim } from "./model";
import { mineNegatives, MiningPool } from "./mining";
import { Pair } from "./pairs";

export interface TrainOptions {
  /** "pairs" (the talk's) or "contrastive" (in-batch negatives; needs the cosine merge). Default "pairs". */
  objective?: "pairs" | "contrastive";
  /** Softmax temperature of the contrastive objective. */
  temperature?: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Share of pairs held out for validation (early stopping). */
  validationShare: number;
  /** Stop after this many epochs without a better validation loss. */
  patience: number;
  seed: number;
  /** Contrastive objective: share of each batch's pairs given a mined hard negative from the second epoch (0 = off). */
  mineShare?: number;
  /** Mined negatives are drawn from this many nearest safe titles. */
  mineK?: number;
  /** Print progress (a bar in notebooks, stderr lines elsewhere). */
  verbose?: boolean;
  /** Asked after every batch: true stops training there, keeping the best weights so far (e.g. on Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  /**
   * Contrastive objective: mean reciprocal rank of each validation positive's partner among all validation partners
   * (the task the objective trains, measured on held-out pairs); the best epoch is the one with the highest.
   */
  valMrr?: number;
  /** Training pairs that had a mined negative this epoch. */
  mined?: number;
  /** Seconds spent mining before this epoch. */
  mineSeconds?: number;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  trainPairs: number;
  validationPairs: number;
  /** Training pairs per second over all epochs (forward + backward + update). */
  pairsPerSecond: number;
  seconds: number;
  /** Where training stopped when shouldStop asked it to (epochs count from 1, batches within the epoch from 1). */
  stopped?: { epoch: number; batch: number; batches: number };
}

export interface EncodedPairs {
  left: Int32Array;
  right: Int32Array;
  labels: Float32Array;
  n: number;
  length: number;
}

export function encodePairs(pairs: readonly Pair[], enc: TitleEncoder): EncodedPairs {
  return {
    left: enc.encodeBatch(pairs.map((p) => p.a)),
    right: enc.encodeBatch(pairs.map((p) => p.b)),
    labels: Float32Array.from(pairs, (p) => p.label),
    n: pairs.length,
    length: enc.maxLength,
  };
}

function gather(src: Int32Array, idx: Int32Array, from: number, to: number, L: number): Int32Array {
  const out = new Int32Array((to - from) * L);
  for (let k = from; k < to; k++) out.set(src.subarray(idx[k] * L, idx[k] * L + L), (k - from) * L);
  return out;
}

/** Binary cross-entropy and accuracy of the model on encoded pairs (batched, no gradients). */
export async function evaluatePairs(m: SiameseModel, data: EncodedPairs, idx: Int32Array, batchSize = 2048): Promise<{ loss: number; accuracy: number }> {
  let loss = 0;
  let right = 0;
  const L = data.length;
  for (let from = 0; from < idx.length; from += batchSize) {
    const to = Math.min(idx.length, from + batchSize);
    const a = tf.tensor2d(gather(data.left, idx, from, to, L), [to - from, L], "int32");
    const b = tf.tensor2d(gather(data.right, idx, from, to, L), [to - from, L], "int32");
    const y = m.model.predict([a, b]) as tf.Tensor;
    const probs = (await y.data()) as Float32Array;
    tf.dispose([a, b, y]);
    for (let k = from; k < to; k++) {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, probs[k - from]));
      const y = data.labels[idx[k]];
      loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      if ((p >= 0.5 ? 1 : 0) === y) right++;
    }
  }
  return { loss: loss / Math.max(1, idx.length), accuracy: right / Math.max(1, idx.length) };
}

export async function trainSiamese(
  config: SiameseConfig,
  data: EncodedPairs,
  opts: TrainOptions,
  onEpoch?: (e: EpochRecord) => void,
  pool?: MiningPool,
  /** Called on the freshly built model before training (e.g. to start the word embedding from word2vec). */
  init?: (m: SiameseModel) => void,
): Promise<{ model: SiameseModel; result: TrainResult }> {
  const rng = new Rng(opts.seed);
  const order = Int32Array.from(rng.shuffle(Array.from({ length: data.n }, (_, i) => i)));
  const nVal = Math.round(data.n * opts.validationShare);
  const valIdx = order.subarray(0, nVal);
  const contrastive = opts.objective === "contrastive";
  if (contrastive && config.merge !== "cosine") throw new Error(`the contrastive objective trains cosine similarity: use merge "cosine", not "${config.merge}"`);
  const m = buildSiamese(config);
  init?.(m);
  const optimizer = tf.train.adam(opts.learningRate);
  m.model.compile({ optimizer, loss: "binaryCrossentropy" });
  // The contrastive objective learns from positive pairs only; the labelled negatives still serve for validation.
  const trainPool = contrastive ? Int32Array.from(Array.from(order.subarray(nVal)).filter((i) => data.labels[i] === 1)) : Int32Array.from(order.subarray(nVal));
  const tau = opts.temperature ?? 0.05;
  // Held-out positives for the retrieval check (at most 2,000: a 2,000 × 2,000 similarity matrix).
  const valPositives = Int32Array.from(Array.from(valIdx).filter((i) => data.labels[i] === 1).slice(0, 2000));
  const L = data.length;
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: -1, weights: [] as tf.Tensor[] };
  let trainSeconds = 0;
  const t0 = performance.now();
  const trainIdx = trainPool;
  // Contrastive batches must be full: a short last batch would change the task's difficulty.
  const batches = contrastive ? Math.floor(trainIdx.length / opts.batchSize) : Math.ceil(trainIdx.length / opts.batchSize);
  if (batches === 0) throw new Error(`too few training pairs (${trainIdx.length}) for one batch of ${opts.batchSize}`);
  const mineShare = contrastive && pool ? opts.mineShare ?? 0 : 0;
  const perBatch = Math.round(mineShare * opts.batchSize);
  let negatives: Int32Array | null = null;
  let mined = 0;
  let mineSeconds = 0;
  let stopped: TrainResult["stopped"];
  for (let epoch = 1; epoch <= opts.epochs && !stopped; epoch++) {
    rng.shuffle(trainIdx as unknown as number[]);
    if (perBatch > 0 && epoch > 1) {
      const tm = performance.now();
      const r = await mineNegatives(m.tower, towerDim(config), pool!, trainIdx, opts.mineK ?? 10, rng);
      negatives = r.negatives;
      mined = r.found;
      mineSeconds = (performance.now() - tm) / 1000;
    }
    const bar = opts.verbose ? progress(batches, `epoch ${epoch}/${opts.epochs}`) : null;
    const te = performance.now();
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      const from = b * opts.batchSize;
      const to = Math.min(trainIdx.length, from + opts.batchSize);
      const a = tf.tensor2d(gather(data.left, trainIdx, from, to, L), [to - from, L], "int32");
      const r = tf.tensor2d(gather(data.right, trainIdx, from, to, L), [to - from, L], "int32");
      let l: number;
      if (contrastive) {
        const n = negatives ? minedBatch(pool!, negatives, from, to, perBatch) : null;
        const cost = optimizer.minimize(() => infoNce(m, a, r, tau, n ?? undefined), true, m.tower.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val))!;
        l = (await cost.data())[0];
        tf.dispose([a, r, cost]);
        n?.dispose();
      } else {
        const y = tf.tensor2d(Float32Array.from(trainIdx.subarray(from, to), (i) => data.labels[i]), [to - from, 1]);
        l = (await m.model.trainOnBatch([a, r], y)) as number;
        tf.dispose([a, r, y]);
      }
      lossSum += l * (to - from);
      bar?.tick(1, `loss ${l.toFixed(4)}`);
      // Backends whose data() resolves at once never give the event loop a turn, and signals (Ctrl-C, a kernel
      // interrupt) are delivered there: one turn per batch lets them in (microseconds against a batch's milliseconds).
      if (opts.shouldStop) await new Promise((resolve) => setImmediate(resolve));
      if (opts.shouldStop?.()) {
        stopped = { epoch, batch: b + 1, batches };
        break;
      }
    }
    if (stopped) {
      bar?.finish(`stopped after batch ${stopped.batch} of ${batches}`);
      // An epoch cut short is not validated: the best complete epoch's weights are kept (the current ones if none).
      break;
    }
    const epochSeconds = (performance.now() - te) / 1000;
    trainSeconds += epochSeconds;
    if (contrastive) await calibrate(m, data, valIdx.length ? valIdx : trainIdx.subarray(0, 2048));
    const trained = contrastive ? batches * opts.batchSize : trainIdx.length;
    const val = nVal > 0 ? await evaluatePairs(m, data, valIdx) : { loss: lossSum / trainIdx.length, accuracy: NaN };
    const rec: EpochRecord = { epoch, loss: lossSum / trained, valLoss: val.loss, valAccuracy: val.accuracy, seconds: epochSeconds };
    if (contrastive && valPositives.length > 1) rec.valMrr = await retrievalMrr(m, data, valPositives);
    if (negatives) Object.assign(rec, { mined, mineSeconds });
    history.push(rec);
    bar?.finish(`loss ${rec.loss.toFixed(4)} · val loss ${rec.valLoss.toFixed(4)} · val acc ${(rec.valAccuracy * 100).toFixed(1)}%${rec.valMrr !== undefined ? ` · val MRR ${rec.valMrr.toFixed(4)}` : ""}`);
    onEpoch?.(rec);
    // Lower is better: the pairs' loss, or minus the retrieval MRR for the contrastive objective.
    const score = rec.valMrr !== undefined ? -rec.valMrr : val.loss;
    if (score < best.loss - 1e-5) {
      tf.dispose(best.weights);
      best = { loss: score, epoch, weights: m.model.getWeights().map((w) => w.clone()) };
    } else if (epoch - best.epoch >= opts.patience) {
      break;
    }
  }
  if (best.weights.length) {
    m.model.setWeights(best.weights);
    tf.dispose(best.weights);
  }
  return {
    model: m,
    result: {
      history,
      bestEpoch: best.epoch,
      trainPairs: trainIdx.length,
      validationPairs: nVal,
      pairsPerSecond: ((contrastive ? batches * opts.batchSize : trainIdx.length) * history.length) / Math.max(1e-9, trainSeconds),
      seconds: (performance.now() - t0) / 1000,
      ...(stopped ? { stopped } : {}),
    },
  };
}

/** Rows scaled to unit length (the contrastive objective compares cosines). */
function unit(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x, 2, 1, true), 1e-6));
}

/** MRR of b_i among all validation b's for query a_i (cosine of tower outputs). */
async function retrievalMrr(m: SiameseModel, data: EncodedPairs, idx: Int32Array): Promise<number> {
  const L = data.length;
  const n = idx.length;
  const a = tf.tensor2d(gather(data.left, idx, 0, n, L), [n, L], "int32");
  const b = tf.tensor2d(gather(data.right, idx, 0, n, L), [n, L], "int32");
  const simT = tf.tidy(() => {
    return tf.matMul(unit(m.tower.predict(a) as tf.Tensor), unit(m.tower.predict(b) as tf.Tensor), false, true);
  });
  const sim = (await simT.data()) as Float32Array;
  tf.dispose([a, b, simT]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const own = sim[i * n + i];
    let rank = 1;
    for (let j = 0; j < n; j++) if (j !== i && sim[i * n + j] > own) rank++;
    sum += 1 / rank;
  }
  return sum / n;
}

/** The ids of the mined negatives of the first `max` pairs in [from, to) of the epoch's order that have one. */
function minedBatch(pool: MiningPool, negatives: Int32Array, from: number, to: number, max: number): tf.Tensor2D | null {
  const L = pool.length;
  const rows: number[] = [];
  for (let k = from; k < to && rows.length < max; k++) if (negatives[k] >= 0) rows.push(negatives[k]);
  if (rows.length === 0) return null;
  const out = new Int32Array(rows.length * L);
  rows.forEach((c, i) => out.set(pool.ids.subarray(c * L, c * L + L), i * L));
  return tf.tensor2d(out, [rows.length, L], "int32");
}

/**
 * InfoNCE over a batch of positive pairs, symmetric: row i of A must pick row i of B among all rows, and back. Mined
 * negatives, when given, are further columns every row of A must rank below its own B.
 */
function infoNce(m: SiameseModel, a: tf.Tensor, b: tf.Tensor, tau: number, negatives?: tf.Tensor): tf.Scalar {
  const za = unit(m.tower.apply(a) as tf.Tensor);
  const zb = unit(m.tower.apply(b) as tf.Tensor);
  const logits = tf.div(tf.matMul(za, zb, false, true), tau);
  const n = a.shape[0];
  const target = tf.oneHot(tf.range(0, n, 1, "int32"), n);
  const back = tf.losses.softmaxCrossEntropy(target, tf.transpose(logits));
  if (!negatives) return tf.add(tf.losses.softmaxCrossEntropy(target, logits), back) as tf.Scalar;
  const zn = unit(m.tower.apply(negatives) as tf.Tensor);
  const wide = tf.concat([logits, tf.div(tf.matMul(za, zn, false, true), tau)], 1);
  const wideTarget = tf.oneHot(tf.range(0, n, 1, "int32"), n + negatives.shape[0]);
  return tf.add(tf.losses.softmaxCrossEntropy(wideTarget, wide), back) as tf.Scalar;
}

/**
 * Fits the model's Dense(1, sigmoid) on cosine similarity to labelled pairs: p = σ(w·cos + b) by Newton's method
 * on the log-likelihood (two parameters, a handful of iterations).
 */
async function calibrate(m: SiameseModel, data: EncodedPairs, idx: Int32Array): Promise<void> {
  const L = data.length;
  const a = tf.tensor2d(gather(data.left, idx, 0, idx.length, L), [idx.length, L], "int32");
  const b = tf.tensor2d(gather(data.right, idx, 0, idx.length, L), [idx.length, L], "int32");
  const cosT = tf.tidy(() => {
    const za = m.tower.predict(a) as tf.Tensor;
    const zb = m.tower.predict(b) as tf.Tensor;
    return tf.div(tf.sum(tf.mul(za, zb), 1), tf.add(tf.mul(tf.norm(za, 2, 1), tf.norm(zb, 2, 1)), 1e-6));
  });
  const cos = (await cosT.data()) as Float32Array;
  tf.dispose([a, b, cosT]);
  const y = Float32Array.from(idx, (i) => data.labels[i]);
  let w = 5;
  let c = -2.5;
  for (let it = 0; it < 25; it++) {
    let g0 = 0, g1 = 0, h00 = 1e-6, h01 = 0, h11 = 1e-6;
    for (let i = 0; i < cos.length; i++) {
      const p = 1 / (1 + Math.exp(-(w * cos[i] + c)));
      const e = p - y[i];
      const v = p * (1 - p);
      g0 += e * cos[i];
      g1 += e;
      h00 += v * cos[i] * cos[i];
      h01 += v * cos[i];
      h11 += v;
    }
    const det = h00 * h11 - h01 * h01;
    if (Math.abs(det) < 1e-12) break;
    const dw = (h11 * g0 - h01 * g1) / det;
    const dc = (h00 * g1 - h01 * g0) / det;
    w -= dw;
    c -= dc;
    if (Math.abs(dw) + Math.abs(dc) < 1e-8) break;
  }
  const dense = m.model.getLayer("similarity");
  tf.tidy(() => dense.setWeights([tf.tensor2d([[w]]), tf.tensor1d([c])]));
}
