// `jtlab exp compare`: runs side by side, like DVC's `exp show`: compact (each run's headline figures under its best
// protocol on dev) or wide (the parameters that differ between them, and every scalar metric), as text, CSV, JSON or
// Markdown. `jtlab exp list`'s one headline figure per run is chosen here too.
import { Row } from "../core/types";
import { DataFrame, frame } from "../runtime/frames";
import { RunMetrics, scalarMetrics, SplitMetrics } from "./metrics";
import { latestRun, listRuns, RunRecord } from "./registry";

/** The protocol whose figures speak for a run, and the prefix of their names among its scalar metrics. */
export interface HeadlineProtocol {
  protocol: string;
  /** "" for the run's own (top-level) protocol, "protocols.<name>." for another. */
  prefix: string;
}

export interface Comparison {
  runs: {
    id: string;
    method: string;
    status: string;
    started: string;
    params: Record<string, unknown>;
    metrics: Record<string, number | string>;
    /** The protocol the compact layout shows (best dev role macro-F1); null for a run without classification figures. */
    headline?: HeadlineProtocol | null;
  }[];
  /** Parameter names whose values differ between the runs (flattened with dots). */
  params: string[];
  metrics: string[];
  /** Per run id: the shown role/industry accuracy and macro-F1 figures below the majority baseline's (when given). */
  belowMajority?: Record<string, string[]>;
}

export function flatten(obj: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

/** Latest finished run of each method. */
export function latestPerMethod(runs: RunRecord[]): RunRecord[] {
  const methods = [...new Set(runs.map((r) => r.method))].sort();
  return methods.map((method) => latestRun({ method }, runs)).filter((r): r is RunRecord => r !== null);
}

/**
 * Runs side by side. `baselines` (e.g. from baselineMetrics) come first as rows of their own, and every run's role
 * and industry accuracy and macro-F1 below the majority baseline's are flagged.
 */
export function compareRuns(runs: RunRecord[], metricFilter: string[] = [], baselines: { name: string; metrics: RunMetrics }[] = []): Comparison {
  if (baselines.length) {
    // The runs' own comparison (parameters differ among the runs only), with the baselines' figures put first.
    const c = compareRuns(runs, metricFilter);
    const majority = scalarMetrics(baselines[0].metrics);
    const lead = baselines.map((b) => {
      const m = scalarMetrics(b.metrics);
      return { id: b.name, method: "baseline", status: "ok", started: "", params: {}, metrics: Object.fromEntries(c.metrics.filter((k) => k in m).map((k) => [k, m[k]])), headline: headlineProtocol(b.metrics) };
    });
    c.belowMajority = {};
    for (const r of c.runs) {
      const flags: string[] = [];
      for (const [name, v] of Object.entries(r.metrics)) {
        // A protocol's figure ("protocols.neighbours.test.role.accuracy") is held to the baseline's plain one.
        const plain = name.replace(/^protocols\.[^.]+\./, "");
        if (!/^(dev|test)\.(role|industry)\.(accuracy|macroF1)$/.test(plain)) continue;
        const b = majority[plain];
        if (typeof v === "number" && typeof b === "number" && v < b) flags.push(name);
      }
      c.belowMajority[r.id] = flags;
    }
    c.runs = [...lead, ...c.runs];
    return c;
  }
  const flatParams = runs.map((r) => flatten(r.params));
  const keys = [...new Set(flatParams.flatMap((p) => Object.keys(p)))].sort();
  const differing = runs.length <= 1 ? keys : keys.filter((k) => new Set(flatParams.map((p) => JSON.stringify(p[k]))).size > 1);
  const scalar = (r: RunRecord): Record<string, number | string> => scalarMetrics(r.metrics);
  const matches = (m: string): boolean => metricFilter.length === 0 || metricFilter.some((f) => m === f || m.includes(f));
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(scalar(r))))].filter(matches).sort();
  return {
    runs: runs.map((r, i) => {
      const s = scalar(r);
      return {
        id: r.id,
        method: r.method,
        status: r.status,
        started: r.started,
        params: Object.fromEntries(differing.map((k) => [k, flatParams[i][k]])),
        metrics: Object.fromEntries(metricNames.filter((m) => m in s).map((m) => [m, s[m]])),
        headline: headlineProtocol(r.metrics),
      };
    }),
    params: differing,
    metrics: metricNames,
  };
}

/** The wide layout as text: every differing parameter and every figure, ▼ on figures below the majority baseline. */
export function comparisonText(c: Comparison): string {
  return tableText(wideTable(c), false);
}

/**
 * The registry as a danfojs DataFrame, one row per run: id, method, kind, status, start, seconds, then every scalar
 * metric as a column (see scalarMetrics), so that a notebook cell can filter, sort and group runs.
 */
