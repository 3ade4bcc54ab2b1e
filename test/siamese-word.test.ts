// The word-aware tower, its encoder, the talk's variant as a profile, and mined hard negatives.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { LabelledTitle } from "../src/datasets/labelled";
import { Datasets } from "../src/datasets/build";
import { siameseRunConfig } from "../src/experiments/configs";
import { levelRepresentatives } from "../src/models/representatives/classifier";
import { makeEncoder, modelConfig, withOverrides } from "../src/models/siamese/config";
import { CharTitleEncoder, CharWordTitleEncoder, encoderFromJSON, WordTitleEncoder } from "../src/models/siamese/encoders";
import { buildMiningPool, isSafeNegative, mineNegatives } from "../src/models/siamese/mining";
import { buildSiamese, CHAR_CONFIG, inputLength, parameterCounts, SiameseConfig, towerDim } from "../src/models/siamese/model";
import { Pair } from "../src/models/siamese/pairs";
import { encodePairs, trainSiamese } from "../src/models/siamese/train";
import { TrainedSiamese } from "../src/models/siamese/trained";
import { pretrainedRows } from "../src/models/siamese/word-vectors";
import { trainWord2Vec } from "../src/models/embeddings";
import { initBackend } from "../src/runtime/backend";
import { normKey } from "../src/text/normalize";
import { Rng } from "../src/util/random";
import { tmpDir, toyPairs } from "./helpers";

beforeAll(async () => {
  await initBackend({ backend: "cpu", log: () => undefined });
});

const words = new WordTitleEncoder(["sales", "rep", "agent", "nurse", "aide", "head"], 4);
const chars = new CharTitleEncoder({ maxLength: 12 });
const BOTH: SiameseConfig = {
  ...CHAR_CONFIG,
  vocabSize: chars.vocabularySize,
  seqLength: 12,
  embedDim: 8,
  filters: 4,
  seed: 3,
  merge: "cosine",
  word: { vocabSize: words.vocabularySize, seqLength: 4, embedDim: 6, filters: 5, widths: [1, 2] },
};

function labelled(title: string, groups: string[], role: string | null): LabelledTitle {
  return { title, norm: normKey(title), sources: ["onet-alternate"], groups, roles: role ? [role] : [], role, industries: [], industry: null };
}

