// Recording an evaluation in the registry: one run per method with its headline metrics, per-type details and
// coverage curves, so that the comparison report reads numbers instead of retyping them.
import { headline, SuiteResult } from "../eval/suite";
import { RunRecord, startRun } from "./registry";

export interface RecordOptions {
  name: string;
  method: string;
  params?: Record<string, unknown>;
  seed?: number | null;
  backend?: string | null;
  results: SuiteResult[];
  extra?: Record<string, unknown>;
}

/** Headline numbers, coverage curves, confusion matrices and golden-case failures, under the keys the comparison reads. */
export function suiteMetrics(results: SuiteResult[]): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const r of results) {
    Object.assign(metrics, headline(r));
    metrics[`curve_role_${r.split}`] = r.role.curve;
    metrics[`curve_industry_${r.split}`] = r.industry.curve;
    if (r.level) metrics[`curve_level_${r.levelSplit}`] = r.level.curve;
    metrics[`confusion_role_${r.split}`] = { labels: r.role.report.labels, matrix: r.role.report.confusion };
    metrics[`golden_failures_${r.split}`] = r.golden.failures;
  }
  return metrics;
}

export function recordEvaluation(o: RecordOptions): RunRecord {
  const run = startRun({ name: o.name, method: o.method, kind: "eval", params: o.params, seed: o.seed ?? null, backend: o.backend ?? null });
  return run.finish({ ...suiteMetrics(o.results), ...o.extra });
}
