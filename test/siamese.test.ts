import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDatasets } from "../src/datasets/build";
import { levelRepresentatives } from "../src/models/representatives/classifier";
import { siameseRunConfig } from "../src/experiments/configs";
import { CharTitleEncoder, WordTitleEncoder } from "../src/models/siamese/encoders";
import { buildSiamese, CHAR_CONFIG, parameterCounts, TALK_WORD_CONFIG } from "../src/models/siamese/model";
import { makePairs } from "../src/models/siamese/pairs";
import { encodePairs, evaluatePairs, trainSiamese } from "../src/models/siamese/train";
import { TrainedSiamese } from "../src/models/siamese/trained";
import { initBackend } from "../src/runtime/backend";
import { normKey } from "../src/text/normalize";
import { tmpDir, toyPairs } from "./helpers";

// Tiny model and data: these tests check behaviour, not speed, so they run on whatever backend is quickest to
// start (the JS cpu backend handles a model this small well).
const TINY = { ...CHAR_CONFIG, seqLength: 12, embedDim: 8, filters: 4, seed: 3 };

beforeAll(async () => {
  await initBackend({ backend: "cpu", log: () => undefined });
});

describe("the Siamese model", () => {
  it("has the talk's parameter counts (56,110 tower, 56,171 total) and the peer's 9,321 for chars", () => {
    expect(parameterCounts(buildSiamese(TALK_WORD_CONFIG))).toEqual({ tower: 56110, total: 56171 });
    expect(parameterCounts(buildSiamese(CHAR_CONFIG))).toEqual({ tower: 9260, total: 9321 });
    expect(parameterCounts(buildSiamese({ ...CHAR_CONFIG, merge: "absdiff" })).total).toBe(9321);
    expect(parameterCounts(buildSiamese({ ...CHAR_CONFIG, merge: "cosine" })).total).toBe(9262);
  });

  it("is identically initialized for one seed", () => {
    const w1 = buildSiamese(TINY).model.getWeights().map((w) => Array.from(w.dataSync()));
    const w2 = buildSiamese(TINY).model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(w1).toEqual(w2);
  });
});

describe("training on tiny data", () => {
  const enc = new CharTitleEncoder({ maxLength: 12 });
  const data = encodePairs(toyPairs(), enc);

  it("lowers the loss, scores a positive pair above a negative one, and save → load predicts identically", async () => {
    const all = Int32Array.from({ length: data.n }, (_, i) => i);
    const before = (await evaluatePairs(buildSiamese(TINY), data, all)).loss;
    const { model, result } = await trainSiamese(TINY, data, { epochs: 40, batchSize: 16, learningRate: 0.02, validationShare: 0, patience: 100, seed: 1 });
    expect(result.history[result.history.length - 1].loss).toBeLessThan(before * 0.7);
    const score = (x: string, y: string): number =>
      tf.tidy(() => (model.model.predict([tf.tensor2d(enc.encodeBatch([x]), [1, 12], "int32"), tf.tensor2d(enc.encodeBatch([y]), [1, 12], "int32")]) as tf.Tensor).dataSync()[0]);
    expect(score("sales rep", "sales agent")).toBeGreaterThan(score("sales rep", "nurse aide"));

    const reps = { role: new Map([["Sales & Account Mgmt", ["sales rep"]], ["Other Operations", ["nurse aide"]]]), industry: new Map([["Health & Fitness", ["nurse aide"]]]), level: levelRepresentatives() };
    const trained = await TrainedSiamese.create(model, enc, reps, { aggregate: "max", k: 3, threshold: 0.5 });
    const titles = ["sales agent", "head nurse", "", "   ", "x".repeat(5000), "Инженер-программист", "営業", "10/6;", "<script>"];
    const out = await trained.classify(titles);
    expect(out.map((o) => o.title)).toEqual(titles);
    expect(out[0].role.label).toBe("Sales & Account Mgmt");
    for (const i of [2, 3]) expect(out[i]).toMatchObject({ role: { label: "Other", score: 0 }, level: { label: "Other", score: 0 }, industry: { label: "Other", score: 0 } });
    const dir = tmpDir();
    await trained.save(dir);
    const loaded = await TrainedSiamese.load(dir);
    expect(await loaded.classify(titles)).toEqual(out);
    await expect(TrainedSiamese.load(tmpDir())).rejects.toThrow(/is not a trained Siamese run: encoder\.json is missing/);
  });
});

