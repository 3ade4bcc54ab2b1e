// Rich output from library code: HTML, markdown and tables show as such in a notebook and as plain text
// elsewhere. Every data-derived string is HTML-escaped here, so a title like "<script>" shows as text.
import { Row } from "../core/types";
import { tslabDisplay } from "../io/kernel-env";

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function showHtml(html: string, fallbackText?: string): void {
  const t = tslabDisplay();
  if (t) t.display.html(html);
  else console.log(fallbackText ?? html.replace(/<[^>]+>/g, ""));
}

export function showMarkdown(md: string): void {
  const t = tslabDisplay();
  if (t) t.display.markdown(md);
  else console.log(md);
}

function fmt(v: Row[string], digits: number): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(digits);
  return String(v);
}

/** A table from rows of objects; columns default to the keys of the first row. */
export function tableHtml(rows: Row[], opts: { columns?: string[]; digits?: number; caption?: string } = {}): string {
  const cols = opts.columns ?? Object.keys(rows[0] ?? {});
  const digits = opts.digits ?? 3;
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${cols.map((c) => `<td${typeof r[c] === "number" ? ' class="num"' : ""}>${escapeHtml(fmt(r[c], digits))}</td>`).join("")}</tr>`)
    .join("");
  const caption = opts.caption ? `<caption>${escapeHtml(opts.caption)}</caption>` : "";
  return `<table class="jtlab-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function tableText(rows: Row[], opts: { columns?: string[]; digits?: number } = {}): string {
  const cols = opts.columns ?? Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => cols.map((c) => fmt(r[c], opts.digits ?? 3)));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (xs: string[]): string => xs.map((x, i) => x.padEnd(widths[i])).join("  ");
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export function showTable(rows: Row[], opts: { columns?: string[]; digits?: number; caption?: string } = {}): void {
  showHtml(tableHtml(rows, opts), (opts.caption ? opts.caption + "\n" : "") + tableText(rows, opts));
}
