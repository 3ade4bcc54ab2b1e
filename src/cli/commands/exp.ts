// `jtlab exp list | show ID | compare [IDs | --latest-per-method] [--reference] [--metric NAME ...] [--wide]
// [--format text|csv|json|markdown] | export --out FILE [--format parquet|csv|json] [--reference] [--force]`
import { loadDatasets } from "../../datasets/build";
import { baselineMetrics } from "../../experiments/baselines";
import * as fs from "fs";
import * as path from "path";
import { COMPARISON_FORMATS, ComparisonFormat, compareRuns, csvField, formatComparison, latestPerMethod, runHeadline } from "../../experiments/compare";
import { registryRows, REGISTRY_COLUMNS } from "../../experiments/registry-table";
import { writeFileAtomic } from "../../io/atomic";
import { isParquetPath, writeParquetObjects } from "../../io/parquet";
import { findRun, latestRun, listReferenceRuns, listRuns, referenceDir, RunRecord, runsDir, runState } from "../../experiments/registry";
import { parse, UsageError } from "../args";
import { didYouMean } from "../../util/suggest";

const LIST_USAGE = "jtlab exp list [--reference] [--json]";
const SHOW_USAGE = "jtlab exp show ID [--json]";
const COMPARE_USAGE =
  "jtlab exp compare [ID ...] [--latest-per-method] [--reference] [--metric NAME ...] [--no-baselines] [--wide] [--format text|csv|json|markdown] [--json]";
const EXPORT_USAGE = "jtlab exp export --out FILE [--format parquet|csv|json] [--reference] [--force]";
const USAGE = [LIST_USAGE, SHOW_USAGE, COMPARE_USAGE, EXPORT_USAGE].join("\n       ");

/** What a line of `exp list` should not exceed, so that it reads in a terminal of the usual width. */
const LIST_WIDTH = 120;

/** "12-01 08:38": the start in UTC (the run id's date is UTC too). */
export function shortStart(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso.slice(0, 16) : d.toISOString().slice(5, 16).replace("T", " ");
}

/** "0.5 s", "43.6 s", "2m 42s", "1h 05m"; "" while running. */
export function shortDuration(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Why a run is not ok, for the end of its line. */
function listWhy(r: RunRecord): string {
  return runState(r) === "stale" ? `process ${r.pid} on ${r.host} is gone: it was killed before it could record an end` : r.error ?? "";
}

/**
 * One line per run, the id first (so that `cut -d' ' -f1` gives ids): id, method, kind, status, start, duration,
 * headline figure, and why a run failed. The method column is shortened (…) when a line would pass LIST_WIDTH.
 */
export function listText(runs: RunRecord[]): string[] {
  const cells = runs.map((r) => [r.id, r.method, r.kind, runState(r), shortStart(r.started), shortDuration(r.seconds), runHeadline(r.metrics)?.text ?? "—"]);
  const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...cells.map((c) => c[i].length)));
  const longest = Math.max(...cells.map((c) => c[6].length));
  const over = widths.reduce((a, w) => a + w + 2, 0) + longest - LIST_WIDTH;
  if (over > 0) widths[1] = Math.max(8, widths[1] - over);
  const fit = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return cells.map((c, k) => {
    const why = listWhy(runs[k]);
    return [...widths.map((w, i) => fit(c[i], w)), c[6]].join("  ") + (why ? `  ${why}` : "");
  });
}

/** A run of the user's registry by id, else a reference run of that id. */
function findAnyRun(id: string): RunRecord {
  try {
    return findRun(id);
  } catch (e) {
    const ref = listReferenceRuns().find((r) => r.id === id || r.id.startsWith(id));
    if (ref) return ref;
    throw e;
  }
}

function listCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { reference: { type: "boolean" }, json: { type: "boolean" } }, LIST_USAGE);
  if (positionals.length) throw new UsageError(`exp list takes no arguments, got ${JSON.stringify(positionals[0])}\nusage: ${LIST_USAGE}`);
  const runs = values.reference ? listReferenceRuns() : listRuns();
  const where = values.reference ? referenceDir() : runsDir();
  if (values.json) {
    const rows = runs.map((r) => ({ id: r.id, method: r.method, kind: r.kind, status: runState(r), started: r.started, seconds: r.seconds, headline: runHeadline(r.metrics), error: r.error }));
    return void console.log(JSON.stringify(rows));
  }
  if (runs.length === 0) return void console.log(`no runs in ${where}`);
  for (const line of listText(runs)) console.log(line);
}

