import { describe, expect, it } from "vitest";
import { LdaModel, trainLda } from "../src/models/lda/lda";
import { lgamma } from "../src/models/lda/lgamma";
import { formatNpmTopic, npmLdaTokenCount, runNpmLda } from "../src/models/lda/npm-lda";
import { Rng } from "../src/util/random";

// Three planted topics with disjoint vocabularies, di-grams among them.
const PLANTED = [
  ["account_manager", "sales", "marketing_strategy", "digital_marketing", "brand", "campaign"],
  ["software_engineer", "java", "python", "backend", "devops", "sql"],
  ["registered_nurse", "patient", "clinic", "icu", "pharmacy", "care"],
];

/** Documents mixing one or two planted topics, 30 words each. */
function plantedCorpus(nDocs: number, seed: number): string[][] {
  const rng = new Rng(seed);
  return Array.from({ length: nDocs }, () => {
    const a = rng.int(3);
    const b = rng.int(3);
    const share = 0.5 + 0.5 * rng.next();
    return Array.from({ length: 30 }, () => rng.pick(PLANTED[rng.next() < share ? a : b]));
  });
}

/** For each planted topic, the learned topic holding most of its words' mass. */
function matchTopics(m: LdaModel): number[] {
  return PLANTED.map((words) => {
    let best = -1;
    let bestMass = -1;
    for (let k = 0; k < m.topics; k++) {
      const mass = words.reduce((s, w) => s + m.phi[k * m.vocabulary.length + m.wordId(w)!], 0);
      if (mass > bestMass) [best, bestMass] = [k, mass];
    }
    return best;
  });
}