export function runsFrame(runs: RunRecord[] = listRuns()): DataFrame {
  if (runs.length === 0) throw new Error("runsFrame: the registry holds no runs");
  const rows: Row[] = runs.map((r) => ({ id: r.id, method: r.method, kind: r.kind, status: r.status, started: r.started, seconds: r.seconds, ...scalarMetrics(r.metrics) }));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  // danfojs needs every row to have every column.
  return frame(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))));
}

/** The run's own protocol and each other one it recorded, with their dev and test figures. */
function protocolsOf(m: RunMetrics): { protocol: string; prefix: string; dev?: SplitMetrics; test?: SplitMetrics }[] {
  const own = m.test ? [{ protocol: m.protocol ?? "own", prefix: "", dev: m.dev, test: m.test }] : [];
  const others = Object.entries(m.protocols ?? {})
    .filter(([p]) => !(own.length && p === m.protocol))
    .map(([p, pm]) => ({ protocol: p, prefix: `protocols.${p}.`, dev: pm.dev, test: pm.test }));
  return [...own, ...others];
}

/**
 * The protocol that speaks for a run: the best on dev role macro-F1 (chosen on dev, so the test figure shown is not
 * picked by test), the run's own on a tie or without dev figures; null for a run without classification figures.
 */
export function headlineProtocol(m: RunMetrics): HeadlineProtocol | null {
  let best: { protocol: string; prefix: string } | null = null;
  let bestDev = -Infinity;
  for (const p of protocolsOf(m)) {
    const dev = p.dev?.role.macroF1 ?? -Infinity;
    if (best === null || dev > bestDev) {
      best = { protocol: p.protocol, prefix: p.prefix };
      bestDev = dev;
    }
  }
  return best;
}

