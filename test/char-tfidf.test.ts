import { describe, expect, it } from "vitest";
import { CharTfidf } from "../src/models/tfidf/char-tfidf";
import { runCli } from "./helpers";

describe("char TF-IDF (scikit-learn's TfidfVectorizer(analyzer='char', ngram_range=(1, 3)))", () => {
  it("yields n-grams as scikit-learn does, collapsing whitespace runs", () => {
    const t = new CharTfidf();
    expect(t.ngrams("ab  c")).toEqual(["a", "b", " ", "c", "ab", "b ", " c", "ab ", "b c"]);
    expect(t.ngrams("a")).toEqual(["a"]);
  });

  it("matches hand-computed smooth-idf, L2-normalized cosine scores", () => {
    // Corpus "ab", "b"; unigrams+bigrams only to keep the arithmetic small.
    const t = new CharTfidf({ minN: 1, maxN: 2 }).fit(["ab", "b"]);
    const idf1 = Math.log(3 / 2) + 1; // "a", "ab": df 1 of 2 docs
    const idfB = 1; // "b": df 2
    const d0 = [idf1, idfB, idf1];
    const n0 = Math.hypot(...d0);
    // query "a": only "a" -> unit vector on "a"
    const s = t.scoreAll("a");
    expect(s[0]).toBeCloseTo(idf1 / n0, 12);
    expect(s[1]).toBe(0);
    // query "b" matches doc 1 exactly (cosine 1)
    expect(t.scoreAll("b")[1]).toBeCloseTo(1, 12);
    // unknown n-grams are ignored
    expect(t.scoreAll("zzz")[0]).toBe(0);
  });

  it("reproduces the published MELO figures through the CLI", () => {
    const r = runCli(["eval", "melo", "--method", "char-tfidf", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["method", "queries", "map", "mrr", "p5", "r10", "ndcg10", "seconds"]);
    expect(j.method).toBe("char-tfidf");
    expect(j.queries).toBe(633);
    expect(Math.abs(j.mrr - 0.58)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(j.map - 0.238)).toBeLessThanOrEqual(0.005);
  });
});
