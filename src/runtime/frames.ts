// Tables in notebooks are danfojs DataFrames; this shows one as an HTML table (escaped) or as text outside a
// kernel. danfojs-node is loaded on first use: it brings all of tfjs with it and takes seconds to import.
import { Row } from "../core/types";
import type { DataFrame } from "danfojs-node";
import { showTable } from "./display";

export type { DataFrame };

function danfo(): typeof import("danfojs-node") {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("danfojs-node") as typeof import("danfojs-node");
}

/** A DataFrame from rows of objects. */
export function frame(rows: Row[]): DataFrame {
  if (rows.length === 0) throw new Error("frame: no rows");
  return new (danfo().DataFrame)(rows) as DataFrame;
}

/** Rows of a DataFrame as plain objects. */
export function frameRows(df: DataFrame): Row[] {
  const cols = df.columns;
  return (df.values as unknown[][]).map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i] as Row[string]])));
}

export function showFrame(df: DataFrame, opts: { maxRows?: number; digits?: number; caption?: string } = {}): void {
  const rows = frameRows(df);
  const max = opts.maxRows ?? 50;
  const caption = rows.length > max ? `${opts.caption ? opts.caption + " — " : ""}first ${max} of ${rows.length} rows` : opts.caption;
  showTable(rows.slice(0, max), { columns: df.columns, digits: opts.digits, caption });
}
