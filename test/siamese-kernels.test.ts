// The wasm backend's jtlab kernels (src/runtime/kernels) against the plain JS cpu backend: forward values and
// gradients on random inputs, one seeded training step of the Siamese char-CNN, and a short fit that learns.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { kernelCalls } from "../src/runtime/kernels/override";
import { registerWasmTrainingKernels } from "../src/runtime/kernels/register";
import { buildSiamese, CHAR_CONFIG } from "../src/models/siamese/model";

const TOL = 1e-4;

/** Seeded inputs as plain arrays, so that each backend builds its own tensors from the same numbers. */
interface Input {
  shape: number[];
  dtype: "float32" | "int32";
  values: Float32Array | Int32Array;
}

let seed = 12345;
function rand(): number {
  // xorshift32: the same numbers on every run
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}

function uniform(shape: number[], lo = -1, hi = 1): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + (hi - lo) * rand();
  return { shape, dtype: "float32", values };
}

function ints(shape: number[], max: number): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.floor(rand() * max);
  return { shape, dtype: "int32", values };
}

/** Runs f on a backend and returns every output's values. */
function on(backend: "cpu" | "wasm", inputs: Input[], f: (...ts: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): { shape: number[]; values: number[] }[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ts = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype));
    const out = f(...ts);
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  });
}

function maxDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The same computation on cpu and on wasm agrees within TOL, output by output. */
function agree(inputs: Input[], f: (...ts: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): void {
  const ref = on("cpu", inputs, f);
  const got = on("wasm", inputs, f);
  expect(got.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    expect(got[i].shape).toEqual(ref[i].shape);
    expect(got[i].values.some((v) => Number.isNaN(v))).toBe(false);
    expect(maxDiff(got[i].values, ref[i].values)).toBeLessThan(TOL);
  }
}

function fastCalls(name: string): number {
  return kernelCalls()[name]?.fast ?? 0;
}

/** conv1d as tf.layers uses it, then ReLU and a max over time, so that the gradient is as sparse as in training. */
function convReluMax(x: tf.Tensor, w: tf.Tensor, pad: "same" | "valid"): tf.Tensor {
  return tf.max(tf.relu(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, pad)), 1);
}

beforeAll(async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  registerWasmTrainingKernels();
  await tf.setBackend("cpu");
});

