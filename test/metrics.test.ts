import { describe, expect, it } from "vitest";
import { accuracyAtCoverage, classificationReport, coverageCurve } from "../src/eval/classification";
import { queryMetrics, rankingMetrics, topK, trecSort } from "../src/eval/ranking";

describe("classification metrics (hand-computed)", () => {
  // gold:  A A A B B C
  // pred:  A A B B C C
  const gold = ["A", "A", "A", "B", "B", "C"];
  const pred = ["A", "A", "B", "B", "C", "C"];
  const r = classificationReport(gold, pred);

  it("accuracy, per-class precision/recall/F1 and macro-F1", () => {
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    const by = Object.fromEntries(r.perClass.map((c) => [c.label, c]));
    expect(by.A).toMatchObject({ precision: 1, recall: 2 / 3, support: 3 });
    expect(by.A.f1).toBeCloseTo(0.8, 12);
    expect(by.B.precision).toBeCloseTo(0.5, 12);
    expect(by.B.recall).toBeCloseTo(0.5, 12);
    expect(by.C.precision).toBeCloseTo(0.5, 12);
    expect(by.C.recall).toBe(1);
    expect(by.C.f1).toBeCloseTo(2 / 3, 12);
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it("confusion matrix rows are gold, columns predicted", () => {
    expect(r.labels).toEqual(["A", "B", "C"]);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it("a class only predicted (never gold) lowers precision elsewhere but is not averaged in macro-F1", () => {
    const x = classificationReport(["A", "A"], ["A", "Other"]);
    expect(x.macroF1).toBeCloseTo(2 / 3, 12);
    expect(x.labels).toContain("Other");
  });

  it("refuses mismatched lengths", () => {
    expect(() => classificationReport(["A"], [])).toThrow(/1 gold labels but 0 predictions/);
  });

  it("coverage-vs-accuracy: scores below the threshold become Other", () => {
    const best = [
      { label: "A", score: 0.9 },
      { label: "B", score: 0.6 },
      { label: "A", score: 0.4 },
      { label: "C", score: 0.2 },
    ];
    const g = ["A", "A", "A", "Other"];
    const [t0, t5] = coverageCurve(g, best, [0, 0.5]);
    expect(t0).toEqual({ threshold: 0, coverage: 1, accuracy: 2 / 4, overallAccuracy: 2 / 4 });
    // At 0.5: two covered (A right, B wrong); the two below become Other (one right: gold Other).
    expect(t5).toEqual({ threshold: 0.5, coverage: 0.5, accuracy: 0.5, overallAccuracy: 2 / 4 });
  });

  it("accuracy at a coverage is read off the curve, interpolated between the thresholds around it", () => {
    const curve = [
      { threshold: 0.2, coverage: 1, accuracy: 0.5, overallAccuracy: 0.5 },
      { threshold: 0.5, coverage: 0.6, accuracy: 0.7, overallAccuracy: 0.5 },
      { threshold: 0.8, coverage: 0.2, accuracy: 0.9, overallAccuracy: 0.3 },
      { threshold: 0.95, coverage: 0, accuracy: 0, overallAccuracy: 0.2 },
    ];
    expect(accuracyAtCoverage(curve, 0.6)).toBe(0.7);
    expect(accuracyAtCoverage(curve, 0.8)).toBeCloseTo(0.6, 12);
    expect(accuracyAtCoverage(curve, 0.4)).toBeCloseTo(0.8, 12);
    // Below the smallest covered point: that point's accuracy; beyond what any threshold covers: no answer.
    expect(accuracyAtCoverage(curve, 0.1)).toBe(0.9);
    expect(accuracyAtCoverage(curve.slice(1), 0.8)).toBeNull();
    expect(accuracyAtCoverage([], 0.5)).toBeNull();
    expect(accuracyAtCoverage(undefined, 0.5)).toBeNull();
  });
});

describe("ranking metrics computed like trec_eval (hand-computed)", () => {
  // Ranked: d1 d2 d3 d4 d5 d6; relevant: d2, d4, d9 (d9 never retrieved).
  const ranked = ["d1", "d2", "d3", "d4", "d5", "d6"];
  const rel = new Set(["d2", "d4", "d9"]);
  const m = queryMetrics(ranked, rel);

  it("AP divides by all relevant documents, retrieved or not", () => {
    expect(m.ap).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
  });
  it("recip_rank, P@5, R@10", () => {
    expect(m.rr).toBe(0.5);
    expect(m.p5).toBeCloseTo(2 / 5, 12);
    expect(m.r10).toBeCloseTo(2 / 3, 12);
  });
  it("nDCG@10 with binary gains", () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m.ndcg10).toBeCloseTo(dcg / idcg, 12);
  });
  it("a query without hits scores zero; queries without judgements are not averaged", () => {
    const runs = new Map([
      ["q1", ranked],
      ["q2", ["x"]],
    ]);
    const qrels = new Map([
      ["q1", rel],
      ["q2", new Set(["y"])],
      ["q3", new Set<string>()],
    ]);
    const all = rankingMetrics(runs, qrels);
    expect(all.queries).toBe(2);
    expect(all.map).toBeCloseTo(m.ap / 2, 12);
    expect(all.mrr).toBeCloseTo(0.25, 12);
  });

  it("ties are broken as trec_eval does: by document id, descending", () => {
    const sorted = trecSort([
      { id: "a", score: 1 },
      { id: "c", score: 2 },
      { id: "b", score: 1 },
    ]);
    expect(sorted.map((d) => d.id)).toEqual(["c", "b", "a"]);
    const scores = new Float64Array([1, 2, 1, 0.5, 3]);
    expect(topK(scores, ["a", "c", "b", "d", "e"], 4)).toEqual(["e", "c", "b", "a"]);
  });

  it("topK matches a full sort on random data", () => {
    const n = 500;
    const scores = new Float64Array(n);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      scores[i] = Math.round(Math.sin(i * 12.9898) * 20) / 20;
      ids.push(`d${String(i).padStart(4, "0")}`);
    }
    const full = trecSort(ids.map((id, i) => ({ id, score: scores[i] }))).slice(0, 100).map((d) => d.id);
    expect(topK(scores, ids, 100)).toEqual(full);
  });
});
