// Tables in notebooks are danfojs DataFrames; this shows one through the same renderer as showTable (escaped, one
// format per column, in a scrolling frame) or as text outside a kernel. danfojs-node is loaded on first use: it
// brings all of tfjs with it and takes seconds to import.
import { Row } from "../core/types";
import type { DataFrame } from "danfojs-node";
import { showTable } from "./display";
import { TableOptions } from "./table-format";

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

/** Rows shown by default: a frame of thousands of runs stays readable; `maxRows` changes it. */
export const FRAME_MAX_ROWS = 50;

export function showFrame(df: DataFrame, opts: Omit<TableOptions, "columns"> = {}): void {
  showTable(frameRows(df), { ...opts, columns: df.columns, maxRows: opts.maxRows ?? FRAME_MAX_ROWS });
}
