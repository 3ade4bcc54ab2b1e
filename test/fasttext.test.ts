import { describe, expect, it } from "vitest";
import { charNgrams, featureIds, tokensOf } from "../src/models/fasttext/features";
import { FastTextModel, trainFastText, trainFastTextThreads } from "../src/models/fasttext/model";
import { Rng } from "../src/util/random";

const FEATURES = { minn: 2, maxn: 5, wordNgrams: 2, buckets: 1_000_003 };
const SMALL = { dim: 16, epochs: 10, buckets: 100_003, seed: 7 };

/** A separable toy task: each class has its own head words; every title also gets a shared, uninformative word. */
function toyTask(n: number, seed: number): { texts: string[]; labels: string[]; classes: string[] } {
  const heads: Record<string, string[]> = {
    Engineering: ["engineer", "developer", "programmer", "architect"],
    Sales: ["salesperson", "account executive", "sales rep", "business developer"],
    Teaching: ["teacher", "lecturer", "tutor", "professor"],
  };
  const shared = ["senior", "junior", "lead", "assistant", "chief", "trainee"];
  const classes = Object.keys(heads);
  const rng = new Rng(seed);
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = classes[i % classes.length];
    const h = heads[c][Math.floor(rng.next() * heads[c].length)];
    const s = shared[Math.floor(rng.next() * shared.length)];
    texts.push(rng.next() < 0.5 ? `${s} ${h}` : `${h} ${s}`);
    labels.push(c);
  }
  return { texts, labels, classes };
}

describe("fastText features", () => {
  it("uses the project's normalization and ends every text with </s>", () => {
    expect(tokensOf("Sr. Java Developer")).toEqual(["senior", "java", "developer", "</s>"]);
    expect(tokensOf("")).toEqual(["</s>"]);
  });

  it("makes character n-grams of <word> as fastText does, without lone boundaries", () => {
    expect(charNgrams("ab", 2, 3)).toEqual(["<a", "<ab", "ab", "ab>", "b>"]);
    expect(charNgrams("ab", 1, 1)).toEqual(["a", "b"]);
    // An astral character is one code point, never split.
    expect(charNgrams("a😀", 2, 2)).toEqual(["<a", "a😀", "😀>"]);
  });

  it("lists words, boundary n-grams and word bigrams, deterministically", () => {
    const vocab = new Map([["java", 0], ["developer", 1], ["</s>", 2]]);
    const idx = (w: string): number => vocab.get(w) ?? -1;
    const names: string[] = [];
    const a = featureIds("Java Developer", FEATURES, idx, [], names);
    const b = featureIds("Java Developer", FEATURES, idx);
    expect(a).toEqual(b);
    expect(a).toHaveLength(names.length);
    for (const n of ["w:java", "w:developer", "w:</s>", "c:<j", "c:<java", "c:va>", "c:r>", "n:java developer", "n:developer </s>"]) expect(names).toContain(n);
    expect(names).not.toContain("c:<");
    expect(names.filter((n) => n.startsWith("c:") && n.includes("/s"))).toEqual([]);
    // Words are ids above the buckets; n-grams, character or word, fall inside them.
    a.forEach((id, i) => {
      if (names[i].startsWith("w:")) expect(id).toBe(FEATURES.buckets + vocab.get(names[i].slice(2))!);
      else expect(id >= 0 && id < FEATURES.buckets).toBe(true);
    });
    // An unknown word keeps its character n-grams only.
    const unk: string[] = [];
    featureIds("kotlin", FEATURES, () => -1, [], unk);
    expect(unk.some((n) => n.startsWith("w:"))).toBe(false);
    expect(unk).toContain("c:<ko");
  });
});

