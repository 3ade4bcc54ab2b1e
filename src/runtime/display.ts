// Rich output from library code: HTML, markdown and tables show as such in a notebook and as plain text
// elsewhere. Every data-derived string is HTML-escaped here, so a title like "<script>" shows as text.
// Tables go through one renderer (table-format.ts); showFrame in frames.ts is the same table from a DataFrame.
import { Row } from "../core/types";
import { tslabDisplay } from "../io/kernel-env";
import { escapeHtml, renderTableHtml, renderTableText, TableOptions } from "./table-format";

export { escapeHtml };
export type { ColumnFormat, TableOptions } from "./table-format";

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

/** A table from rows of objects, in its scrolling frame; columns default to the keys of the first row. */
export function tableHtml(rows: Row[], opts: TableOptions = {}): string {
  return renderTableHtml(rows, opts);
}

/** The same table as aligned text (numbers right-aligned), for terminals and logs. */
export function tableText(rows: Row[], opts: TableOptions = {}): string {
  return renderTableText(rows, opts);
}

/**
 * Shows rows as a table: HTML in a notebook, text elsewhere. Each numeric column is formatted one way (percent
 * columns one decimal, fractions three, counts with separators, seconds one decimal); `formats` overrides a column.
 */
export function showTable(rows: Row[], opts: TableOptions = {}): void {
  showHtml(renderTableHtml(rows, opts), renderTableText(rows, opts));
}