describe("the word-aware tower", () => {
  it("concatenates a character and a word branch: input, output width and parameter count", () => {
    expect(inputLength(BOTH)).toBe(16);
    expect(towerDim(BOTH)).toBe(4 * 3 + 5 * 2);
    // chars: 64×8 + Σw (w·8·4 + 4) for w = 1…3; words: 7×6 + (1·6·5 + 5) + (2·6·5 + 5); cosine merge + Dense(1): 2.
    const charParams = chars.vocabularySize * 8 + [1, 2, 3].reduce((s, w) => s + w * 8 * 4 + 4, 0);
    const wordParams = 7 * 6 + (6 * 5 + 5) + (12 * 5 + 5);
    expect(parameterCounts(buildSiamese(BOTH))).toEqual({ tower: charParams + wordParams, total: charParams + wordParams + 2 });
  });

  it("encodes characters then words in one row and round-trips through JSON", () => {
    const enc = new CharWordTitleEncoder(chars, words);
    const row = enc.encodeBatch(["Sales Rep"]);
    expect(row.length).toBe(16);
    expect(Array.from(row.subarray(0, 12))).toEqual(Array.from(chars.encodeBatch(["Sales Rep"])));
    expect(Array.from(row.subarray(12))).toEqual([1, 2, 0, 0]);
    const back = encoderFromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(Array.from(back.encodeBatch(["head nurse aide"]))).toEqual(Array.from(enc.encodeBatch(["head nurse aide"])));
  });

  it("trains, and a saved model loads and scores identically", async () => {
    const enc = new CharWordTitleEncoder(chars, words);
    const { model } = await trainSiamese(BOTH, encodePairs(toyPairs(), enc), { objective: "contrastive", epochs: 3, batchSize: 8, learningRate: 0.02, validationShare: 0.2, patience: 10, seed: 1 });
    const reps = { role: new Map([["Sales & Account Mgmt", ["sales rep"]], ["Other Operations", ["nurse aide"]]]), industry: new Map([["Health & Fitness", ["nurse aide"]]]), level: levelRepresentatives() };
    const trained = await TrainedSiamese.create(model, enc, reps, { aggregate: "max", k: 3, threshold: 0.5 });
    const dir = tmpDir();
    await trained.save(dir);
    const loaded = await TrainedSiamese.load(dir);
    const titles = ["sales agent", "head nurse", ""];
    expect(await loaded.classify(titles)).toEqual(await trained.classify(titles));
  });

  it("starts the word embedding from word2vec: known words get their (scaled) vectors, the rest stay", async () => {
    const w2v = await trainWord2Vec([["sales", "rep", "agent"], ["nurse", "aide", "head"], ["sales", "agent"], ["nurse", "head"]], { dim: 6, minCount: 1, epochs: 2, seed: 1, workers: 1 });
    const current = new Float32Array(words.vocabularySize * 6).fill(0.01);
    const { rows, known } = pretrainedRows(words, w2v, current, 6);
    expect(known).toBe(6);
    expect(Array.from(rows.subarray(0, 6))).toEqual(Array(6).fill(0.01).map((x) => Math.fround(x))); // padding row
    const v = w2v.vector("sales");
    const n = Math.hypot(...v);
    for (let j = 0; j < 6; j++) expect(rows[6 + j]).toBeCloseTo(v[j] / n, 5);
    expect(() => pretrainedRows(words, w2v, current, 5)).toThrow(/6 dimensions/);
  });
});

describe("the talk's variant as a profile", () => {
  it("-p variant=talk gives the talk's exact model: 1,000 words × 7 tokens, 56,171 parameters, pairs objective", () => {
    const cfg = withOverrides(siameseRunConfig("quick"), { variant: "talk" });
    expect(cfg).toMatchObject({ variant: "talk", vocabulary: 1000, maxLength: 7, embedDim: 50, filters: 20, widths: [1, 2, 3], merge: "product" });
    expect(cfg.train.objective).toBe("pairs");
    // 1,000 distinct training words, as the open data has.
    const train = Array.from({ length: 1200 }, (_, i) => labelled(`word${i} title`, ["onet:11-1011.00"], null));
    const enc = makeEncoder(cfg, { train } as unknown as Datasets);
    expect(enc.vocabularySize).toBe(1001);
    expect(parameterCounts(buildSiamese(modelConfig(cfg, enc)))).toEqual({ tower: 56110, total: 56171 });
  });

  it("rejects an unknown variant by name", () => {
    expect(() => withOverrides(siameseRunConfig("quick"), { variant: "words" })).toThrow(/variant="words": expected char\|word\|both\|talk/);
    expect(() => withOverrides(siameseRunConfig("quick"), { mineShare: 2 })).toThrow(/mineShare=2: expected a share between 0 and 1/);
  });
});

