// Finds a manifest file inside the data folder and reads it with the manifest's checks.
import * as fs from "fs";
import * as path from "path";
import { DataFile, dataFile } from "./manifest";
import { findDataDir } from "./paths";
import { DataFileError, readTsv, TsvRow } from "./tsv";

/** The path of a data file, or a clear error naming what was looked for. */
export function locate(key: string, dataDir: string = findDataDir().dir): string {
  const f = dataFile(key);
  for (const name of f.names) {
    const p = path.join(dataDir, f.dataset, name);
    if (fs.existsSync(p)) return p;
  }
  throw new DataFileError(
    path.join(dataDir, f.dataset, f.names[0]),
    null,
    `missing (looked for ${f.names.map((n) => JSON.stringify(n)).join(" or ")} in ${path.join(dataDir, f.dataset)})`,
  );
}

const cache = new Map<string, TsvRow[]>();

/** Reads and checks a data file once per process. */
export function readDataFile(key: string, dataDir?: string): TsvRow[] {
  const file = locate(key, dataDir);
  const hit = cache.get(file);
  if (hit) return hit;
  const f: DataFile = dataFile(key);
  const rows = readTsv(file, { header: f.header, rows: f.rows, columns: f.header ? undefined : columnsOf(key) });
  cache.set(file, rows);
  return rows;
}

function columnsOf(key: string): number | undefined {
  return { meloQueries: 2, meloCorpus: 2, meloQrels: 4, isco08Framework: 4 }[key];
}

/** "" and the text edition's "n/a" both mean missing. */
export function optional(cell: string): string | null {
  const v = cell.trim();
  return v === "" || v.toLowerCase() === "n/a" ? null : v;
}
