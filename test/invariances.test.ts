// The invariance suite: the committed pairs (counts, checks), the loader's file:line errors, the pass rules and AUC
// on a tiny fake model, and char TF-IDF on the real file.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { SimilarityModel } from "../src/core/types";
import { DIFFERENT_TRANSFORMATIONS, INVARIANCES_FILE, InvariancePair, loadInvariances, SIMILAR_TRANSFORMATIONS } from "../src/datasets/invariances";
import { aucOf, evaluateInvariances, invarianceFigure, invarianceTable, median } from "../src/eval/invariances";
import { charTfidfSimilarity } from "../src/models/tfidf/similarity";

describe("the committed invariance pairs", () => {
  const pairs = loadInvariances();
  const count = (expect: string, transformation?: string): number =>
    pairs.filter((p) => p.expect === expect && (transformation === undefined || p.transformation === transformation)).length;

  it("has at least 240 similar and 240 different pairs", () => {
    expect(count("similar")).toBeGreaterThanOrEqual(240);
    expect(count("different")).toBeGreaterThanOrEqual(240);
  });

  it("has at least 20 similar pairs per transformation, 40 synonyms and 10 casing pairs", () => {
    for (const t of SIMILAR_TRANSFORMATIONS) {
      const min = t === "synonym" ? 40 : t === "casing" ? 10 : 20;
      expect(count("similar", t), t).toBeGreaterThanOrEqual(min);
    }
  });

  it("has every kind of different pair, at least 20 unrelated", () => {
    for (const t of DIFFERENT_TRANSFORMATIONS) expect(count("different", t), t).toBeGreaterThan(0);
    expect(count("different", "unrelated")).toBeGreaterThanOrEqual(20);
  });

  it("casing pairs differ only in case, typo pairs by a character or two", () => {
    for (const p of pairs.filter((x) => x.transformation === "casing")) expect(p.a.toLowerCase(), `line ${p.line}`).toBe(p.b.toLowerCase());
    for (const p of pairs.filter((x) => x.transformation === "typo")) expect(editDistance(p.a, p.b), `line ${p.line}: ${p.a} / ${p.b}`).toBeLessThanOrEqual(2);
  });

  it("the file is UTF-8 text ending with a newline, five cells a line", () => {
    const text = fs.readFileSync(INVARIANCES_FILE, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.includes("\r")).toBe(false);
    for (const line of text.trimEnd().split("\n")) expect(line.split("\t")).toHaveLength(5);
  });
});

