import { OTHER } from "../core/types";
// Classification metrics: accuracy, macro-F1, per-class precision/recall, confusion matrix, and the talk's
// coverage-vs-accuracy trade-off when scores below a threshold become "Other".

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
  const confusion = all.map(() => all.map(() => 0));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    confusion[idx.get(gold[i])!][idx.get(predicted[i])!]++;
    if (gold[i] === predicted[i]) correct++;
  }
  const perClass: ClassReport[] = all.map((label, k) => {
    const tp = confusion[k][k];
    const support = confusion[k].reduce((a, b) => a + b, 0);
    const predictedN = confusion.reduce((a, row) => a + row[k], 0);
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

/** Accuracy at a fixed coverage: the threshold that keeps the given share of items (for fair comparisons). */
export function accuracyAtCoverage(gold: readonly string[], best: readonly { label: string; score: number }[], coverage: number): number {
  const order = best.map((b, i) => i).sort((a, b) => best[b].score - best[a].score);
  const k = Math.max(1, Math.round(order.length * coverage));
  let correct = 0;
  for (let j = 0; j < k; j++) if (best[order[j]].label === gold[order[j]]) correct++;
  return correct / k;
}
