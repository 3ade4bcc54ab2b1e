// word2vec skip-gram and Doc2Vec PV-DBOW on a tiny two-topic corpus: what they learn, determinism, save/load,
// inference, two workers, and errors. Speed is measured by `jtlab bench embeddings`, never here.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { Doc2VecModel, trainDoc2Vec, trainWord2Vec, Word2VecModel } from "../src/models/embeddings/index";
import { aliasTable, encodeCorpus, sampleInts } from "../src/models/embeddings/vocab";
import { Rng } from "../src/util/random";

const CARE = ["nurse", "patient", "ward", "clinic", "care", "midwife", "doctor", "hospital"];
const CODE = ["software", "code", "developer", "compiler", "server", "program", "database", "debug"];

/** Documents of 3–6 words drawn from one topic: words co-occur within a topic and never across. */
function topicDocs(n: number, seed: number): { docs: string[][]; topic: number[] } {
  const rng = new Rng(seed);
  const docs: string[][] = [];
  const topic: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i % 2;
    docs.push(rng.sample(t === 0 ? CARE : CODE, rng.range(3, 6)));
    topic.push(t);
  }
  return { docs, topic };
}

const { docs, topic } = topicDocs(400, 7);
// A tiny vocabulary makes every word "frequent": subsampling would drop most of it, so it is off here.
const SMALL = { dim: 24, epochs: 20, minCount: 1, sample: 0, seed: 3 };

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

function meanCos(m: Word2VecModel, xs: string[], ys: string[]): number {
  let s = 0;
  let n = 0;
  for (const x of xs) for (const y of ys) if (x !== y) (s += cosine(m.vector(x), m.vector(y))), n++;
  return s / n;
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe("vocabulary, subsampling and negative sampling", () => {
  it("keeps words seen minCount times, most frequent first, and encodes the corpus", () => {
    const enc = encodeCorpus([["b", "a", "b"], ["c", "b", "a"], ["d"]], 2);
    expect(enc.vocab.words).toEqual(["b", "a"]);
    expect(Array.from(enc.vocab.counts)).toEqual([3, 2]);
    expect(Array.from(enc.words)).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(enc.offsets)).toEqual([0, 3, 5, 5]);
    expect(Array.from(enc.rawLengths)).toEqual([3, 3, 1]);
  });

  it("computes gensim's keep probabilities and draws negatives from unigram^0.75", () => {
    // t = 1e-3 × 10,000 = 10: a word seen 1,000 times is kept with probability (sqrt(100) + 1) × 10 / 1,000 = 0.11.
    const s = sampleInts(Int32Array.from([1000, 9000]), 1e-3);
    expect(s[0] / 4294967295).toBeCloseTo(0.11, 6);
    // The alias table's implied probabilities are exactly count^0.75 / sum (16^0.75 = 8, 81^0.75 = 27, 1^0.75 = 1).
    const counts = Int32Array.from([81, 16, 16, 1, 1, 1]);
    const t = aliasTable(counts);
    const implied = new Array(counts.length).fill(0);
    for (let i = 0; i < counts.length; i++) {
      const keep = t[2 * i] / 4294967296;
      implied[i] += keep / counts.length;
      implied[t[2 * i + 1]] += (1 - keep) / counts.length;
    }
    [27, 8, 8, 1, 1, 1].forEach((w, i) => expect(implied[i]).toBeCloseTo(w / 46, 8));
  });
});

