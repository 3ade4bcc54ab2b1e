// Classification metrics: accuracy, macro-F1, per-class precision/recall, confusion matrix, and the talk's
// coverage-vs-accuracy trade-off when scores below a threshold become "Other".
import { Matrix } from "ml-matrix";
import { OTHER } from "../core/types";

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Labels in the order used by `confusion` rows (gold) and columns (predicted). */
  labels: string[];
  confusion: number[][];
  perClass: ClassReport[];
}

/**
 * Scores predictions against gold labels. Macro-F1 averages over the classes that occur in gold (a class that is
 * only ever predicted adds false positives to others' precision, not a zero row), as scikit-learn does when
 * `labels` is the set of gold classes.
 */
export function classificationReport(gold: readonly string[], predicted: readonly string[], labels?: readonly string[]): ClassificationReport {
  if (gold.length !== predicted.length) {
    throw new Error(`classificationReport: ${gold.length} gold labels but ${predicted.length} predictions`);
  }
  const goldSet = [...new Set(gold)];
  const all = labels ? [...labels] : [...new Set([...goldSet, ...predicted])].sort();
  for (const l of [...gold, ...predicted]) if (!all.includes(l)) all.push(l);
  const idx = new Map(all.map((l, i) => [l, i]));
  // Counts in an ml-matrix Matrix: support, predictions and hits are its row sums, column sums and diagonal.
  const m = Matrix.zeros(all.length, all.length);
  for (let i = 0; i < gold.length; i++) {
    const g = idx.get(gold[i])!;
    const p = idx.get(predicted[i])!;
    m.set(g, p, m.get(g, p) + 1);
  }
  const supports = m.sum("row");
  const predictions = m.sum("column");
  const hits = m.diag();
  const correct = hits.reduce((a, b) => a + b, 0);
  const confusion = m.to2DArray();
  const perClass: ClassReport[] = all.map((label, k) => {
    const tp = hits[k];
    const support = supports[k];
    const predictedN = predictions[k];
    const precision = predictedN ? tp / predictedN : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support, predicted: predictedN };
  });
  const scored = perClass.filter((c) => c.support > 0);
  const macroF1 = scored.length ? scored.reduce((a, c) => a + c.f1, 0) / scored.length : 0;
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, macroF1, labels: all, confusion, perClass };
}

export interface CoveragePoint {
  threshold: number;
  /** Share of items whose best score reaches the threshold (the rest are "Other"). */
  coverage: number;
  /** Accuracy on the covered items. */
  accuracy: number;
  /** Accuracy on all items, counting "Other" as wrong unless gold is "Other". */
  overallAccuracy: number;
}

/** Sweeps the threshold below which a prediction becomes "Other". */
export function coverageCurve(
  gold: readonly string[],
  best: readonly { label: string; score: number }[],
  thresholds: readonly number[] = defaultThresholds(),
): CoveragePoint[] {
  return thresholds.map((t) => {
    let covered = 0;
    let correctCovered = 0;
    let correctAll = 0;
    for (let i = 0; i < gold.length; i++) {
      const keep = best[i].score >= t;
      const label = keep ? best[i].label : OTHER;
      if (keep) {
        covered++;
        if (label === gold[i]) correctCovered++;
      }
      if (label === gold[i]) correctAll++;
    }
    return {
      threshold: t,
      coverage: gold.length ? covered / gold.length : 0,
      accuracy: covered ? correctCovered / covered : 0,
      overallAccuracy: gold.length ? correctAll / gold.length : 0,
    };
  });
}

export function defaultThresholds(): number[] {
  return Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);
}

/**
 * Accuracy on the covered titles at a given coverage, read off a coverage curve by linear interpolation between the
 * two thresholds around it (null when no threshold covers that much). The one definition every table uses: runs
 * record curves, not per-title scores.
 */
export function accuracyAtCoverage(curve: readonly CoveragePoint[] | undefined, coverage: number): number | null {
  if (!curve?.length) return null;
  const pts = curve.filter((p) => p.coverage > 0).sort((a, b) => a.coverage - b.coverage);
  if (!pts.length || coverage > pts[pts.length - 1].coverage + 1e-9) return null;
  for (let i = 0; i < pts.length; i++) {
    if (pts[i].coverage >= coverage) {
      if (i === 0) return pts[0].accuracy;
      const a = pts[i - 1];
      const b = pts[i];
      const t = (coverage - a.coverage) / (b.coverage - a.coverage || 1);
      return a.accuracy + t * (b.accuracy - a.accuracy);
    }
  }
  return pts[pts.length - 1].accuracy;
}