describe("mined hard negatives", () => {
  const train = [
    labelled("Software Engineer", ["onet:15-1252.00"], "Engineering"),
    labelled("Software Developer", ["onet:15-1252.00"], "Engineering"),
    labelled("Sales Engineer", ["onet:41-9031.00"], "Sales & Account Mgmt"),
    labelled("Programmer", ["ons:2134/01"], "Engineering"),
    labelled("Pipe Fitter", ["onet:47-2152.00"], "Other Operations"),
    labelled("Plumber", ["onet:47-2152.00", "ons:5314/00"], "Other Operations"),
    labelled("Ship Fitter", ["onet:51-2041.00"], "Other Operations"),
  ];
  const pairs: Pair[] = [
    { a: "Software Engineer", b: "Software Developer", label: 1, kind: "same-occupation" },
    { a: "Pipe Fitter", b: "Plumber", label: 1, kind: "same-occupation" },
    { a: "Someone Else", b: "Software Engineer", label: 1, kind: "same-person" },
  ];
  const pool = buildMiningPool(train, pairs, chars);

  it("never takes a title of the same occupation family, nor a same-role title from the other taxonomy", () => {
    expect(Array.from(pool.left)).toEqual([0, 4, -1]);
    expect(isSafeNegative(pool, 0, 1)).toBe(false); // same occupation
    expect(isSafeNegative(pool, 0, 3)).toBe(false); // ONS programmer: another taxonomy, same role
    expect(isSafeNegative(pool, 0, 2)).toBe(true); // sales engineer
    expect(isSafeNegative(pool, 4, 6)).toBe(true); // ship fitter: O*NET, another minor group
    expect(isSafeNegative(pool, 4, 5)).toBe(false);
  });

  it("draws each pair's negative among the nearest safe titles, none for titles outside the pool", async () => {
    const model = buildSiamese({ ...CHAR_CONFIG, vocabSize: chars.vocabularySize, seqLength: 12, embedDim: 8, filters: 4, seed: 3, merge: "cosine" });
    const { negatives, found } = await mineNegatives(model.tower, towerDim(model.config), pool, Int32Array.from([0, 1, 2]), 3, new Rng(1));
    expect(found).toBe(2);
    expect(negatives[2]).toBe(-1);
    expect(isSafeNegative(pool, 0, negatives[0]) && isSafeNegative(pool, 1, negatives[0])).toBe(true);
    expect(isSafeNegative(pool, 4, negatives[1]) && isSafeNegative(pool, 5, negatives[1])).toBe(true);
  });

  it("trains with mined negatives from the second epoch and records how many pairs had one", async () => {
    const enc = chars;
    const toy = toyPairs();
    const titles = [...new Set(toy.flatMap((p) => [p.a, p.b]))];
    const toyTrain = titles.map((t, i) => labelled(t, [`onet:${10 + (i % 5)}-${1000 + i}.00`], ["A", "B", "C"][i % 3]));
    const config = { ...CHAR_CONFIG, vocabSize: enc.vocabularySize, seqLength: 12, embedDim: 8, filters: 4, seed: 3, merge: "cosine" as const };
    const { result } = await trainSiamese(
      config,
      encodePairs(toy, enc),
      { objective: "contrastive", epochs: 3, batchSize: 8, learningRate: 0.02, validationShare: 0.2, patience: 10, seed: 1, mineShare: 0.5, mineK: 3 },
      undefined,
      buildMiningPool(toyTrain, toy, enc),
    );
    expect(result.history[0].mined).toBeUndefined();
    expect(result.history[1].mined).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBeLessThan(1000);
  });
});

