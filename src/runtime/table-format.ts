// One table renderer for every table a notebook, a report or the CLI shows: rows of plain objects in, HTML (inside a
// scrolling frame) or aligned text out. Each numeric column gets one format, chosen from its name and its values, so
// that a column never mixes "68.2" with "72": percentages with one decimal, metrics given as fractions with three,
// integer counts with thousands separators, seconds with one decimal. Every data-derived string is escaped.
import { Row } from "../core/types";

/** How a numeric column is written. "decimal": as many decimals (1–3) as its values need, the same for all. */
export type ColumnFormat = "percent" | "metric" | "count" | "seconds" | "decimal" | "text";

export interface TableOptions {
  /** Columns in order; by default the keys of the first row. */
  columns?: string[];
  caption?: string;
  /** Header text for a column, when it should read shorter than its key (the format still follows the key). */
  labels?: Record<string, string>;
  /** A column's format, overriding the one its name and values suggest. */
  formats?: Record<string, ColumnFormat>;
  /** Decimals for every fractional column without a format of its own (older callers); counts stay integers. */
  digits?: number;
  /** Rows shown; the caption then says "first N of M rows". */
  maxRows?: number;
}

/** The frame scrolls on its own, in a report and in live Jupyter alike (hence the inline style). */
export const TABLE_FRAME_STYLE = "overflow:auto;max-width:100%;max-height:36em";

const DECIMALS: Record<Exclude<ColumnFormat, "decimal" | "text">, number> = { percent: 1, metric: 3, count: 0, seconds: 1 };

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const isPercentName = (name: string): boolean => /%|percent|\bpct\b/i.test(name);
const isSecondsName = (name: string): boolean => /\bseconds?\b|\bsecs?\b|\(s\)|(^|\s)s$/i.test(name);

/** Decimals a value needs, up to `max` (0.5 → 1, 68.25 → 2, 1/3 → max). */
function decimalsNeeded(v: number, max: number): number {
  for (let d = 0; d < max; d++) if (Math.abs(Number(v.toFixed(d)) - v) < 1e-9 * Math.max(1, Math.abs(v))) return d;
  return max;
}

/** The format a column's name and numbers suggest. */
export function inferFormat(name: string, values: readonly number[]): ColumnFormat {
  if (values.length === 0) return "text";
  if (isPercentName(name)) return "percent";
  if (isSecondsName(name)) return "seconds";
  if (values.every((v) => Number.isInteger(v))) return "count";
  if (values.every((v) => v >= -1 && v <= 1)) return "metric";
  return "decimal";
}

/** Decimals of a column in `format`: `digits` (when given) wins for fractional formats; counts have none. */
function columnDecimals(format: ColumnFormat, values: readonly number[], digits: number | undefined, explicit: boolean): number {
  if (format === "count" || format === "text") return 0;
  if (digits !== undefined && !explicit) return digits;
  if (format !== "decimal") return DECIMALS[format];
  const biggest = Math.max(...values.map(Math.abs));
  const cap = biggest >= 1000 ? 1 : 3;
  return Math.max(1, ...values.map((v) => decimalsNeeded(v, cap)));
}

const formatters = new Map<number, Intl.NumberFormat>();

/** A number with `decimals` places and thousands separators; a value that rounds to zero loses its minus sign. */
export function formatNumber(v: number, decimals: number): string {
  if (Number.isNaN(v)) return "n/a";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  let f = formatters.get(decimals);
  if (!f) formatters.set(decimals, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  const text = f.format(v);
  return /^-[0.,]+$/.test(text) ? text.slice(1) : text;
}

/** One column as the renderers need it: its format and how each cell reads. */
export interface Column {
  name: string;
  /** The header shown. */
  label: string;
  format: ColumnFormat;
  /** True when the column holds numbers (its cells are right-aligned and carry their raw value). */
  numeric: boolean;
  cell(v: Row[string]): string;
}

const isNumber = (v: Row[string]): v is number => typeof v === "number";

export function columnOf(name: string, rows: readonly Row[], opts: Pick<TableOptions, "formats" | "digits" | "labels"> = {}): Column {
  const values = rows.map((r) => r[name]).filter(isNumber).filter((v) => Number.isFinite(v));
  const explicit = opts.formats?.[name];
  const format = explicit ?? inferFormat(name, values);
  const numeric = format !== "text" && rows.some((r) => typeof r[name] === "number");
  const decimals = columnDecimals(format, values, opts.digits, explicit !== undefined);
  return {
    name,
    label: opts.labels?.[name] ?? name,
    format,
    numeric,
    cell: (v) => {
      if (v === null || v === undefined) return "";
      if (typeof v === "number") return format === "text" ? String(v) : formatNumber(v, decimals);
      return String(v);
    },
  };
}

/** The columns of a table and the rows it shows (at most `maxRows`), with its caption. */
export function tableLayout(rows: readonly Row[], opts: TableOptions = {}): { columns: Column[]; rows: readonly Row[]; caption: string | undefined } {
  const names = opts.columns ?? Object.keys(rows[0] ?? {});
  const shown = opts.maxRows !== undefined && rows.length > opts.maxRows ? rows.slice(0, opts.maxRows) : rows;
  const cut = shown.length < rows.length ? `first ${shown.length} of ${rows.length.toLocaleString("en-US")} rows` : undefined;
  const caption = cut ? (opts.caption ? `${opts.caption} — ${cut}` : cut) : opts.caption;
  // Formats are chosen from every row, so that the rows shown read the same as the whole table would.
  return { columns: names.map((n) => columnOf(n, rows, opts)), rows: shown, caption };
}

function cellHtml(col: Column, v: Row[string]): string {
  const text = escapeHtml(col.cell(v));
  if (!col.numeric) return `<td>${text}</td>`;
  const raw = typeof v === "number" && !Number.isNaN(v) ? ` data-value="${escapeHtml(String(v))}"` : "";
  return `<td class="num"${raw}>${text}</td>`;
}

/** The table as HTML in its scrolling frame: `jtlab-table-frame` > `table.jtlab-table`, numeric cells `td.num[data-value]`. */
export function renderTableHtml(rows: readonly Row[], opts: TableOptions = {}): string {
  const t = tableLayout(rows, opts);
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : "";
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${t.columns.map((c) => cellHtml(c, r[c.name])).join("")}</tr>`).join("");
  return (
    `<div class="jtlab-table-frame" style="${TABLE_FRAME_STYLE}"><table class="jtlab-table">${caption}` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
  );
}

/** The table as aligned text (numbers right-aligned), its caption on the first line when it has one. */
export function renderTableText(rows: readonly Row[], opts: TableOptions = {}): string {
  const t = tableLayout(rows, opts);
  const cells = t.rows.map((r) => t.columns.map((c) => c.cell(r[c.name])));
  const widths = t.columns.map((c, i) => Math.max(c.label.length, ...cells.map((row) => row[i].length)));
  const pad = (x: string, i: number): string => (t.columns[i].numeric ? x.padStart(widths[i]) : x.padEnd(widths[i]));
  const line = (xs: string[]): string => xs.map(pad).join("  ").trimEnd();
  const lines = [line(t.columns.map((c) => c.label)), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  return (t.caption ? [t.caption, ...lines] : lines).join("\n");
}
