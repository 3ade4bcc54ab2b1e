// `jtlab exp compare`: runs side by side, like DVC's `exp show`: the parameters that differ between them, and
// their scalar metrics.
import { Row } from "../core/types";
import { DataFrame, frame } from "../runtime/frames";
import { RunMetrics, scalarMetrics } from "./metrics";
import { latestRun, listRuns, RunRecord } from "./registry";

export interface Comparison {
  runs: { id: string; method: string; status: string; started: string; params: Record<string, unknown>; metrics: Record<string, number | string> }[];
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
      return { id: b.name, method: "baseline", status: "ok", started: "", params: {}, metrics: Object.fromEntries(c.metrics.filter((k) => k in m).map((k) => [k, m[k]])) };
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
      };
    }),
    params: differing,
    metrics: metricNames,
  };
}

export function comparisonText(c: Comparison): string {
  const flagged = c.belowMajority !== undefined;
  const cols = ["run", "method", ...c.params, ...c.metrics, ...(flagged ? ["below majority"] : [])];
  const fmt = (v: unknown): string => (v === undefined ? "-" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : typeof v === "string" ? v : JSON.stringify(v));
  const flag = (id: string): string[] => {
    if (!flagged) return [];
    const f = c.belowMajority![id];
    return [f === undefined ? "" : f.length ? `▼ ${f.length} figure${f.length > 1 ? "s" : ""}` : ""];
  };
  const rows = c.runs.map((r) => [r.id, r.method, ...c.params.map((p) => fmt(r.params[p])), ...c.metrics.map((m) => (c.belowMajority?.[r.id]?.includes(m) ? `${fmt(r.metrics[m])}▼` : fmt(r.metrics[m]))), ...flag(r.id)]);
  const widths = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (xs: string[]): string => xs.map((x, i) => x.padEnd(widths[i])).join("  ");
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
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