describe("trainFastText", () => {
  const toy = toyTask(600, 1);
  const held = toyTask(150, 2);
  const model = trainFastText(toy.texts, toy.labels, toy.classes, SMALL);

  it("learns a separable toy task", () => {
    const pred = model.predict(held.texts).map((p) => p.label);
    const acc = pred.filter((p, i) => p === held.labels[i]).length / pred.length;
    expect(acc).toBeGreaterThanOrEqual(0.98);
    // Raw, un-normalized titles go through the same normalization.
    expect(model.predict(["SENIOR Teacher!"])[0].label).toBe("Teaching");
  });

  it("gives softmax rows that sum to 1, and predict agrees with them", () => {
    const p = model.predictProba(held.texts.slice(0, 20));
    const c = toy.classes.length;
    expect(p).toHaveLength(20 * c);
    const pred = model.predict(held.texts.slice(0, 20));
    for (let i = 0; i < 20; i++) {
      const row = Array.from(p.subarray(i * c, (i + 1) * c));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(pred[i].score).toBe(Math.max(...row));
      expect(pred[i].label).toBe(toy.classes[row.indexOf(Math.max(...row))]);
    }
  });

  it("is deterministic for a seed, and the seed matters", () => {
    const again = trainFastText(toy.texts, toy.labels, toy.classes, SMALL);
    expect(again.predictProba(held.texts)).toEqual(model.predictProba(held.texts));
    const other = trainFastText(toy.texts, toy.labels, toy.classes, { ...SMALL, seed: 8 });
    expect(other.predictProba(held.texts)).not.toEqual(model.predictProba(held.texts));
  });

  it("gives title vectors of dim floats per text", () => {
    const v = model.vector(["teacher", "engineer"]);
    expect(v).toHaveLength(2 * SMALL.dim);
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
  });

  it("round-trips through toJSON/fromJSON with identical predictions", () => {
    const back = FastTextModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.classes).toEqual(model.classes);
    expect(back.predictProba(held.texts)).toEqual(model.predictProba(held.texts));
    expect(back.vector(held.texts)).toEqual(model.vector(held.texts));
    expect(() => FastTextModel.fromJSON({ ...model.toJSON(), version: 2 as 1 })).toThrow(/not a jtlab-fasttext v1 model/);
  });

  it("the wasm kernel and the TypeScript reference loop train the same model, up to float rounding", () => {
    const js = trainFastText(toy.texts, toy.labels, toy.classes, SMALL, { kernel: "js" });
    const a = js.predictProba(held.texts);
    const b = model.predictProba(held.texts);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it("reports each epoch's loss, falling", () => {
    const losses: number[] = [];
    trainFastText(toy.texts, toy.labels, toy.classes, SMALL, { onEpoch: (e) => losses.push(e.loss) });
    expect(losses).toHaveLength(SMALL.epochs);
    expect(losses[SMALL.epochs - 1]).toBeLessThan(losses[0]);
  });

  it("trains on two threads (Hogwild) too", async () => {
    const m = await trainFastTextThreads(toy.texts, toy.labels, toy.classes, SMALL, { threads: 2 });
    const pred = m.predict(held.texts).map((p) => p.label);
    expect(pred.filter((p, i) => p === held.labels[i]).length / pred.length).toBeGreaterThanOrEqual(0.95);
  });

  it("refuses bad input with an error naming the problem", () => {
    const { texts, labels, classes } = toy;
    expect(() => trainFastText(texts, labels.slice(1), classes, SMALL)).toThrow(/600 texts but 599 labels/);
    expect(() => trainFastText(["a b"], ["Nursing"], classes, SMALL)).toThrow(/label "Nursing" .*not one of the 3 classes/);
    expect(() => trainFastText([], [], classes, SMALL)).toThrow(/empty training set/);
    expect(() => trainFastText(texts, labels, [], SMALL)).toThrow(/no classes/);
    expect(() => trainFastText(texts, labels, [...classes, classes[0]], SMALL)).toThrow(/listed twice/);
    expect(() => trainFastText(texts, labels, classes, { ...SMALL, dim: 0 })).toThrow(/dim must be an integer >= 1/);
    expect(() => trainFastText(texts, labels, classes, { ...SMALL, minn: 4, maxn: 3 })).toThrow(/minn \(4\) > maxn \(3\)/);
    expect(() => trainFastText(texts, labels, classes, { ...SMALL, lr: -1 })).toThrow(/lr must be a positive number/);
  });
});