describe("word2vec skip-gram", () => {
  it("puts words that co-occur closer than words that never do", async () => {
    const m = await trainWord2Vec(docs, SMALL);
    const within = (meanCos(m, CARE, CARE) + meanCos(m, CODE, CODE)) / 2;
    const across = meanCos(m, CARE, CODE);
    expect(within).toBeGreaterThan(across + 0.3);
    for (const w of [...CARE, ...CODE]) {
      const own = CARE.includes(w) ? CARE : CODE;
      expect(m.mostSimilar(w, 3).every((n) => own.includes(n.word))).toBe(true);
    }
    // A title embedding is the mean of unit word vectors: close to its topic's words.
    const e = m.embedTokens(["nurse", "ward", "unknown-token"]);
    expect(cosine(e, m.vector("clinic"))).toBeGreaterThan(cosine(e, m.vector("compiler")));
    expect(m.knownTokens(["nurse", "ward", "unknown-token"])).toBe(2);
    expect(Array.from(m.embedTokens(["unknown-token"]))).toEqual(new Array(24).fill(0));
  });

  it("gives the same vectors for the same seed with one worker, and others for another seed", async () => {
    const a = await trainWord2Vec(docs, { ...SMALL, epochs: 3 });
    const b = await trainWord2Vec(docs, { ...SMALL, epochs: 3 });
    const c = await trainWord2Vec(docs, { ...SMALL, epochs: 3, seed: 4 });
    expect(sameBytes(a.vectors, b.vectors)).toBe(true);
    expect(sameBytes(a.syn1neg, b.syn1neg)).toBe(true);
    expect(sameBytes(a.vectors, c.vectors)).toBe(false);
  });

  it("reports each epoch, in order", async () => {
    const seen: string[] = [];
    await trainWord2Vec(docs, { ...SMALL, epochs: 4, onEpoch: (e, n) => seen.push(`${e}/${n}`) });
    expect(seen).toEqual(["1/4", "2/4", "3/4", "4/4"]);
  });

  it("trains in a worker thread even with one worker, so this thread's timers keep running", async () => {
    let ticks = 0;
    let ticksAtFirstEpoch = -1;
    const timer = setInterval(() => ticks++, 1);
    try {
      await trainWord2Vec(docs, {
        ...SMALL,
        epochs: 200,
        onEpoch: (e) => {
          if (e === 1) ticksAtFirstEpoch = ticks;
        },
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticksAtFirstEpoch).toBeGreaterThanOrEqual(0);
    expect(ticks).toBeGreaterThan(ticksAtFirstEpoch);
  });

  it("trains with two workers (Hogwild) and still learns the topics", async () => {
    const m = await trainWord2Vec(docs, { ...SMALL, workers: 2 });
    expect(meanCos(m, CARE, CARE)).toBeGreaterThan(meanCos(m, CARE, CODE) + 0.3);
  });

  it("lets the process exit after training with two workers", () => {
    const code = `require("tsx/cjs");
      const { trainWord2Vec } = require(${JSON.stringify(path.join(projectRoot(), "src/models/embeddings/index.ts"))});
      trainWord2Vec([["a","b","c"],["a","b","d"],["c","d","a"]], { dim: 8, minCount: 1, workers: 2, epochs: 50 })
        .then((m) => console.log("words", m.words.length));`;
    const r = spawnSync(process.execPath, ["-e", code], { cwd: projectRoot(), encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("words 4");
  });

  it("saves and loads exactly", async () => {
    const m = await trainWord2Vec(docs, { ...SMALL, epochs: 3 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-w2v-"));
    try {
      m.save(dir);
      const l = Word2VecModel.load(dir);
      expect(l.words).toEqual(m.words);
      expect(Array.from(l.vocab.counts)).toEqual(Array.from(m.vocab.counts));
      expect(l.options).toEqual(m.options);
      expect(sameBytes(l.vectors, m.vectors)).toBe(true);
      expect(sameBytes(l.syn1neg, m.syn1neg)).toBe(true);
      expect(l.mostSimilar("nurse", 5)).toEqual(m.mostSimilar("nurse", 5));
      expect(sameBytes(l.embedTokens(["code", "server"]), m.embedTokens(["code", "server"]))).toBe(true);
      expect(() => Doc2VecModel.load(dir)).toThrow(/holds a word2vec model, not doc2vec/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad input with a clear message", async () => {
    await expect(trainWord2Vec([])).rejects.toThrow(/corpus is empty \(no documents\)/);
    await expect(trainWord2Vec([[], []])).rejects.toThrow(/corpus is empty \(2 documents, no tokens\)/);
    await expect(trainWord2Vec([["a", "b"]], { minCount: 2 })).rejects.toThrow(/no word occurs at least minCount=2 times/);
    await expect(trainWord2Vec(docs, { workers: 0 })).rejects.toThrow(/workers must be a positive integer/);
    await expect(trainWord2Vec(docs, { alpha: 0.01, minAlpha: 0.1 })).rejects.toThrow(/minAlpha <= alpha/);
    const m = await trainWord2Vec(docs, { ...SMALL, epochs: 1 });
    expect(() => m.vector("surgeon")).toThrow(/unknown word "surgeon": not among the 16 words/);
    expect(() => m.mostSimilar("surgeon")).toThrow(/unknown word "surgeon"/);
    expect(() => m.mostSimilar(new Float32Array(3))).toThrow(/3 dimensions, the model 24/);
    expect(() => Word2VecModel.load(path.join(os.tmpdir(), "no-such-jtlab-model"))).toThrow(/model.json is missing/);
  });
});

describe("Doc2Vec PV-DBOW", () => {
  const D2V = { ...SMALL, dim: 16, epochs: 30 };

  it("learns document vectors and infers unseen documents near similar ones", async () => {
    const m = await trainDoc2Vec(docs, D2V);
    expect(m.docCount).toBe(docs.length);
    const meanTo = (v: Float32Array, t: number): number => {
      const xs = docs.map((_, i) => i).filter((i) => topic[i] === t);
      return xs.reduce((s, i) => s + cosine(v, m.docVector(i)), 0) / xs.length;
    };
    // Training documents: nearer their own topic.
    expect(meanTo(m.docVector(0), 0)).toBeGreaterThan(meanTo(m.docVector(0), 1));
    expect(meanTo(m.docVector(1), 1)).toBeGreaterThan(meanTo(m.docVector(1), 0));
    // Unseen documents (word combinations not in the corpus): nearer the documents of their topic.
    for (const [tokens, t] of [
      [["midwife", "doctor", "ward"], 0],
      [["compiler", "debug", "server", "code"], 1],
    ] as [string[], number][]) {
      const v = m.infer(tokens);
      expect(meanTo(v, t)).toBeGreaterThan(meanTo(v, 1 - t) + 0.2);
      const top = m.similarDocs(v, 10);
      expect(top.every((n) => topic[n.doc] === t)).toBe(true);
      // The same tokens infer the same vector; another seed another one.
      expect(sameBytes(m.infer(tokens), v)).toBe(true);
      expect(sameBytes(m.infer(tokens, { seed: 99 }), v)).toBe(false);
    }
    // Inference leaves the model as it was.
    const before = m.syn1neg.slice();
    m.infer(["nurse", "care"], { epochs: 50 });
    expect(sameBytes(m.syn1neg, before)).toBe(true);
  });

  it("is deterministic with one worker, trains word vectors with dbowWords, and works with two workers", async () => {
    const a = await trainDoc2Vec(docs, { ...D2V, epochs: 3 });
    const b = await trainDoc2Vec(docs, { ...D2V, epochs: 3 });
    expect(sameBytes(a.docVectors, b.docVectors)).toBe(true);
    expect(sameBytes(a.vectors, b.vectors)).toBe(true);
    const w = await trainDoc2Vec(docs, { ...D2V, dbowWords: true });
    expect(meanCos(w, CARE, CARE)).toBeGreaterThan(meanCos(w, CARE, CODE) + 0.15);
    const two = await trainDoc2Vec(docs, { ...D2V, workers: 2 });
    expect(two.docCount).toBe(docs.length);
    expect(meanCos(two, CARE, CARE)).toBeLessThan(0.5); // word vectors are not trained without dbowWords (as gensim)
  });

  it("saves and loads exactly, inference included", async () => {
    const m = await trainDoc2Vec(docs, { ...D2V, epochs: 5 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-d2v-"));
    try {
      m.save(dir);
      const l = Doc2VecModel.load(dir);
      expect(sameBytes(l.docVectors, m.docVectors)).toBe(true);
      expect(sameBytes(l.vectors, m.vectors)).toBe(true);
      expect(sameBytes(l.infer(["nurse", "clinic"]), m.infer(["nurse", "clinic"]))).toBe(true);
      expect(l.similarDocs(m.docVector(3), 5)).toEqual(m.similarDocs(m.docVector(3), 5));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad input with a clear message", async () => {
    await expect(trainDoc2Vec([])).rejects.toThrow(/trainDoc2Vec: the corpus is empty/);
    const m = await trainDoc2Vec(docs, { ...D2V, epochs: 1 });
    expect(() => m.docVector(docs.length)).toThrow(/no document 400 \(the model has 400/);
    expect(() => m.infer(["nurse"], { epochs: 0 })).toThrow(/epochs must be a positive integer/);
    // No known token: the vector stays at its small random start, as in gensim.
    expect(m.infer(["surgeon"]).length).toBe(16);
  });
});