describe("positive sources and augmentation", () => {
  const train = [
    labelled("Senior Software Engineer", ["onet:15-1252.00"], "Engineering"),
    labelled("Software Developer", ["onet:15-1252.00"], "Engineering"),
    labelled("Sales Manager", ["onet:11-2022.00"], "Sales & Account Mgmt"),
    labelled("Manager of Sales", ["onet:11-2022.00"], "Sales & Account Mgmt"),
    labelled("Registered Nurse", ["onet:29-1141.00", "ons:2231/00"], "Other Operations"),
    labelled("Staff Nurse", ["ons:2231/00"], "Other Operations"),
  ];
  const profiles = [{ personId: "p1", titles: ["Software Developer", "Senior Software Engineer"], tokens: [], simulated: true }];

  it("draws each source by its share, records augmentations, and marks the person pairs simulated", async () => {
    const { makePairs, pairSummary } = await import("../src/models/siamese/pairs");
    const pairs = makePairs(train, profiles, { positives: 400, personShare: 1, occupationShare: 1, occupationTitleShare: 0, onsShare: 1, augmentShare: 1, seed: 5 });
    const count = (k: string): number => pairs.filter((p) => p.kind === k).length;
    expect(count("same-person")).toBe(100);
    expect(count("same-occupation")).toBe(100);
    expect(count("same-ons-group")).toBe(100);
    expect(count("occupation-title")).toBe(0);
    expect(count("augmented")).toBeGreaterThan(90);
    for (const p of pairs.filter((x) => x.kind === "augmented")) {
      expect(p.a).not.toBe(p.b);
      expect(p.augmentations!.length).toBeGreaterThan(0);
    }
    const summary = pairSummary(pairs);
    expect(summary.find((r) => r.kind === "same-person")!.simulated).toBe(true);
    expect(summary.find((r) => r.kind === "augmented")!.simulated).toBe(false);
    expect(makePairs(train, profiles, { positives: 400, augmentShare: 1, seed: 5 })).toEqual(makePairs(train, profiles, { positives: 400, augmentShare: 1, seed: 5 }));
    expect(() => makePairs(train, profiles, { personShare: 0, occupationShare: 0, occupationTitleShare: 0, onsShare: 0, augmentShare: 0 })).toThrow(/every positive source has share 0/);
  });
});

describe("the ablation's levers", () => {
  it("each lever changes the quick profile's configuration, and the table rounds consistently", async () => {
    const { SIAMESE_LEVERS, ablationTable } = await import("../src/experiments/siamese-analysis");
    const base = siameseRunConfig("quick");
    for (const lever of SIAMESE_LEVERS) expect(JSON.stringify(withOverrides(base, lever.overrides))).not.toBe(JSON.stringify(base));
    const [row] = ablationTable([{ lever: "x", devRankingMrr: 0.45678, devRoleMacroF1: 0.66666, devIndustryMacroF1: 0.5, meloMrr: 0.61234, meloMap: 0.3, invarianceSimilar: 0.95123, invarianceAuc: 0.9, trainSeconds: 61.6 }]);
    expect(row).toEqual({ configuration: "x", "dev ranking MRR": 0.457, "dev role macro-F1": 0.667, "dev industry macro-F1": 0.5, "MELO MRR": 0.612, "MELO MAP": 0.3, "invariance similar pass %": 95.1, "invariance AUC": 0.9, "train s": 62 });
  });
});

describe("the word branch reads a misspelt word as the word it was meant to be", () => {
  const vocab = ["nurse", "bartender", "teacher", "banker", "baker", "plumber", "registered"];
  const spell = new WordTitleEncoder(vocab, 4, true);
  const plain = new WordTitleEncoder(vocab, 4);
  const ids = (e: WordTitleEncoder, t: string): number[] => Array.from(e.encodeBatch([t]));

  it("one edit away (a letter dropped, added, changed, or two swapped) becomes the known word", () => {
    expect(ids(spell, "Bartendar")).toEqual([2, 0, 0, 0]);
    expect(ids(spell, "Teahcer")).toEqual([3, 0, 0, 0]);
    expect(ids(spell, "Plumer")).toEqual([6, 0, 0, 0]);
    expect(ids(spell, "Registerd Nurse")).toEqual([7, 1, 0, 0]);
    expect(ids(plain, "Bartendar")).toEqual([0, 0, 0, 0]);
  });

  it("leaves known words, short words and words two edits away alone, and round-trips the setting", () => {
    expect(ids(spell, "Baker")).toEqual([5, 0, 0, 0]);
    expect(ids(spell, "Nurs")).toEqual([0, 0, 0, 0]);
    expect(ids(spell, "Bartnder Teecherr")).toEqual([2, 0, 0, 0]);
    const back = encoderFromJSON(JSON.parse(JSON.stringify(spell.toJSON()))) as WordTitleEncoder;
    expect(back.spelling).toBe(true);
    expect((encoderFromJSON(plain.toJSON()) as WordTitleEncoder).spelling).toBe(false);
  });
});
