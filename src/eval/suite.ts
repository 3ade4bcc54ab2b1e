// One evaluation for every method, on the same splits: role and industry on the test (or dev) split, Level on a
// gold half, the golden cases, and coverage-vs-accuracy curves. A method only has to say, for a list of titles
// and a category type, a label and a score per title.
import { Datasets } from "../datasets/build";
import { GoldenCase, loadGoldenCases, passesGoldenCase } from "../datasets/gold";
import { Labelled, OTHER, Predictor } from "../core/types";
import { expectedCalibrationError, ReliabilityBin, reliabilityBins } from "./calibration";
import { classificationReport, ClassificationReport, CoveragePoint, coverageCurve } from "./classification";

export interface TypeResult {
  n: number;
  /** Accuracy counting "Other" (below threshold) as a prediction. */
  accuracy: number;
  macroF1: number;
  /** Share of titles given a class other than Other. */
  coverage: number;
  /** Accuracy on the covered titles. */
  coveredAccuracy: number;
  /** Accuracy of the best class ignoring the threshold (coverage 1). */
  accuracyAtFullCoverage: number;
  /** Macro-F1 of the best class ignoring the threshold (coverage 1). */
  macroF1AtFullCoverage: number;
  curve: CoveragePoint[];
  report: ClassificationReport;
  /** For calibrated predictors: how the best class's probability matches its accuracy. */
  reliability?: ReliabilityBin[];
  ece?: number;
}

export interface SuiteResult {
  method: string;
  split: "dev" | "test";
  levelSplit: "dev" | "test";
  role: TypeResult;
  industry: TypeResult;
  /** Null when the method does not predict Level (LDA). */
  level: TypeResult | null;
  golden: { passed: number; total: number; failures: { title: string; type: string; expect: string; label: string; got: string }[] };
  seconds: number;
}

export function scoreType(gold: string[], preds: Labelled[], calibrated = false): TypeResult {
  const labels = preds.map((p) => p.label);
  const report = classificationReport(gold, labels);
  const covered = preds.filter((p) => p.label !== OTHER).length;
  const coveredRight = preds.filter((p, i) => p.label !== OTHER && p.label === gold[i]).length;
  const best = preds.map((p) => ({ label: p.best ?? p.label, score: p.score }));
  return {
    n: gold.length,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    coverage: gold.length ? covered / gold.length : 0,
    coveredAccuracy: covered ? coveredRight / covered : 0,
    accuracyAtFullCoverage: gold.length ? best.filter((b, i) => b.label === gold[i]).length / gold.length : 0,
    macroF1AtFullCoverage: gold.length ? classificationReport(gold, best.map((b) => b.label)).macroF1 : 0,
    curve: coverageCurve(gold, best),
    report,
    ...(calibrated && gold.length ? calibrationOf(gold, best) : {}),
  };
}

function calibrationOf(gold: string[], best: { label: string; score: number }[]): { reliability: ReliabilityBin[]; ece: number } {
  const probs = best.map((b) => b.score);
  const correct = best.map((b, i) => b.label === gold[i]);
  return { reliability: reliabilityBins(probs, correct), ece: expectedCalibrationError(probs, correct) };
}

export async function evaluateSuite(
  p: Predictor,
  d: Datasets,
  opts: { split?: "dev" | "test"; levelSplit?: "dev" | "test"; golden?: GoldenCase[] } = {},
): Promise<SuiteResult> {
  const t0 = performance.now();
  const split = opts.split ?? "test";
  const levelSplit = opts.levelSplit ?? "dev";
  const items = split === "test" ? d.test : d.dev.filter((t) => t.role !== null);
  const cal = p.calibrated === true;
  const role = scoreType(items.map((t) => t.role!), await p.predict(items.map((t) => t.title), "role"), cal);
  const indItems = items.filter((t) => t.industry !== null);
  const industry = scoreType(indItems.map((t) => t.industry!), await p.predict(indItems.map((t) => t.title), "industry"), cal);
  const gold = levelSplit === "test" ? d.levelTest : d.levelDev;
  const level = !p.types || p.types.includes("level") ? scoreType(gold.map((g) => g.level), await p.predict(gold.map((g) => g.title), "level")) : null;
  const cases = opts.golden ?? loadGoldenCases();
  const cache = new Map<string, string>();
  for (const type of ["role", "level", "industry"] as const) {
    const titles = [...new Set(cases.map((c) => c.title))];
    const preds = await p.predict(titles, type);
    titles.forEach((t, i) => cache.set(`${type}\u0000${t}`, preds[i].label));
  }
  const failures: SuiteResult["golden"]["failures"] = [];
  let passed = 0;
  for (const c of cases) {
    if (p.types && c.type !== "any" && !p.types.includes(c.type)) continue;
    if (passesGoldenCase(c, (t, type) => cache.get(`${type}\u0000${t}`)!)) passed++;
    else failures.push({ title: c.title, type: c.type, expect: c.expect, label: c.label, got: c.type === "any" ? "(no prediction)" : cache.get(`${c.type}\u0000${c.title}`)! });
  }
  const total = cases.filter((c) => !p.types || c.type === "any" || p.types.includes(c.type)).length;
  return { method: p.name, split, levelSplit, role, industry, level, golden: { passed, total, failures }, seconds: (performance.now() - t0) / 1000 };
}