describe("jtlab wasm kernels", () => {
  it("registers once and says what it registered", () => {
    const a = registerWasmTrainingKernels();
    expect(registerWasmTrainingKernels()).toBe(a);
    expect(a).toMatch(/jtlab SIMD kernels/);
  });

  it("Conv2D and both gradients match the cpu backend (widths 1-4, same and valid, dense and sparse dy)", () => {
    const before = ["Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput"].map(fastCalls);
    for (const [fw, F, pad] of [
      [1, 20, "same"],
      [2, 20, "same"],
      [3, 20, "same"],
      [4, 8, "same"],
      [3, 24, "valid"],
      [2, 6, "same"],
    ] as const) {
      const x = uniform([3, 7, 5]);
      const w = uniform([fw, 5, F], -0.5, 0.5);
      agree([x, w], (xt, wt) => tf.conv1d(xt as tf.Tensor3D, wt as tf.Tensor3D, 1, pad));
      const dy = uniform([3, pad === "same" ? 7 : 7 - fw + 1, F]);
      agree([x, w, dy], (xt, wt, dyt) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, pad), dyt)))([xt, wt]));
      agree([x, w], (xt, wt) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(convReluMax(a, b, pad)))([xt, wt]));
    }
    const after = ["Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput"].map(fastCalls);
    after.forEach((n, i) => expect(n).toBeGreaterThan(before[i]));
  });

  it("a 2-D convolution's filter gradient, which neither these kernels nor the stock backend cover, is a clear error", () => {
    tf.setBackend("wasm");
    const x = tf.ones([1, 4, 4, 2]);
    const w = tf.ones([2, 2, 2, 4]);
    expect(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same")))(w)).toThrow(/Conv2DBackpropFilter .* supports only 1-D convolutions/);
    tf.dispose([x, w]);
  });

  it("an embedding lookup followed by conv1d (computed through the table) matches, with gradients", () => {
    const before = fastCalls("UnsortedSegmentSum");
    for (const [fw, F, pad] of [
      [1, 20, "same"],
      [2, 20, "same"],
      [3, 20, "same"],
      [3, 8, "valid"],
    ] as const) {
      const table = uniform([6, 5]);
      const ids = ints([4, 9], 6);
      const w = uniform([fw, 5, F], -0.5, 0.5);
      const embedConv = (t: tf.Tensor, i: tf.Tensor, b: tf.Tensor): tf.Tensor => convReluMax(tf.reshape(tf.gather(t, tf.reshape(i, [-1])), [4, 9, 5]), b, pad);
      agree([table, ids, w], (t, i, b) => embedConv(t, i, b));
      agree([table, ids, w], (t, i, b) => tf.grads((tt: tf.Tensor, bb: tf.Tensor) => tf.sum(embedConv(tt, i, bb)))([t, b]));
    }
    expect(fastCalls("UnsortedSegmentSum")).toBeGreaterThan(before);
  });

  it("GatherV2 on other axes and dtypes matches, and a bad index is an error", () => {
    agree([uniform([3, 4, 5]), ints([2, 3], 4)], (x, i) => tf.gather(x, i, 1));
    agree([ints([5, 3], 100), ints([7], 5)], (x, i) => tf.gather(x, i));
    tf.setBackend("wasm");
    expect(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 3], "int32")).dataSync())).toThrow(/index value 3/);
  });

  it("Sum and Max over contiguous axes match (keepDims, negative axes, NaN in max)", () => {
    const x = uniform([4, 6, 5]);
    for (const axis of [0, 1, 2, -1, [0, 1], [1, 2], [0, 1, 2]]) {
      agree([x], (t) => [tf.sum(t, axis), tf.max(t, axis), tf.sum(t, axis, true), tf.max(t, axis, true)]);
    }
    agree([x], (t) => [tf.sum(t, [0, 2]), tf.max(t, [0, 2])]);
    const withNaN = uniform([2, 3, 4]);
    withNaN.values[5] = NaN;
    const ref = on("cpu", [withNaN], (t) => tf.max(t, 1))[0].values;
    const got = on("wasm", [withNaN], (t) => tf.max(t, 1))[0].values;
    expect(got.map((v) => Number.isNaN(v))).toEqual(ref.map((v) => Number.isNaN(v)));
  });

  it("Add, Multiply and Equal with broadcasting match (shapes of the model and a few others)", () => {
    const y = uniform([16, 32, 20]);
    for (const other of [[16, 32, 20], [1, 1, 20], [16, 1, 20], [20], [], [16, 32, 1], [1, 32, 20]]) {
      const b = uniform(other);
      agree([y, b], (p, q) => [tf.add(p, q), tf.add(q, p), tf.mul(p, q), tf.mul(q, p)]);
    }
    // more than three dimensions left after merging: the stock kernels take over
    agree([uniform([8, 1, 16, 1, 32]), uniform([1, 6, 1, 5, 32])], (p, q) => [tf.add(p, q), tf.mul(p, q)]);
    const a = ints([16, 32, 20], 3);
    agree([a, ints([16, 1, 20], 3)], (p, q) => tf.cast(tf.equal(p, q), "float32"));
    agree([a, ints([16, 1, 20], 3)], (p, q) => tf.cast(tf.equal(tf.cast(p, "float32"), tf.cast(q, "float32")), "float32"));
    expect(fastCalls("Add")).toBeGreaterThan(0);
    expect(fastCalls("Multiply")).toBeGreaterThan(0);
    expect(fastCalls("Equal")).toBeGreaterThan(0);
  });

  it("Equal with broadcasting, Cast, Transpose and Identity match", () => {
    const a = ints([4, 6, 5], 3);
    const b = ints([4, 1, 5], 3);
    agree([a, b], (x, y) => tf.cast(tf.equal(x, y), "float32"));
    agree([a, b], (x, y) => tf.cast(tf.equal(tf.cast(x, "float32"), tf.cast(y, "float32")), "float32"));
    agree([a, ints([5], 3)], (x, y) => tf.cast(tf.equal(x, y), "float32"));
    agree([a, ints([], 3)], (x, y) => tf.cast(tf.equal(x, y), "float32"));
    const x = uniform([3, 1, 4]);
    agree([x], (t) => [tf.transpose(t, [1, 0, 2]), tf.transpose(t, [2, 0, 1]), tf.clone(t), tf.cast(t, "float32"), tf.cast(t, "int32")]);
    const big = ints([37, 5], 1000);
    agree([big], (t) => [tf.cast(t, "float32"), tf.cast(tf.greater(t, 500), "float32"), tf.cast(tf.greater(t, 500), "int32")]);
  });

  it("Concat and SplitV match along every axis", () => {
    const parts = [uniform([4, 3, 5]), uniform([4, 3, 2]), uniform([4, 3, 1])];
    agree(parts, (a, b, c) => [tf.concat([a, b, c], 2), tf.concat([a, a], 0), tf.concat([a, a, a], 1), tf.concat([tf.reshape(a, [-1]), tf.reshape(b, [-1])])]);
    agree([ints([4, 3], 9), ints([4, 2], 9)], (a, b) => tf.concat([a, b], 1));
    const x = uniform([6, 8, 4]);
    agree([x], (t) => [...tf.split(t, 2, 0), ...tf.split(t, [3, -1, 1], 1), ...tf.split(t, 4, 2)]);
    expect(fastCalls("Concat")).toBeGreaterThan(0);
    expect(fastCalls("SplitV")).toBeGreaterThan(0);
  });

  it("one seeded training step gives the same losses on wasm as on cpu", async () => {
    const left = ints([8, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const right = ints([8, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const labels = ints([8, 1], 2);
    const losses = async (backend: "cpu" | "wasm"): Promise<number[]> => {
      await tf.setBackend(backend);
      const { model } = buildSiamese(CHAR_CONFIG);
      model.compile({ optimizer: tf.train.adam(1e-2), loss: "binaryCrossentropy" });
      const l = tf.tensor(left.values, left.shape, "int32");
      const r = tf.tensor(right.values, right.shape, "int32");
      const y = tf.tensor(labels.values, labels.shape, "int32").toFloat();
      const out: number[] = [];
      // the second loss is computed with the weights after one Adam step
      for (let i = 0; i < 2; i++) out.push((await model.trainOnBatch([l, r], y)) as number);
      tf.dispose([l, r, y]);
      model.dispose();
      return out;
    };
    const ref = await losses("cpu");
    const got = await losses("wasm");
    expect(maxDiff(got, ref)).toBeLessThan(TOL);
  });

  it("training is deterministic: the same seed and data give bit-identical losses", async () => {
    await tf.setBackend("wasm");
    const left = ints([64, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const right = ints([64, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const labels = ints([64, 1], 2);
    const run = async (): Promise<number[]> => {
      const { model } = buildSiamese(CHAR_CONFIG);
      model.compile({ optimizer: tf.train.adam(1e-2), loss: "binaryCrossentropy" });
      const xs = [tf.tensor(left.values, left.shape, "int32"), tf.tensor(right.values, right.shape, "int32")];
      const y = tf.tensor(labels.values, labels.shape, "int32").toFloat();
      const h = await model.fit(xs, y, { batchSize: 16, epochs: 3, verbose: 0, shuffle: false });
      tf.dispose([...xs, y]);
      model.dispose();
      return h.history.loss as number[];
    };
    expect(await run()).toEqual(await run());
  });

  it("a few epochs of fit on tiny data lower the loss", async () => {
    await tf.setBackend("wasm");
    const left = ints([32, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const right = ints([32, CHAR_CONFIG.seqLength], CHAR_CONFIG.vocabSize);
    const labels = ints([32, 1], 2);
    const { model } = buildSiamese(CHAR_CONFIG);
    model.compile({ optimizer: tf.train.adam(1e-2), loss: "binaryCrossentropy" });
    const xs = [tf.tensor(left.values, left.shape, "int32"), tf.tensor(right.values, right.shape, "int32")];
    const y = tf.tensor(labels.values, labels.shape, "int32").toFloat();
    const h = await model.fit(xs, y, { batchSize: 8, epochs: 15, verbose: 0, shuffle: false });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
    tf.dispose([...xs, y]);
    model.dispose();
  });
});