describe("loadInvariances rejects bad lines", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-invariances-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const header = "expect\ttransformation\ta\tb\tnote";
  const good = "similar\tabbreviation\tSr Accountant\tSenior Accountant\tSr = Senior";
  let n = 0;
  const write = (...rows: string[]): string => {
    const file = path.join(dir, `case-${n++}.tsv`);
    fs.writeFileSync(file, [header, ...rows].join("\n") + "\n");
    return file;
  };

  it("accepts a good file and records each pair's line", () => {
    const file = write(good, "", "different\tnear-spelling\tBaker\tBanker\tbakery vs bank");
    const pairs = loadInvariances(file);
    expect(pairs).toHaveLength(2);
    expect(pairs[1]).toEqual({ expect: "different", transformation: "near-spelling", a: "Baker", b: "Banker", note: "bakery vs bank", line: 4 });
  });

  it("an unknown expect", () => {
    const file = write(good, "same\tsynonym\tAttorney\tLawyer\tx");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: unknown expect "same"`);
  });

  it("an unknown transformation, or one of the other expect", () => {
    const file = write(good, "similar\tspelling\tAttorney\tLawyer\tx");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: unknown transformation "spelling"`);
    const wrongSide = write("similar\tnear-spelling\tBaker\tBanker\tx");
    expect(() => loadInvariances(wrongSide)).toThrow(`${wrongSide}:2: unknown transformation "near-spelling" for a similar pair`);
  });

  it("an empty cell", () => {
    const file = write(good, "similar\tsynonym\tAttorney\t \tx");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: empty b cell`);
    const noNote = write("similar\tsynonym\tAttorney\tLawyer\t");
    expect(() => loadInvariances(noNote)).toThrow(`${noNote}:2: empty note cell`);
  });

  it("a pair of one title", () => {
    const file = write(good, "similar\tcasing\tNurse\tNurse \tx");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: a and b are the same title "Nurse"`);
  });

  it("a duplicate pair, in either order", () => {
    const file = write(good, "similar\tabbreviation\tSenior Accountant\tSr Accountant\tagain");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: duplicate pair "Senior Accountant" / "Sr Accountant" (first on line 2)`);
    const same = write(good, "similar\tsynonym\tSr  Accountant\tSenior Accountant\tagain");
    expect(() => loadInvariances(same)).toThrow(`${same}:3: duplicate pair`);
  });

  it("a wrong number of columns, naming the line", () => {
    const file = write(good, "similar\tsynonym\tAttorney\tLawyer");
    expect(() => loadInvariances(file)).toThrow(`${file}:3: expected 5 tab-separated columns, found 4`);
  });
});

/** A model whose similarity of two titles is given by a table (1 for a title with itself). */
function fakeModel(table: Record<string, number>): SimilarityModel {
  const titles: string[] = [];
  const key = (a: string, b: string): string => [a, b].sort().join("|");
  return {
    name: "fake",
    dim: 1,
    async encode(ts) {
      return Float32Array.from(ts, (t) => {
        if (!titles.includes(t)) titles.push(t);
        return titles.indexOf(t);
      });
    },
    similarityMatrix(A, B) {
      const out = new Float32Array(A.length * B.length);
      for (let i = 0; i < A.length; i++) {
        for (let j = 0; j < B.length; j++) {
          const a = titles[A[i]];
          const b = titles[B[j]];
          out[i * B.length + j] = a === b ? 1 : table[key(a, b)] ?? 0;
        }
      }
      return out;
    },
  };
}

const pair = (expect: "similar" | "different", transformation: string, a: string, b: string): InvariancePair => ({ expect, transformation, a, b, note: "n", line: 0 });

describe("evaluateInvariances", () => {
  // Similar: 0.9, 0.8, 0.5, 0.2 (median 0.65). Different: 0.1, 0.3, 0.6, 0.7 (median 0.45).
  const pairs = [
    pair("similar", "synonym", "Attorney", "Lawyer"),
    pair("similar", "synonym", "Physician", "Doctor"),
    pair("similar", "typo", "Acountant", "Accountant"),
    pair("similar", "typo", "Plumer", "Plumber"),
    pair("different", "near-spelling", "Baker", "Banker"),
    pair("different", "near-spelling", "Nurse", "Purser"),
    pair("different", "shared-word", "Sales Engineer", "Software Engineer"),
    pair("different", "unrelated", "Barista", "Neurosurgeon"),
  ];
  const model = fakeModel({
    "Attorney|Lawyer": 0.9,
    "Doctor|Physician": 0.8,
    "Accountant|Acountant": 0.5,
    "Plumber|Plumer": 0.2,
    "Baker|Banker": 0.7,
    "Nurse|Purser": 0.6,
    "Sales Engineer|Software Engineer": 0.3,
    "Barista|Neurosurgeon": 0.1,
  });

  it("passes similar pairs above the different median and different pairs below the similar median", async () => {
    const r = await evaluateInvariances(model, pairs);
    expect(r.method).toBe("fake");
    expect(r.differentMedian).toBeCloseTo(0.45, 6);
    expect(r.similarMedian).toBeCloseTo(0.65, 6);
    expect(r.similarPassRate).toBeCloseTo(3 / 4); // 0.9, 0.8, 0.5 > 0.45; 0.2 is not
    expect(r.differentPassRate).toBeCloseTo(3 / 4); // 0.1, 0.3, 0.6 < 0.65; 0.7 is not
    // Similar above different: 0.9 and 0.8 beat all 4, 0.5 beats 2, 0.2 beats 1 → 11 of 16.
    expect(r.auc).toBeCloseTo(11 / 16, 6);
    const by = Object.fromEntries(r.byTransformation.map((g) => [`${g.expect} ${g.transformation}`, g]));
    expect(r.byTransformation.map((g) => g.transformation)).toEqual(["typo", "synonym", "near-spelling", "shared-word", "unrelated"]);
    expect(by["similar synonym"]).toMatchObject({ pairs: 2, passRate: 1 });
    expect(by["similar synonym"].meanSimilarity).toBeCloseTo(0.85, 6);
    expect(by["similar typo"]).toMatchObject({ pairs: 2, passRate: 0.5 });
    expect(by["different near-spelling"]).toMatchObject({ pairs: 2, passRate: 0.5 });
    expect(by["different unrelated"]).toMatchObject({ pairs: 1, passRate: 1 });
    expect(r.failures.map((f) => [f.expect, f.a, f.b])).toEqual([
      ["similar", "Plumer", "Plumber"],
      ["different", "Baker", "Banker"],
    ]);
    expect(r.failures[0].similarity).toBeCloseTo(0.2, 6);
  });

  it("orders failures worst first and keeps the number asked for", async () => {
    const weak = fakeModel({ "Attorney|Lawyer": 0.3, "Doctor|Physician": 0.1, "Accountant|Acountant": 0.2, "Baker|Banker": 0.95, "Nurse|Purser": 0.99 });
    const r = await evaluateInvariances(weak, pairs, { method: "weak", failures: 2 });
    expect(r.method).toBe("weak");
    expect(r.failures.filter((f) => f.expect === "similar").map((f) => f.a)).toEqual(["Plumer", "Physician"]);
    expect(r.failures.filter((f) => f.expect === "different").map((f) => f.a)).toEqual(["Nurse", "Baker"]);
  });

  it("counts ties half in the AUC, and a perfect model scores 1", () => {
    expect(aucOf([0.5], [0.5])).toBe(0.5);
    expect(aucOf([0.9, 0.5], [0.5, 0.1])).toBeCloseTo((1 + 1 + 0.5 + 1) / 4, 9);
    expect(aucOf([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it("tables and figures put the overall rates first, one column or trace per method", async () => {
    const a = await evaluateInvariances(model, pairs, { method: "a" });
    const b = await evaluateInvariances(model, pairs, { method: "b" });
    const rows = invarianceTable([a, b]);
    expect(rows.slice(0, 3).map((r) => r.transformation)).toEqual(["all similar pairs", "all different pairs", "AUC ×100"]);
    expect(rows[0]).toMatchObject({ expect: "similar", pairs: 4, a: 75, b: 75 });
    expect(rows[2].a).toBeCloseTo(68.8, 6);
    expect(rows.find((r) => r.transformation === "typo")).toMatchObject({ expect: "similar", pairs: 2, a: 50 });
    const fig = invarianceFigure([a, b]);
    expect(fig.data.map((t) => t.name)).toEqual(["a", "b"]);
    expect(fig.data[0]).toMatchObject({ type: "bar", orientation: "h" });
    expect((fig.data[0].y as string[]).length).toBe(rows.length - 1);
    const layout = fig.layout as { barmode: string; title: { text: string }; xaxis: { title: { text: string } } };
    expect(layout.barmode).toBe("group");
    expect(layout.title.text).toMatch(/invariance/i);
    expect(layout.xaxis.title.text).toMatch(/%/);
  });
});

describe("char TF-IDF on the committed pairs", () => {
  it("runs and gives pass rates between 0 and 1", async () => {
    const pairs = loadInvariances();
    const titles = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const r = await evaluateInvariances(charTfidfSimilarity(titles), pairs, { method: "char-tfidf" });
    for (const x of [r.similarPassRate, r.differentPassRate, r.auc]) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    expect(r.byTransformation.length).toBe(SIMILAR_TRANSFORMATIONS.length + DIFFERENT_TRANSFORMATIONS.length);
    // Lower-casing is part of char TF-IDF: casing pairs are the same vector.
    expect(r.byTransformation.find((g) => g.transformation === "casing")!.meanSimilarity).toBeCloseTo(1, 5);
  });
});

function editDistance(a: string, b: string): number {
  // Optimal string alignment: an adjacent swap counts as one edit.
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