describe("pairs", () => {
  const d = loadDatasets();
  const pairs = makePairs(d.train, d.profiles, { positives: 3000, seed: 5 });

  it("come from training data only, in every kind, about half positive", () => {
    const held = new Set([...d.test, ...d.dev].map((t) => t.norm));
    for (const p of pairs) {
      expect(held.has(normKey(p.a))).toBe(false);
      expect(held.has(normKey(p.b))).toBe(false);
    }
    expect(new Set(pairs.map((p) => p.kind))).toEqual(new Set(["same-person", "same-occupation", "occupation-title", "same-ons-group", "random", "hard"]));
    const pos = pairs.filter((p) => p.label === 1).length;
    expect(pos / pairs.length).toBeCloseTo(0.5, 1);
  });

  it("are identical for one seed", () => {
    expect(makePairs(d.train, d.profiles, { positives: 3000, seed: 5 })).toEqual(pairs);
  });
});

describe("encoders and config", () => {
  it("the word encoder keeps the most frequent words and skips unknown ones", () => {
    const w = WordTitleEncoder.fromTitles(["sales manager", "sales rep", "nurse"], 2, 4);
    expect(w.vocabularySize).toBe(3);
    expect([...w.encodeBatch(["sales zebra manager"])]).toEqual([1, 2, 0, 0]);
  });

  it("profiles take overrides and refuse unknown names and bad values", () => {
    expect(siameseRunConfig("quick", { epochs: 2, merge: "absdiff" })).toMatchObject({ merge: "absdiff", train: { epochs: 2 } });
    expect(() => siameseRunConfig("quick", { epoch: 2 })).toThrow(/unknown parameter epoch/);
    expect(() => siameseRunConfig("quick", { merge: "sum" })).toThrow(/merge="sum": expected product\|absdiff\|cosine/);
    expect(() => siameseRunConfig("huge")).toThrow(/unknown profile "huge"/);
  });
});

describe("the Siamese similarity matrix", () => {
  // Classification scores every title against every representative from tower outputs in one matrix product; it
  // must be the full model's own prediction for each pair, for every merge.
  for (const merge of ["product", "cosine", "absdiff"] as const) {
    it(`equals the model's prediction pair by pair (${merge} merge)`, async () => {
      const enc = new CharTitleEncoder({ maxLength: 12 });
      const m = buildSiamese({ ...TINY, merge, vocabSize: enc.vocabularySize });
      const { siameseSimilarity } = await import("../src/models/siamese/similarity");
      const sim = await siameseSimilarity(m, enc);
      const left = ["sales rep", "head nurse", "", "data scientist"];
      const rowsL = await sim.encode(left);
      const rights = [["account rep", "nurse aide", "ceo", "", "analyst"], ["teacher", "sales agent"]];
      const rowsR = await Promise.all(rights.map((r) => sim.encode(r)));
      // Each B twice, alternating: what a model keeps from the last B must follow B.
      for (const j of [0, 1, 0, 1]) {
        const right = rights[j];
        const matrix = sim.similarityMatrix(rowsL, rowsR[j]);
        for (let i = 0; i < left.length; i++) {
          for (let k = 0; k < right.length; k++) {
            const p = tf.tidy(() => (m.model.predict([tf.tensor2d(enc.encodeBatch([left[i]]), [1, 12], "int32"), tf.tensor2d(enc.encodeBatch([right[k]]), [1, 12], "int32")]) as tf.Tensor).dataSync()[0]);
            expect(matrix[i * right.length + k]).toBeCloseTo(p, 5);
          }
        }
      }
    });
  }
});