const bitsEqual = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("LDA by collapsed Gibbs sampling", () => {
  const corpus = plantedCorpus(120, 11);
  const opts = { topics: 3, iterations: 200, seed: 5 };
  const model = trainLda(corpus, opts);

  it("recovers planted topics: each one's words are exactly the top words of its own learned topic", () => {
    const match = matchTopics(model);
    expect(new Set(match).size).toBe(3);
    PLANTED.forEach((words, p) => {
      const top = model.topWords(match[p], words.length).map((t) => t.word);
      expect(new Set(top)).toEqual(new Set(words));
    });
    // Rows of phi and theta are distributions.
    for (let k = 0; k < 3; k++) expect(model.topWords(k, 1000).reduce((s, t) => s + t.weight, 0)).toBeCloseTo(1, 9);
    expect(model.docTopics(0).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    // Documents drawn mostly from one topic are assigned mostly to it.
    const trace = model.logLikelihood;
    expect(trace.length).toBe(20);
    expect(trace[trace.length - 1].logLikelihood).toBeGreaterThan(trace[0].logLikelihood);
  });

  it("keeps di-grams intact and prints topics as on the talk's slide", () => {
    expect(model.vocabulary).toContain("account_manager");
    expect(model.vocabulary).toContain("marketing_strategy");
    const k = matchTopics(model)[0];
    const line = model.formatTopic(k, 3);
    expect(line).toMatch(/^0\.\d{3}\*"[a-z_]+"( \+ 0\.\d{3}\*"[a-z_]+"){2}$/);
    expect(model.formatTopic(k, 6)).toContain('*"account_manager"');
  });

  it("is bit-for-bit identical for one seed and differs for another", () => {
    const again = trainLda(corpus, opts);
    expect(bitsEqual(again.phi, model.phi)).toBe(true);
    expect(bitsEqual(again.theta, model.theta)).toBe(true);
    expect(again.logLikelihood).toEqual(model.logLikelihood);
    const other = trainLda(corpus, { ...opts, seed: 6 });
    expect(bitsEqual(other.phi, model.phi)).toBe(false);
  });

  it("folds in new documents with phi fixed", () => {
    const match = matchTopics(model);
    const [nurse, mixed, unknown] = [
      ["registered_nurse", "patient", "icu", "care", "patient", "clinic"],
      ["java", "python", "sql", "sales", "brand", "campaign"],
      ["zzz", "not_in_vocabulary"],
    ];
    const theta = model.foldIn([nurse, mixed, unknown], { seed: 3 });
    expect(theta.length).toBe(9);
    expect(theta[match[2]]).toBeGreaterThan(0.8);
    expect(theta[3 + match[0]]).toBeGreaterThan(0.3);
    expect(theta[3 + match[1]]).toBeGreaterThan(0.3);
    // No known word: the prior mean, uniform.
    for (const x of theta.subarray(6)) expect(x).toBeCloseTo(1 / 3, 12);
    expect(bitsEqual(model.foldIn([nurse, mixed], { seed: 3 }), theta.subarray(0, 6))).toBe(true);
  });

  it("round-trips through toJSON / fromJSON exactly", () => {
    const back = LdaModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(bitsEqual(back.phi, model.phi)).toBe(true);
    expect(bitsEqual(back.theta, model.theta)).toBe(true);
    expect(back.vocabulary).toEqual(model.vocabulary);
    expect(back.formatTopic(1, 6)).toBe(model.formatTopic(1, 6));
    expect(back.logLikelihood).toEqual(model.logLikelihood);
    const doc = [["java", "sql", "patient"]];
    expect(bitsEqual(back.foldIn(doc, { seed: 9 }), model.foldIn(doc, { seed: 9 }))).toBe(true);
    expect(() => LdaModel.fromJSON({ format: "other" } as never)).toThrow(/jtlab-lda/);
  });

  it("samples the exact posterior: final states of many short chains match enumeration on a tiny corpus", () => {
    // 5 tokens, K = 3: 243 assignments z, each weighted by p(w, z) with phi and theta integrated out. Topic labels
    // are exchangeable, so states are compared up to relabelling: a state is its multiset of per-topic count
    // columns (n_0k, n_1k, n_ak, n_bk, n_ck).
    const docs = [["a", "b"], ["a", "c", "a"]];
    const K = 3;
    const alpha = 0.7;
    const beta = 0.4;
    const vocab = ["a", "b", "c"];
    const V = vocab.length;
    const key = (ndk: (d: number, k: number) => number, nwk: (w: number, k: number) => number): string =>
      Array.from({ length: K }, (_, k) => [ndk(0, k), ndk(1, k), nwk(0, k), nwk(1, k), nwk(2, k)].join(","))
        .sort()
        .join(" ");
    const tokens = docs.flatMap((d, di) => d.map((w) => ({ d: di, w: vocab.indexOf(w) })));
    const exact = new Map<string, number>();
    let total = 0;
    for (let code = 0; code < K ** tokens.length; code++) {
      const nwk = new Float64Array(V * K);
      const ndk = new Float64Array(2 * K);
      const nk = new Float64Array(K);
      for (let i = 0, c = code; i < tokens.length; i++, c = Math.floor(c / K)) {
        const k = c % K;
        nwk[tokens[i].w * K + k]++;
        ndk[tokens[i].d * K + k]++;
        nk[k]++;
      }
      let logp = 0;
      for (let j = 0; j < nwk.length; j++) logp += lgamma(nwk[j] + beta);
      for (let k = 0; k < K; k++) logp -= lgamma(nk[k] + V * beta);
      for (let j = 0; j < ndk.length; j++) logp += lgamma(ndk[j] + alpha);
      const p = Math.exp(logp);
      total += p;
      const s = key((d, k) => ndk[d * K + k], (w, k) => nwk[w * K + k]);
      exact.set(s, (exact.get(s) ?? 0) + p);
    }
    // The final state's counts come back exactly from theta and phi (sampleEvery 0: no averaging).
    const chains = 20000;
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= chains; seed++) {
      const m = trainLda(docs, { topics: K, alpha, beta, iterations: 25, sampleEvery: 0, logLikelihoodEvery: 0, seed });
      const ndk = (d: number, k: number): number => Math.round(m.theta[d * K + k] * (docs[d].length + K * alpha) - alpha);
      const nk = (k: number): number => ndk(0, k) + ndk(1, k);
      const nwk = (w: number, k: number): number => Math.round(m.phi[k * V + w] * (nk(k) + V * beta) - beta);
      const s = key(ndk, nwk);
      seen.set(s, (seen.get(s) ?? 0) + 1);
    }
    let tv = 0;
    for (const s of new Set([...exact.keys(), ...seen.keys()])) tv += Math.abs((exact.get(s) ?? 0) / total - (seen.get(s) ?? 0) / chains);
    expect(tv / 2).toBeLessThan(0.03);
  });

  it("reports progress, drops rare words, and documents its handling of bad input", () => {
    const seen: number[] = [];
    const lls: number[] = [];
    trainLda(corpus.slice(0, 10), {
      topics: 2,
      iterations: 7,
      logLikelihoodEvery: 3,
      onIteration: (x) => {
        seen.push(x.iteration);
        if (x.logLikelihood !== undefined) lls.push(x.iteration);
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lls).toEqual([3, 6, 7]);

    const rare = trainLda([["x", "y", "y"], ["y", "z"], []], { topics: 2, minCount: 2, iterations: 5 });
    expect(rare.vocabulary).toEqual(["y"]);
    // Documents left with no word keep their row, with the uniform mix.
    expect(rare.documents).toBe(3);
    for (const x of rare.docTopics(2)) expect(x).toBeCloseTo(0.5, 12);

    expect(() => trainLda([], { topics: 2 })).toThrow(/no documents/);
    expect(() => trainLda([[], []], { topics: 2 })).toThrow(/no word/);
    expect(() => trainLda(corpus, { topics: 0 })).toThrow(/topics must be an integer >= 1/);
    expect(() => trainLda(corpus, { topics: 2.5 })).toThrow(/topics/);
    expect(() => trainLda(corpus, { topics: 2, alpha: 0 })).toThrow(/alpha/);
    expect(() => model.topWords(3)).toThrow(RangeError);
    // A single topic is legal and trivial.
    const one = trainLda(corpus.slice(0, 5), { topics: 1, iterations: 3 });
    expect(one.docTopics(0)[0]).toBeCloseTo(1, 12);
  });

  it("wraps the npm lda package, which mangles di-grams (why it is only a side-by-side)", () => {
    const docs = [
      ["account_manager", "sales", "account_manager", "brand"],
      ["java", "python", "software_engineer", "java"],
      ["the", "a", "sales", "brand"],
    ];
    // Its filter drops stop words ("the") and one-letter words ("a").
    expect(npmLdaTokenCount(docs.map((d) => d.join(" ")))).toBe(10);
    const r = runNpmLda(docs, { topics: 2, terms: 10 });
    expect(r.tokens).toBe(10);
    expect(r.tokenSamplesPerSecond).toBeGreaterThan(0);
    const terms = r.topics.flat().map((t) => t.term);
    expect(terms.some((t) => t.includes("_"))).toBe(false);
    expect(terms).toContain("accountmanager");
    expect(formatNpmTopic(r.topics[0])).toMatch(/^\d\.\d{3}\*"/);
  });
});
