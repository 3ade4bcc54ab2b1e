// The comparison report from a hand-made registry: which run stands for each method, and every figure of its row,
// read through the typed metrics — including a record written by the first registry, with flat metric names.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { CoveragePoint } from "../src/eval/classification";
import { RunMetrics, SplitMetrics, TypeMetrics } from "../src/experiments/metrics";
import { latestRun, listReferenceRuns, listRuns, RunRecord } from "../src/experiments/registry";
import { bestMethod, comparisonRows, latestMethodRuns, meloRows, roleCurves } from "../src/report/comparison";
import { tmpDir } from "./helpers";

const curve: CoveragePoint[] = [
  { threshold: 0.3, coverage: 1, accuracy: 0.5, overallAccuracy: 0.5 },
  { threshold: 0.6, coverage: 0.6, accuracy: 0.7, overallAccuracy: 0.45 },
];
const type = (accuracy: number, macroF1: number, coverage = 1): TypeMetrics => ({ n: 10, accuracy, macroF1, coverage, accuracyFullCoverage: accuracy, curve, confusion: { labels: ["A", "B"], matrix: [[3, 1], [0, 6]] } });
const split = (role: number, level: number | null): SplitMetrics => ({
  levelGold: "test",
  role: type(role, role - 0.1, 0.9),
  industry: type(0.4, 0.3),
  level: level === null ? null : type(level, level),
  golden: { passed: 3, total: 4, failures: [] },
});

let started = 0;
function write(root: string, r: Omit<Partial<RunRecord>, "metrics"> & { id: string; method: string; metrics: unknown }): void {
  const rec = { schema: 2, name: r.id, kind: "eval", params: {}, seed: null, git: { commit: null, dirty: null }, data: null, backend: null, versions: {}, started: `2026-01-01T00:00:${String(started++).padStart(2, "0")}.000Z`, ended: null, seconds: 1, status: "ok", error: null, artifacts: {}, notes: [], ...r };
  fs.mkdirSync(path.join(root, r.id), { recursive: true });
  fs.writeFileSync(path.join(root, r.id, "run.json"), JSON.stringify(rec));
}

function registry(): string {
  const root = tmpDir("jtlab-cmp-");
  const siamese: RunMetrics = { test: split(0.4, 0.5), melo: { map: 0.26, mrr: 0.58, p5: 0.35, r10: 0.4, ndcg10: 0.3, seconds: 3 }, training: { seconds: 19, throughput: 7927.4, unit: "pairs/s" } };
  write(root, { id: "a-siamese-old", method: "siamese-char", kind: "train", metrics: { ...siamese, test: split(0.1, 0.1) } });
  write(root, { id: "b-siamese", method: "siamese-char", kind: "train", metrics: siamese });
  // Newer, but failed: the latest *finished* run stands for the method.
  write(root, { id: "c-siamese-failed", method: "siamese-char", kind: "train", status: "failed", error: "interrupted (SIGINT)", metrics: { test: split(0.9, 0.9) } });
  // Newer, but never evaluated on test (a training-only run): it cannot stand in a test table.
  write(root, { id: "d-siamese-train-only", method: "siamese-char", kind: "train", metrics: { training: { seconds: 5, throughput: 100, unit: "pairs/s" } } });
  write(root, { id: "e-lda", method: "lda", kind: "train", metrics: { test: split(0.608, null), training: { seconds: 1.7, throughput: 39945560, unit: "token-samples/s" } } });
  // A record of the first registry (flat names), as earlier versions wrote it.
  write(root, {
    id: "f-heuristic-legacy",
    method: "heuristic",
    schema: undefined,
    metrics: { role_test_accuracy: 0.682, role_test_macro_f1: 0.467, role_test_coverage: 0.959, industry_test_accuracy: 0.282, industry_test_macro_f1: 0.37, industry_test_coverage: 0.5, level_gold_test_accuracy: 0.945, level_gold_test_macro_f1: 0.94, golden_passed: 34, golden_total: 34, curve_role_test: curve, naive_role_accuracy: 0.439 },
  });
  return root;
}

