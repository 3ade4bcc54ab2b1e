// The comparison across methods, computed from the experiment registry (never retyped): the latest finished run of
// each method, its figures read through the typed metrics of src/experiments/metrics.ts, beside MELO's published
// results, which are read from the data README.
import * as fs from "fs";
import * as path from "path";
import { Row } from "../core/types";
import { findDataDir } from "../data/paths";
import { accuracyAtCoverage } from "../eval/classification";
import { RunMetrics, typeOf, typeStat } from "../experiments/metrics";
import { latestRun, listRuns, RunRecord } from "../experiments/registry";

/** Methods in the talk's order; a registry method name maps to one of them. */
export const METHODS: { key: string; label: string; match: (method: string) => boolean }[] = [
  { key: "heuristic", label: "Heuristic rules", match: (m) => m === "heuristic" },
  { key: "lda", label: "LDA topics", match: (m) => m === "lda" },
  { key: "word2vec", label: "word2vec", match: (m) => m === "word2vec" },
  { key: "doc2vec", label: "Doc2Vec (PV-DBOW)", match: (m) => m === "doc2vec" },
  { key: "char-tfidf", label: "char TF-IDF", match: (m) => m === "char-tfidf" },
  { key: "siamese", label: "Siamese char-CNN", match: (m) => m === "siamese-char" },
  { key: "siamese-word", label: "Siamese word-CNN", match: (m) => m === "siamese-word" },
];

export interface MethodRun {
  key: string;
  label: string;
  run: RunRecord;
}

/** The latest finished run of each method that was evaluated on the test split. */
export function latestMethodRuns(runs: RunRecord[] = listRuns()): MethodRun[] {
  const out: MethodRun[] = [];
  for (const m of METHODS) {
    const run = latestRun({ method: m.match, where: (r) => r.metrics.test !== undefined }, runs);
    if (run) out.push({ key: m.key, label: m.label, run });
  }
  return out;
}

const pct = (x: number | null): number | string => (x === null ? "n/a" : Math.round(x * 1000) / 10);

/** Role accuracy on covered test titles at the given coverage (null when the method never covers that much). */
export function roleAccuracyAt(m: RunMetrics, coverage: number): number | null {
  return accuracyAtCoverage(typeOf(m, "test", "role")?.curve, coverage);
}

export function comparisonRows(methods: MethodRun[], coverage = 0.8): Row[] {
  return methods.map(({ label, run }) => {
    const m = run.metrics;
    const t = m.training;
    return {
      method: label,
      "role acc %": pct(typeStat(m, "test", "role", "accuracy")),
      "role macro-F1 %": pct(typeStat(m, "test", "role", "macroF1")),
      "role coverage %": pct(typeStat(m, "test", "role", "coverage")),
      [`role acc % @ ${Math.round(coverage * 100)}% coverage`]: pct(roleAccuracyAt(m, coverage)),
      "industry acc %": pct(typeStat(m, "test", "industry", "accuracy")),
      "industry macro-F1 %": pct(typeStat(m, "test", "industry", "macroF1")),
      "level acc % (gold test)": pct(typeStat(m, "test", "level", "accuracy")),
      golden: m.test ? `${m.test.golden.passed}/${m.test.golden.total}` : "n/a",
      "MELO MAP": m.melo?.map ?? "n/a",
      "MELO MRR": m.melo?.mrr ?? "n/a",
      "MELO P@5": m.melo?.p5 ?? "n/a",
      "train s": t?.seconds ?? "n/a",
      throughput: t ? `${Math.round(t.throughput).toLocaleString("en-US")} ${t.unit}` : "n/a",
      run: run.id,
    };
  });
}

/** The role coverage curve of each method on test, for the coverage-vs-accuracy figure. */
export function roleCurves(methods: MethodRun[]): Record<string, { x: number[]; y: number[] }> {
  const out: Record<string, { x: number[]; y: number[] }> = {};
  for (const { label, run } of methods) {
    const pts = (typeOf(run.metrics, "test", "role")?.curve ?? []).filter((p) => p.coverage > 0).sort((a, b) => a.coverage - b.coverage);
    if (pts.length) out[label] = { x: pts.map((p) => p.coverage), y: pts.map((p) => p.accuracy) };
  }
  return out;
}

/** MELO rows of the methods that rank, then the published ones. */
export function meloRows(methods: MethodRun[]): Row[] {
  return [
    ...methods.flatMap(({ label, run }) => (run.metrics.melo ? [{ method: `${label} (this workbench)`, MAP: run.metrics.melo.map, MRR: run.metrics.melo.mrr, "P@5": run.metrics.melo.p5 }] : [])),
    ...publishedMelo().map((p) => ({ method: `${p.method} (published)`, MAP: p.map, MRR: p.mrr, "P@5": p.p5 })),
  ];
}

/** MELO's published results, parsed from the data README's table (the source the benchmark ships with). */
export function publishedMelo(readme = path.join(findDataDir().dir, "README.md")): { method: string; map: number; mrr: number; p5: number }[] {
  if (!fs.existsSync(readme)) return [];
  const lines = fs.readFileSync(readme, "utf8").split("\n");
  const start = lines.findIndex((l) => /^Published results/.test(l));
  if (start < 0) return [];
  const out: { method: string; map: number; mrr: number; p5: number }[] = [];
  for (const l of lines.slice(start + 1)) {
    const cells = l.split("|").map((c) => c.trim());
    if (cells.length < 6) {
      if (out.length) break;
      continue;
    }
    const [, method, map, mrr, p5] = cells;
    if (!/^\d/.test(map)) continue;
    out.push({ method, map: Number(map), mrr: Number(mrr), p5: Number(p5) });
  }
  return out;
}

/** The best method by role accuracy on test (ties: macro-F1). */
export function bestMethod(methods: MethodRun[]): MethodRun | null {
  const acc = (x: MethodRun): number => typeStat(x.run.metrics, "test", "role", "accuracy") ?? 0;
  const f1 = (x: MethodRun): number => typeStat(x.run.metrics, "test", "role", "macroF1") ?? 0;
  return methods.slice().sort((a, b) => acc(b) - acc(a) || f1(b) - f1(a))[0] ?? null;
}
