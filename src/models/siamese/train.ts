// Training the Siamese model on pairs: our own seeded shuffling each epoch (no shuffling inside tfjs), a held-out
// validation share with early stopping (the best epoch's weights are kept), a progress display, and the
// train/validation curves recorded for the report.
import * as tf from "@tensorflow/tfjs";
import { progress } from "../../runtime/progress";
import { Rng } from "../../util/random";
import { TitleEncoder } from "./encoders";
import { buildSiamese, SiameseConfig, SiameseModel } from "./model";
import { Pair } from "./pairs";

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Share of pairs held out for validation (early stopping). */
  validationShare: number;
  /** Stop after this many epochs without a better validation loss. */
  patience: number;
  seed: number;
  /** Print progress (a bar in notebooks, stderr lines elsewhere). */
  verbose?: boolean;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  trainPairs: number;
  validationPairs: number;
  /** Training pairs per second over all epochs (forward + backward + update). */
  pairsPerSecond: number;
  seconds: number;
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
): Promise<{ model: SiameseModel; result: TrainResult }> {
  const rng = new Rng(opts.seed);
  const order = Int32Array.from(rng.shuffle(Array.from({ length: data.n }, (_, i) => i)));
  const nVal = Math.round(data.n * opts.validationShare);
  const valIdx = order.subarray(0, nVal);
  const trainIdx = Int32Array.from(order.subarray(nVal));
  const m = buildSiamese(config);
  m.model.compile({ optimizer: tf.train.adam(opts.learningRate), loss: "binaryCrossentropy" });
  const L = data.length;
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: -1, weights: [] as tf.Tensor[] };
  let trainSeconds = 0;
  const t0 = performance.now();
  const batches = Math.ceil(trainIdx.length / opts.batchSize);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    rng.shuffle(trainIdx as unknown as number[]);
    const bar = opts.verbose ? progress(batches, `epoch ${epoch}/${opts.epochs}`) : null;
    const te = performance.now();
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      const from = b * opts.batchSize;
      const to = Math.min(trainIdx.length, from + opts.batchSize);
      const a = tf.tensor2d(gather(data.left, trainIdx, from, to, L), [to - from, L], "int32");
      const r = tf.tensor2d(gather(data.right, trainIdx, from, to, L), [to - from, L], "int32");
      const y = tf.tensor2d(Float32Array.from(trainIdx.subarray(from, to), (i) => data.labels[i]), [to - from, 1]);
      const l = (await m.model.trainOnBatch([a, r], y)) as number;
      tf.dispose([a, r, y]);
      lossSum += l * (to - from);
      bar?.tick(1, `loss ${l.toFixed(4)}`);
    }
    const epochSeconds = (performance.now() - te) / 1000;
    trainSeconds += epochSeconds;
    const val = nVal > 0 ? await evaluatePairs(m, data, valIdx) : { loss: lossSum / trainIdx.length, accuracy: NaN };
    const rec: EpochRecord = { epoch, loss: lossSum / trainIdx.length, valLoss: val.loss, valAccuracy: val.accuracy, seconds: epochSeconds };
    history.push(rec);
    bar?.finish(`loss ${rec.loss.toFixed(4)} · val loss ${rec.valLoss.toFixed(4)} · val acc ${(rec.valAccuracy * 100).toFixed(1)}%`);
    onEpoch?.(rec);
    if (val.loss < best.loss - 1e-5) {
      tf.dispose(best.weights);
      best = { loss: val.loss, epoch, weights: m.model.getWeights().map((w) => w.clone()) };
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
      pairsPerSecond: (trainIdx.length * history.length) / Math.max(1e-9, trainSeconds),
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