describe("the comparison from a hand-made registry", () => {
  const runs = listRuns(registry());
  const methods = latestMethodRuns(runs);

  it("takes each method's latest finished run that has test figures, in the talk's order", () => {
    expect(methods.map((m) => [m.key, m.run.id])).toEqual([
      ["heuristic", "f-heuristic-legacy"],
      ["lda", "e-lda"],
      ["siamese", "b-siamese"],
    ]);
  });

  it("fills every column from the typed metrics, n/a where a method has no figure", () => {
    const rows = comparisonRows(methods, 0.8);
    expect(rows[2]).toEqual({
      method: "Siamese CNN",
      "role acc %": 40,
      "role macro-F1 %": 30,
      "role coverage %": 90,
      "role acc % @ 80% coverage": 60,
      "industry acc %": 40,
      "industry macro-F1 %": 30,
      "level acc % (gold test)": 50,
      golden: "3/4",
      "MELO MAP": 0.26,
      "MELO MRR": 0.58,
      "MELO P@5": 0.35,
      "train s": 19,
      throughput: "7,927 pairs/s",
      run: "b-siamese",
    });
    expect(rows[1]).toMatchObject({ method: "LDA topics", "role acc %": 60.8, "level acc % (gold test)": "n/a", "MELO MRR": "n/a", throughput: "39,945,560 token-samples/s" });
    expect(rows[0]).toMatchObject({ method: "Heuristic rules", "role acc %": 68.2, "role macro-F1 %": 46.7, "level acc % (gold test)": 94.5, golden: "34/34", "role acc % @ 80% coverage": 60, "train s": "n/a" });
    expect(Object.keys(comparisonRows(methods, 0.5)[0])).toContain("role acc % @ 50% coverage");
  });

  it("keeps what a legacy record does not map under extra", () => {
    expect(methods[0].run.metrics.extra).toEqual({ naive_role_accuracy: 0.439 });
  });

  it("picks the best method by role accuracy, draws each method's curve, lists MELO rows before the published ones", () => {
    expect(bestMethod(methods)?.key).toBe("heuristic");
    expect(roleCurves(methods)["Siamese CNN"]).toEqual({ x: [0.6, 1], y: [0.7, 0.5] });
    const melo = meloRows(methods);
    expect(melo[0]).toEqual({ method: "Siamese CNN (this workbench)", MAP: 0.26, MRR: 0.58, "P@5": 0.35 });
    expect(melo.slice(1).every((r) => String(r.method).endsWith("(published)"))).toBe(true);
  });

  it("has one latest-run rule: newest finished match, with artifacts that still exist", () => {
    expect(latestRun({ method: "siamese-char" }, runs)?.id).toBe("d-siamese-train-only");
    expect(latestRun({ method: (m) => m.startsWith("siamese"), where: (r) => r.metrics.test !== undefined }, runs)?.id).toBe("b-siamese");
    expect(latestRun({ method: "siamese-char", artifact: "model" }, runs)).toBeNull();
    expect(latestRun({ method: "nothing" }, runs)).toBeNull();
  });
});

describe("the committed reference records", () => {
  it("give a fresh clone the published row of every method of the talk and the practitioner's methods, with MELO figures", () => {
    const methods = latestMethodRuns(listReferenceRuns());
    expect(methods.map((m) => m.key)).toEqual(["heuristic", "lda", "word2vec", "doc2vec", "char-tfidf", "siamese", "fasttext", "vote"]);
    for (const m of methods) {
      expect(m.run.git.dirty, m.run.id).toBe(false);
      expect(m.run.metrics.dev, m.run.id).toBeDefined();
    }
    const rows = comparisonRows(methods);
    // MELO's published char TF-IDF row, reproduced.
    expect(rows.find((r) => r.method === "char TF-IDF")).toMatchObject({ "MELO MAP": 0.237983, "MELO MRR": 0.580038 });
    // Every method with title vectors recorded its neighbours and head protocols; each run its messy-titles figures.
    for (const key of ["word2vec", "doc2vec", "char-tfidf", "siamese"]) {
      const m = methods.find((x) => x.key === key)!.run.metrics;
      expect(Object.keys(m.protocols ?? {}).sort(), key).toEqual(["head", "neighbours"]);
    }
    for (const m of methods) expect(m.run.metrics.messy?.n, m.key).toBeGreaterThanOrEqual(150);
  });
});
