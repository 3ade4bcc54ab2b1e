// The comparison across methods, computed from the experiment registry (never retyped): the latest finished run of
// each method, its figures read through the typed metrics of src/experiments/metrics.ts, beside MELO's published
// results, which are read from the data README.
import * as fs from "fs";
import * as path from "path";
import { Row } from "../core/types";
import { showTable } from "../runtime/display";
import { findDataDir } from "../data/paths";
import { accuracyAtCoverage } from "../eval/classification";
import { baselineMetrics, BaselineMetrics } from "../experiments/baselines";
import { Datasets } from "../datasets/build";
import { DARK_IS_MORE, NEUTRAL, seriesColour } from "../viz/figure-rules";
import { OPERATING_POINT } from "../experiments/protocols";
import { Figure } from "../viz/plotly";
import { TITLE_STANDOFF } from "../viz/charts";
import { RunMetrics, Split, typeOf, TypeStat, typeStat } from "../experiments/metrics";
import { classesOf } from "../taxonomy/classes";
import { latestRun, listRuns, RunRecord } from "../experiments/registry";

/** Methods in the talk's order; a registry method name maps to one of them. */
export const METHODS: { key: string; label: string; match: (method: string) => boolean }[] = [
  { key: "heuristic", label: "Heuristic rules", match: (m) => m === "heuristic" },
  { key: "lda", label: "LDA topics", match: (m) => m === "lda" },
  { key: "word2vec", label: "word2vec", match: (m) => m === "word2vec" },
  { key: "doc2vec", label: "Doc2Vec (PV-DBOW)", match: (m) => m === "doc2vec" },
  { key: "char-tfidf", label: "char TF-IDF", match: (m) => m === "char-tfidf" },
  // One row for the workbench's Siamese model, whatever its tower (the run's method says which: siamese-both is the
  // word-aware tower, siamese-char the character CNN); the talk's exact model keeps a row of its own.
  { key: "siamese", label: "Siamese CNN", match: (m) => m === "siamese-both" || m === "siamese-char" || m === "siamese-word" },
  { key: "siamese-talk", label: "Siamese, the talk's word model", match: (m) => m === "siamese-talk" },
  { key: "fasttext", label: "fastText (supervised)", match: (m) => m === "fasttext" },
  { key: "vote", label: "Vote (fastText, char TF-IDF, Doc2Vec)", match: (m) => m === "vote" },
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

// ---------------------------------------------------------------------------------------------------------------
// One row per method × protocol, beside the baselines.

/** A method under one protocol, with the figures it recorded for it. */
export interface ProtocolRow {
  key: string;
  label: string;
  protocol: string;
  run: RunRecord | null;
  metrics: RunMetrics;
  /** How the row answers Level (protocols without Level training data reuse the method's own answer). */
  levelBy: string;
  baseline?: boolean;
}

const LEVEL_BY: Record<string, string> = { rules: "rules", topics: "n/a", representatives: "pinned groups" };

/** Every protocol each method recorded (its own row first), as rows with metrics shaped like a run's. */
export function protocolRows(methods: MethodRun[]): ProtocolRow[] {
  const out: ProtocolRow[] = [];
  for (const { key, label, run } of methods) {
    const m = run.metrics;
    const own = m.protocol ?? "representatives";
    const ownLevel = key === "fasttext" || key === "vote" ? "rules" : LEVEL_BY[own] ?? own;
    out.push({ key, label, protocol: own, run, metrics: m, levelBy: ownLevel });
    for (const [p, pm] of Object.entries(m.protocols ?? {})) {
      if (p === own) continue;
      out.push({ key, label, protocol: p, run, metrics: { dev: pm.dev, test: pm.test, messy: pm.messy }, levelBy: `${ownLevel} (as the ${own} row)` });
    }
  }
  return out;
}

/** The baselines as rows of the same table. */
export function baselineRows(b: BaselineMetrics[]): ProtocolRow[] {
  return b.map((x) => ({ key: `baseline-${x.kind}`, label: x.name, protocol: "—", run: null, metrics: x.metrics, levelBy: "gold-dev class shares", baseline: true }));
}

/** What a row falls short of the majority baseline on (role and industry, accuracy and macro-F1), on `split`. */
export function belowMajority(row: ProtocolRow, majority: ProtocolRow | undefined, split: Split = "test"): string[] {
  if (!majority || row.baseline) return [];
  const out: string[] = [];
  for (const type of ["role", "industry"] as const) {
    for (const stat of ["macroF1", "accuracy"] as const) {
      const v = typeStat(row.metrics, split, type, stat);
      const b = typeStat(majority.metrics, split, type, stat);
      if (v !== null && b !== null && v < b) out.push(`${type} ${stat === "macroF1" ? "macro-F1" : "acc"}`);
    }
  }
  return out;
}

/**
 * The results table: baselines first, then each method × protocol. Macro-F1 leads, accuracy follows; "full cov."
 * is the accuracy of the best class ignoring the threshold; a row below the majority baseline is flagged.
 */
export function resultsTable(rows: ProtocolRow[], opts: { split?: Split } = {}): Row[] {
  const split = opts.split ?? "test";
  const majority = rows.find((r) => r.key === "baseline-majority");
  return rows.map((r) => {
    const m = r.metrics;
    const stat = (type: "role" | "industry" | "level", s: TypeStat): number | string => pct(typeStat(m, split, type, s));
    const flags = belowMajority(r, majority, split);
    return {
      method: r.label,
      protocol: r.protocol,
      "role macro-F1 %": stat("role", "macroF1"),
      "role acc %": stat("role", "accuracy"),
      "role cov. %": stat("role", "coverage"),
      "role macro-F1 % full cov.": stat("role", "macroF1FullCoverage"),
      "role acc % full cov.": stat("role", "accuracyFullCoverage"),
      "industry macro-F1 %": stat("industry", "macroF1"),
      "industry acc %": stat("industry", "accuracy"),
      "industry macro-F1 % full cov.": stat("industry", "macroF1FullCoverage"),
      "industry acc % full cov.": stat("industry", "accuracyFullCoverage"),
      "level macro-F1 %": stat("level", "macroF1"),
      "level acc %": stat("level", "accuracy"),
      "Level by": r.levelBy,
      "messy role acc %": m.messy ? pct(m.messy.role) : "n/a",
      "messy Other %": m.messy ? pct(m.messy.otherWhenExpected) : "n/a",
      "below majority": flags.length ? `▼ ${flags.join(", ")}` : "",
      run: r.run?.id ?? "(computed)",
    };
  });
}

/** The best row by dev role macro-F1 (what `jtlab classify` would serve), ties by dev accuracy. */
export function bestRow(rows: ProtocolRow[], type: "role" | "industry" = "role"): ProtocolRow | null {
  const f1 = (r: ProtocolRow): number => typeStat(r.metrics, "dev", type, "macroF1") ?? -1;
  const acc = (r: ProtocolRow): number => typeStat(r.metrics, "dev", type, "accuracy") ?? -1;
  return rows.filter((r) => !r.baseline && r.key !== "lda").sort((a, b) => f1(b) - f1(a) || acc(b) - acc(a))[0] ?? null;
}

/** Per-class F1 on `split` of every row: rows × classes, for the heat-map (classes in the taxonomy's order). */
export function perClassF1(rows: ProtocolRow[], type: "role" | "industry", split: Split = "test"): { rows: string[]; classes: string[]; z: (number | null)[][] } {
  const classes = classesOf(type).filter((c) => rows.some((r) => typeOf(r.metrics, split, type)?.perClass?.some((p) => p.label === c)));
  const withClasses = rows.filter((r) => typeOf(r.metrics, split, type)?.perClass);
  return {
    rows: withClasses.map((r) => (r.baseline ? r.label : `${r.label} · ${r.protocol}`)),
    classes,
    z: withClasses.map((r) => {
      const pc = new Map((typeOf(r.metrics, split, type)!.perClass ?? []).map((p) => [p.label, p.f1]));
      return classes.map((c) => (pc.has(c) ? pc.get(c)! : null));
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures and tables for notebooks 01–06.


const rowName = (r: ProtocolRow): string => (r.baseline ? r.label : `${r.label} · ${r.protocol}`);

/** A row's colour, the same in every figure of the comparison: by its place among the rows that are not baselines. */
const rowColour = (rows: readonly ProtocolRow[], r: ProtocolRow): string => seriesColour(Math.max(0, rows.filter((x) => !x.baseline).indexOf(r)));

/** Per-class F1 of every row as a heat map (rows × classes, test by default); darker is a higher F1, written in the cell. */
export function perClassHeatmap(rows: ProtocolRow[], type: "role" | "industry", split: Split = "test"): Figure {
  const h = perClassF1(rows, type, split);
  const z = h.z.map((r) => r.map((v) => (v === null ? null : Math.round(v * 1000) / 10)));
  return {
    data: [
      {
        type: "heatmap",
        x: h.classes,
        y: h.rows,
        z,
        zmin: 0,
        zmax: 100,
        colorscale: DARK_IS_MORE,
        colorbar: { title: { text: "F1 (%)", side: "right" } },
        // Whole percentages fit a cell at any count of rows (the figure grows a row at a time); blank: no figure.
        text: z.map((r) => r.map((v) => (v === null ? "" : String(Math.round(v))))),
        texttemplate: "%{text}",
        textfont: { size: 10 },
        hovertemplate: "%{y}<br>%{x}: F1 %{z:.1f}%<extra></extra>",
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: {
      title: { text: `${typeName(type)} on ${split}: F1 per class (%), every method × protocol` },
      xaxis: { title: { text: "gold class", standoff: TITLE_STANDOFF }, tickangle: 40, automargin: true },
      yaxis: { title: { text: "method · protocol", standoff: TITLE_STANDOFF }, autorange: "reversed", automargin: true },
      height: 340 + 30 * h.rows.length,
      margin: { l: 300, b: 200, t: 60, r: 20 },
    },
  };
}

const typeName = (type: "role" | "industry"): string => (type === "role" ? "Functional Role" : "Professional Industry");

/** Reliability diagram of the calibrated rows (recorded bins of the best class's probability on `split`). */
export function reliabilityFromRecords(rows: ProtocolRow[], type: "role" | "industry", split: Split = "test"): Figure | null {
  const withBins = rows.filter((r) => typeOf(r.metrics, split, type)?.reliability?.length);
  if (!withBins.length) return null;
  const data: Record<string, unknown>[] = [
    { type: "scatter", mode: "lines", name: "perfectly calibrated", x: [0, 1], y: [0, 1], line: { color: NEUTRAL, dash: "dash", width: 1.5 }, hoverinfo: "skip" },
  ];
  withBins.forEach((r) => {
    const t = typeOf(r.metrics, split, type)!;
    const bins = t.reliability!;
    const n = bins.reduce((a, b) => a + b.count, 0) || 1;
    const color = rowColour(rows, r);
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${rowName(r)} (ECE ${((t.ece ?? 0) * 100).toFixed(1)}%)`,
      x: bins.map((b) => b.meanProb),
      y: bins.map((b) => b.accuracy),
      line: { color },
      marker: { color, size: bins.map((b) => 6 + 24 * Math.sqrt(b.count / n)) },
      customdata: bins.map((b) => b.count),
      hovertemplate: "mean probability %{x:.1%}<br>observed accuracy %{y:.1%}<br>%{customdata:,} titles<extra>%{fullData.name}</extra>",
    });
  });
  return {
    data,
    layout: {
      title: { text: `${typeName(type)} on ${split}: calibration of the best class's probability (marker area: titles in the bin)` },
      xaxis: { title: { text: "predicted probability, calibrated on dev (%)" }, range: [0, 1.02], tickformat: ".0%" },
      yaxis: { title: { text: "observed accuracy (% of the bin's titles)" }, range: [0, 1.02], tickformat: ".0%" },
      height: Math.max(460, 24 * withBins.length + 380),
      legend: { orientation: "h", y: -0.18 },
    },
  };
}

/**
 * The operating point of a row on `split`: the coverage it recorded, and the accuracy on the covered titles at that
 * coverage on its curve (exact where a threshold of the curve reached that coverage, else read between two). The
 * threshold is named only where it is known: calibrated rows answer at probability OPERATING_POINT.
 */
function recordedOperatingPoint(r: ProtocolRow, split: Split, type: "role" | "industry"): { coverage: number; accuracy: number; how: string } | null {
  const t = typeOf(r.metrics, split, type);
  if (!t?.curve?.length || !(t.coverage > 0)) return null;
  const exact = t.curve.find((p) => Math.abs(p.coverage - t.coverage) < 1e-9);
  const accuracy = exact?.accuracy ?? accuracyAtCoverage(t.curve, t.coverage);
  if (accuracy === null) return null;
  const threshold = t.reliability ? `calibrated p ≥ ${OPERATING_POINT}` : "the method's own threshold, not recorded";
  return { coverage: t.coverage, accuracy, how: exact ? threshold : `${threshold}; accuracy read between two curve points` };
}

/**
 * Accuracy on covered titles against coverage as the threshold sweeps, one line per row, with each row's operating
 * point (the coverage it recorded at the threshold it uses) marked.
 */
export function coverageFigure(rows: ProtocolRow[], type: "role" | "industry", split: Split = "test"): Figure {
  const data: Record<string, unknown>[] = [];
  const shown = rows.filter((r) => !r.baseline);
  shown.forEach((r) => {
    const t = typeOf(r.metrics, split, type);
    const pts = (t?.curve ?? []).filter((p) => p.coverage > 0).sort((a, b) => a.coverage - b.coverage);
    if (!pts.length) return;
    const color = rowColour(rows, r);
    const op = recordedOperatingPoint(r, split, type);
    data.push({
      type: "scatter",
      mode: "lines",
      name: op ? rowName(r) : `${rowName(r)} (no operating point recorded)`,
      x: pts.map((p) => p.coverage),
      y: pts.map((p) => p.accuracy),
      line: { color },
      legendgroup: rowName(r),
      hovertemplate: "coverage %{x:.1%}, accuracy %{y:.1%}<extra>%{fullData.name}</extra>",
    });
    if (op) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${rowName(r)}: operating point (${op.how})`,
        x: [op.coverage],
        y: [op.accuracy],
        marker: { color, size: 12, symbol: "diamond", line: { color: "black", width: 1 } },
        legendgroup: rowName(r),
        showlegend: false,
        hovertemplate: `${rowName(r).replace(/[<&]/g, "")}<br>operating point: ${op.how}<br>coverage %{x:.1%}, accuracy %{y:.1%}<extra></extra>`,
      });
    }
  });
  return {
    data,
    layout: {
      title: { text: `${typeName(type)} on ${split}: accuracy vs coverage<br><sup>◆ = operating point (calibrated rows: p ≥ ${OPERATING_POINT})</sup>` },
      xaxis: { title: { text: "coverage (% of titles given a class)" }, tickformat: ".0%", range: [0, 1.02] },
      yaxis: { title: { text: "accuracy on covered titles (%)" }, tickformat: ".0%" },
      margin: { t: 70 },
      // Tall enough for the whole legend (one line a row) without a scroll bar.
      height: Math.max(480, 30 * shown.length + 160),
    },
  };
}

/** A method's runs (e.g. a notebook's) under every protocol, after the baselines, as one results table. */
export async function experimentTable(runs: RunRecord[], d: Datasets, split: Split = "test"): Promise<Row[]> {
  const rows = protocolRows(runs.map((run) => ({ key: run.method, label: METHODS.find((m) => m.match(run.method))?.label ?? run.method, run })));
  return resultsTable([...baselineRows(await baselineMetrics(d)), ...rows], { split });
}

const ROLE_INDUSTRY = ["role macro-F1 %", "role acc %", "role cov. %", "industry macro-F1 %", "industry acc %"];
const FULL_COVERAGE = ["role macro-F1 % full cov.", "role acc % full cov.", "industry macro-F1 % full cov.", "industry acc % full cov."];

/**
 * A results table (from `resultsTable` or `experimentTable`) shown as four narrow tables, each led by the baselines:
 * Role and Industry at the operating point, Level and how each row answers it, full coverage, the messy titles and
 * the run. One wide table did not fit a report's column; four read without scrolling sideways.
 */
export function showResultsTables(table: Row[], split: Split): void {
  const atPoint = `on ${split}, at the operating point (%; Other counts as wrong)`;
  // The caption says "%": the headers can be short.
  const shortRoleIndustry = Object.fromEntries(ROLE_INDUSTRY.map((c) => [c, c.replace(" %", "").replace(" acc", " acc.")]));
  showTable(table, { caption: `Functional Role and Industry ${atPoint}`, columns: ["method", "protocol", ...ROLE_INDUSTRY, "below majority"], labels: shortRoleIndustry });
  showTable(table, { caption: `Level ${atPoint}, and how each row answers it`, columns: ["method", "protocol", "level macro-F1 %", "level acc %", "Level by"] });
  showTable(table, {
    caption: `on ${split}, at full coverage (%; best class, threshold ignored)`,
    columns: ["method", "protocol", ...FULL_COVERAGE],
    labels: Object.fromEntries(FULL_COVERAGE.map((c) => [c, c.replace(" full cov.", "")])),
  });
  showTable(table, { caption: "on the messy titles (%), and the run each row was read from", columns: ["method", "protocol", "messy role acc %", "messy Other %", "run"] });
}
