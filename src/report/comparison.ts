// The comparison across methods, computed from the experiment registry (never retyped): the latest finished run of
// each method, its headline metrics, curves and confusion matrix, beside MELO's published results, which are read
// from the data README.
import * as fs from "fs";
import * as path from "path";
import { Row } from "../core/types";
import { findDataDir } from "../data/paths";
import { listRuns, RunRecord } from "../experiments/registry";
import { CoveragePoint } from "../eval/classification";

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

/** The latest finished run of each method that has test metrics. */
export function latestMethodRuns(runs: RunRecord[] = listRuns()): MethodRun[] {
  const out: MethodRun[] = [];
  for (const m of METHODS) {
    const hits = runs.filter((r) => r.status === "ok" && m.match(r.method) && typeof r.metrics.role_test_accuracy === "number");
    if (hits.length) out.push({ key: m.key, label: m.label, run: hits[hits.length - 1] });
  }
  return out;
}

const num = (r: RunRecord, k: string): number | null => (typeof r.metrics[k] === "number" ? (r.metrics[k] as number) : null);
const pct = (x: number | null): number | string => (x === null ? "n/a" : Math.round(x * 1000) / 10);

/** Accuracy on covered titles at a given coverage, read off a coverage curve by linear interpolation. */
export function accuracyAt(curve: CoveragePoint[] | undefined, coverage: number): number | null {
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

export function comparisonRows(methods: MethodRun[]): Row[] {
  return methods.map(({ label, run }) => {
    const curve = run.metrics.curve_role_test as CoveragePoint[] | undefined;
    const speed = num(run, "words_per_second") ?? num(run, "train_pairs_per_second") ?? num(run, "token_samples_per_second");
    const unit = num(run, "words_per_second") !== null ? "words/s" : num(run, "train_pairs_per_second") !== null ? "pairs/s" : num(run, "token_samples_per_second") !== null ? "token-samples/s" : "";
    return {
      method: label,
      "role acc %": pct(num(run, "role_test_accuracy")),
      "role macro-F1 %": pct(num(run, "role_test_macro_f1")),
      "role coverage %": pct(num(run, "role_test_coverage")),
      "role acc % @ 80% coverage": pct(accuracyAt(curve, 0.8)),
      "industry acc %": pct(num(run, "industry_test_accuracy")),
      "industry macro-F1 %": pct(num(run, "industry_test_macro_f1")),
      "level acc % (gold test)": pct(num(run, "level_gold_test_accuracy")),
      golden: num(run, "golden_total") !== null ? `${num(run, "golden_passed")}/${num(run, "golden_total")}` : "n/a",
      "MELO MAP": num(run, "melo_map") ?? "n/a",
      "MELO MRR": num(run, "melo_mrr") ?? "n/a",
      "MELO P@5": num(run, "melo_p5") ?? "n/a",
      "train s": num(run, "train_seconds") ?? "n/a",
      throughput: speed === null ? "n/a" : `${Math.round(speed).toLocaleString("en-US")} ${unit}`,
      run: run.id,
    };
  });
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
  return methods.slice().sort((a, b) => (num(b.run, "role_test_accuracy") ?? 0) - (num(a.run, "role_test_accuracy") ?? 0) || (num(b.run, "role_test_macro_f1") ?? 0) - (num(a.run, "role_test_macro_f1") ?? 0))[0] ?? null;
}