/** `exp list`'s one figure per run, with its name. */
export interface Headline {
  /** The scalar metric's dotted name (see scalarMetrics). */
  metric: string;
  value: number;
  /** The protocol it was measured under; null for a ranking figure. */
  protocol: string | null;
  /** "role macro-F1 68.7% (test)", "MRR 0.585 (MELO)" (the protocol is left to the JSON: lines stay short). */
  text: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** Test role macro-F1 under the headline protocol for classifiers, MELO MRR for ranking-only runs, else null. */
export function runHeadline(m: RunMetrics): Headline | null {
  const h = headlineProtocol(m);
  const test = h === null ? undefined : h.prefix ? m.protocols?.[h.protocol]?.test : m.test;
  if (h && test) return { metric: `${h.prefix}test.role.macroF1`, value: test.role.macroF1, protocol: h.protocol, text: `role macro-F1 ${pct(test.role.macroF1)} (test)` };
  if (m.melo) return { metric: "melo.mrr", value: m.melo.mrr, protocol: null, text: `MRR ${m.melo.mrr.toFixed(3)} (MELO)` };
  return null;
}

export type ComparisonFormat = "text" | "csv" | "json" | "markdown";
export const COMPARISON_FORMATS: readonly ComparisonFormat[] = ["text", "csv", "json", "markdown"];

interface Column {
  /** The header in text and Markdown. */
  label: string;
  /** The header in CSV: the metric's dotted name where there is one. */
  key: string;
  numeric: boolean;
}

interface Cell {
  /** As text and Markdown show it (percent, ▼). */
  text: string;
  /** As CSV writes it. */
  raw: string | number | null;
}

/** A comparison laid out: columns, rows and the lines that explain them. */
export interface ComparisonTable {
  columns: Column[];
  rows: Cell[][];
  notes: string[];
}

/** The compact layout's figures: [label, metric name under the headline protocol, percent?]. MRR is the run's own. */
const COMPACT_FIGURES: { label: string; metric: string; percent: boolean; perProtocol: boolean }[] = [
  { label: "role F1", metric: "test.role.macroF1", percent: true, perProtocol: true },
  { label: "role acc", metric: "test.role.accuracy", percent: true, perProtocol: true },
  { label: "ind. F1", metric: "test.industry.macroF1", percent: true, perProtocol: true },
  { label: "ind. acc", metric: "test.industry.accuracy", percent: true, perProtocol: true },
  { label: "level acc", metric: "test.level.accuracy", percent: true, perProtocol: true },
  { label: "MELO MRR", metric: "melo.mrr", percent: false, perProtocol: false },
];

const text = (s: string): Cell => ({ text: s, raw: s });

/**
 * Method, protocol, the headline figures on test and the run id (last: ids are long, and the last column needs no
 * padding). Runs with none of these figures (e.g. a title map) are named in a note instead of a row of dashes.
 */
export function compactTable(c: Comparison): ComparisonTable {
  const columns: Column[] = [
    { label: "method", key: "method", numeric: false },
    { label: "protocol", key: "protocol", numeric: false },
    ...COMPACT_FIGURES.map((f) => ({ label: f.label, key: f.metric, numeric: true })),
    { label: "run", key: "run", numeric: false },
  ];
  const rows: Cell[][] = [];
  const without: string[] = [];
  for (const r of c.runs) {
    const prefix = r.headline?.prefix ?? "";
    const names = COMPACT_FIGURES.map((f) => (f.perProtocol ? prefix + f.metric : f.metric));
    if (!names.some((n) => typeof r.metrics[n] === "number")) {
      without.push(r.method);
      continue;
    }
    const figures = COMPACT_FIGURES.map((f, i): Cell => {
      const v = r.metrics[names[i]];
      if (typeof v !== "number") return { text: "—", raw: null };
      const below = c.belowMajority?.[r.id]?.includes(names[i]) ? "▼" : "";
      return { text: (f.percent ? pct(v) : v.toFixed(3)) + below, raw: v };
    });
    const protocol = r.method === "baseline" ? undefined : r.headline?.protocol;
    rows.push([text(r.method), protocol === undefined ? { text: "—", raw: null } : text(protocol), ...figures, text(r.id)]);
  }
  const notes = [
    "figures on test under each run's best protocol on dev role macro-F1; MRR on MELO; --wide: every figure and parameter",
    ...(rows.some((r) => r.some((cell) => cell.text.endsWith("▼"))) ? ["▼ below the majority-class baseline"] : []),
    ...(without.length ? [`not shown, no classification or MELO figures (see --wide): ${[...new Set(without)].join(", ")}`] : []),
  ];
  return { columns, rows, notes };
}

const fmtWide = (v: unknown): string => (v === undefined ? "-" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : typeof v === "string" ? v : JSON.stringify(v));

/** Every differing parameter and every figure, as comparisonText lays them out. */
export function wideTable(c: Comparison): ComparisonTable {
  const flagged = c.belowMajority !== undefined;
  const columns: Column[] = [
    { label: "run", key: "run", numeric: false },
    { label: "method", key: "method", numeric: false },
    ...c.params.map((p) => ({ label: p, key: `params.${p}`, numeric: false })),
    ...c.metrics.map((m) => ({ label: m, key: m, numeric: true })),
    ...(flagged ? [{ label: "below majority", key: "below_majority", numeric: false }] : []),
  ];
  const rows = c.runs.map((r) => {
    const flags = c.belowMajority?.[r.id] ?? [];
    const params = c.params.map((p): Cell => {
      const v = r.params[p];
      return { text: fmtWide(v), raw: v === undefined || v === null ? null : typeof v === "object" ? JSON.stringify(v) : (v as string | number) };
    });
    const metrics = c.metrics.map((m): Cell => {
      const v = r.metrics[m];
      return { text: fmtWide(v) + (flags.includes(m) ? "▼" : ""), raw: v ?? null };
    });
    const flagCell: Cell[] = flagged ? [{ text: flags.length ? `▼ ${flags.length} figure${flags.length > 1 ? "s" : ""}` : "", raw: flags.join(" ") }] : [];
    return [text(r.id), text(r.method), ...params, ...metrics, ...flagCell];
  });
  return { columns, rows, notes: [] };
}

/** Aligned columns under a dashed rule: numbers to the right in the compact layout, the last column unpadded. */
function tableText(t: ComparisonTable, alignNumbers: boolean): string {
  const widths = t.columns.map((col, i) => Math.max(col.label.length, ...t.rows.map((r) => r[i].text.length)));
  const line = (xs: string[]): string =>
    xs
      .map((x, i) => (alignNumbers && t.columns[i].numeric ? x.padStart(widths[i]) : i === xs.length - 1 ? x : x.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const body = [line(t.columns.map((c) => c.label)), line(widths.map((w) => "-".repeat(w))), ...t.rows.map((r) => line(r.map((c) => c.text)))];
  return [...body, ...(t.notes.length ? ["", ...t.notes] : [])].join("\n");
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function tableCsv(t: ComparisonTable): string {
  return [t.columns.map((c) => csvField(c.key)), ...t.rows.map((r) => r.map((c) => csvField(c.raw)))].map((r) => r.join(",")).join("\n");
}

function tableMarkdown(t: ComparisonTable): string {
  const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const row = (xs: string[]): string => `| ${xs.map(cell).join(" | ")} |`;
  const rule = `|${t.columns.map((c) => (c.numeric ? " ---: " : " --- ")).join("|")}|`;
  return [row(t.columns.map((c) => c.label)), rule, ...t.rows.map((r) => row(r.map((c) => c.text))), ...(t.notes.length ? ["", ...t.notes.map((n) => `_${cell(n)}_`)] : [])].join("\n");
}

/**
 * A comparison in a format: text and Markdown for reading, CSV for a spreadsheet (plain numbers, metric names as
 * headers), JSON with every figure whatever the layout (a script picks its own columns).
 */
export function formatComparison(c: Comparison, opts: { format: ComparisonFormat; wide: boolean }): string {
  if (opts.format === "json") return JSON.stringify(c, null, 2);
  if (opts.format === "text" && opts.wide) return comparisonText(c);
  const t = opts.wide ? wideTable(c) : compactTable(c);
  if (opts.format === "csv") return tableCsv(t);
  if (opts.format === "markdown") return tableMarkdown(t);
  return tableText(t, true);
}