function showCommand(argv: string[]): void {
  const { positionals } = parse(argv, { json: { type: "boolean" } }, SHOW_USAGE);
  if (positionals.length !== 1) throw new UsageError(`name one run\nusage: ${SHOW_USAGE}`);
  console.log(JSON.stringify(findAnyRun(positionals[0]), null, 2));
}

function comparisonFormat(format: string | undefined, json: boolean | undefined): ComparisonFormat {
  if (format === undefined) return json ? "json" : "text";
  if (!(COMPARISON_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${COMPARISON_FORMATS.join(", ")}, got ${JSON.stringify(format)}${didYouMean(format, COMPARISON_FORMATS)}`);
  }
  if (json && format !== "json") throw new UsageError(`--json and --format ${format} disagree; give one`);
  return format as ComparisonFormat;
}

async function compareCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      "latest-per-method": { type: "boolean" },
      reference: { type: "boolean" },
      metric: { type: "string", multiple: true },
      "no-baselines": { type: "boolean" },
      wide: { type: "boolean" },
      format: { type: "string" },
      json: { type: "boolean" },
    },
    COMPARE_USAGE,
  );
  const format = comparisonFormat(values.format, values.json);
  const all = listRuns();
  let runs = values["latest-per-method"] ? latestPerMethod(all) : positionals.length ? positionals.map((id) => findAnyRun(id)) : all;
  if (values.reference) {
    const refs = listReferenceRuns();
    if (refs.length === 0) throw new Error(`no reference runs in ${referenceDir()}`);
    // Each run followed by the reference run of its method, so that a new run reads beside the published one.
    runs = runs.flatMap((r) => {
      const ref = latestRun({ method: r.method }, refs, referenceDir());
      return ref && ref.id !== r.id ? [r, ref] : [r];
    });
    if (runs.length === 0) runs = refs;
  }
  if (runs.length === 0) throw new Error(`no runs to compare in ${runsDir()}`);
  // The trivial baselines on the same splits lead the table (computed, not recorded: they train nothing).
  const baselines = values["no-baselines"] ? [] : await baselineMetrics(loadDatasets());
  const metrics = values.metric ?? [];
  const c = compareRuns(runs, metrics, baselines);
  // Naming figures is choosing columns: they are shown as named, in the wide layout.
  console.log(formatComparison(c, { format, wide: values.wide === true || metrics.length > 0 }));
}

/** The registry as one long table (registry-table.ts), as Parquet, CSV or JSON: by --format, else by the extension. */
async function exportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { out: { type: "string" }, format: { type: "string" }, reference: { type: "boolean" }, force: { type: "boolean" } }, EXPORT_USAGE);
  if (positionals.length) throw new UsageError(`exp export takes no arguments, got ${JSON.stringify(positionals[0])}\nusage: ${EXPORT_USAGE}`);
  if (!values.out) throw new UsageError(`--out is required\nusage: ${EXPORT_USAGE}`);
  const out = path.resolve(values.out);
  const format = values.format ?? (isParquetPath(out) ? "parquet" : out.endsWith(".json") ? "json" : out.endsWith(".csv") ? "csv" : null);
  if (format !== "parquet" && format !== "csv" && format !== "json") {
    throw new UsageError(`--format must be parquet, csv or json${values.format ? `, got ${JSON.stringify(values.format)}` : ` (or --out ending in .parquet, .csv or .json)`}`);
  }
  if (fs.existsSync(out) && !values.force) throw new UsageError(`${out} exists: choose another --out, or pass --force to replace it`);
  if (!fs.existsSync(path.dirname(out))) throw new UsageError(`cannot write --out ${out}: folder ${path.dirname(out)} does not exist`);
  const runs = values.reference ? listReferenceRuns() : listRuns();
  if (runs.length === 0) throw new Error(`no runs to export in ${values.reference ? referenceDir() : runsDir()}`);
  const rows = registryRows(runs);
  if (format === "parquet") await writeParquetObjects(out, rows as unknown as Record<string, unknown>[], REGISTRY_COLUMNS);
  else if (format === "json") writeFileAtomic(out, JSON.stringify(rows, null, 1) + "\n");
  else {
    const names = REGISTRY_COLUMNS.map((c) => c.name);
    const lines = [names.join(","), ...rows.map((r) => names.map((n) => csvField((r as unknown as Record<string, string | number | null>)[n] ?? null)).join(","))];
    writeFileAtomic(out, lines.join("\n") + "\n");
  }
  console.error(`wrote ${rows.length} figures of ${runs.length} runs to ${out}`);
}

export async function expCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === "list") return listCommand(rest);
  if (sub === "show") return showCommand(rest);
  if (sub === "compare") return compareCommand(rest);
  if (sub === "export") return exportCommand(rest);
  throw new UsageError(`usage: ${USAGE}`);
}
