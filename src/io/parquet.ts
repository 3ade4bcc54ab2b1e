// Parquet in and out through DuckDB's Node API (@duckdb/node-api: a well-kept engine with prebuilt binaries that
// install from npm alone). Columns keep their types: pandas, Polars, DuckDB and Spark read what is written here as it is.
// Reading streams row chunks, so a file of any size is read in bounded memory; writing converts a typed CSV (the
// table as the CSV writer already streams it) in one COPY, which DuckDB runs in bounded memory too.
import * as fs from "fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { atExit } from "./signals";
import { tempPathFor, writeViaTempAsync } from "./atomic";

export type ParquetType = "VARCHAR" | "FLOAT" | "DOUBLE" | "BIGINT" | "BOOLEAN" | "TIMESTAMP";

export interface ParquetColumn {
  name: string;
  type: ParquetType;
}

/** True when the file name says Parquet (`.parquet`, `.pq`); everything else is CSV. */
export function isParquetPath(file: string): boolean {
  return /\.(parquet|pq)$/i.test(file);
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
/** DuckDB's `columns = {...}` argument: each column's name and type. */
const columnSpec = (columns: readonly ParquetColumn[]): string => `{${columns.map((col) => `${sqlString(col.name)}: ${sqlString(col.type)}`).join(", ")}}`;

/**
 * DuckDB's memory limit: past it, large COPYs spill to DuckDB's temporary folder instead of growing (jtlab score keeps
 * its own peak under 1.5 GB with 10M rows beside it).
 */
const MEMORY_LIMIT = "384MB";

async function withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { memory_limit: MEMORY_LIMIT });
  const c = await db.connect();
  try {
    return await fn(c);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** A Parquet file's columns and row count, or an error naming the file when it is not Parquet. */
export async function parquetShape(file: string): Promise<{ columns: ParquetColumn[]; rows: number }> {
  return withConnection(async (c) => {
    try {
      const cols = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
      const count = await c.runAndReadAll(`SELECT count(*)::BIGINT FROM read_parquet(${sqlString(file)})`);
      return {
        columns: cols.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) as ParquetType })),
        rows: Number(count.getRows()[0][0]),
      };
    } catch (e) {
      throw new Error(`${file}: not a readable Parquet file (${(e as Error).message.split("\n")[0]})`);
    }
  });
}

/** The named columns of a Parquet file as text (null as ""), in file order, a chunk of rows at a time. */
export async function* parquetRows(file: string, columns: readonly string[]): AsyncGenerator<string[][]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { memory_limit: MEMORY_LIMIT });
  const c = await db.connect();
  try {
    const select = columns.map((n) => `CAST(${sqlIdent(n)} AS VARCHAR)`).join(", ");
    // preserve_insertion_order (DuckDB's default) keeps the file's row order.
    const result = await c.stream(`SELECT ${select} FROM read_parquet(${sqlString(file)})`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      yield chunk.getRows().map((r) => r.map((v) => (v === null || v === undefined ? "" : String(v))));
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/**
 * Converts a CSV with a header (as this project's CSV writers write it: RFC 4180 quoting, UTF-8) into a Parquet file
 * with the given column types, atomically: the Parquet file appears whole or not at all.
 */
export async function csvToParquet(csvFile: string, parquetFile: string, columns: readonly ParquetColumn[]): Promise<void> {
  await writeViaTempAsync(parquetFile, (tmp) =>
    withConnection(async (c) => {
      await c.run(
        `COPY (SELECT * FROM read_csv(${sqlString(csvFile)}, header = true, delim = ',', quote = '"', escape = '"', columns = ${columnSpec(columns)}, ` +
          `nullstr = '', auto_detect = false, strict_mode = true)) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    }),
  );
}

/** Rows of plain values (one object per row; a missing value is null) as a Parquet file with the given column types. */
export async function writeParquetObjects(file: string, rows: readonly Record<string, unknown>[], columns: readonly ParquetColumn[]): Promise<void> {
  const json = `${tempPathFor(file)}.jsonl`;
  const forget = atExit(() => fs.rmSync(json, { force: true }));
  try {
    fs.writeFileSync(json, rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, r[c.name] ?? null])))).join("\n") + "\n");
    await writeViaTempAsync(file, (tmp) =>
      withConnection(async (c) => {
        await c.run(`COPY (SELECT * FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = ${columnSpec(columns)})) TO ${sqlString(tmp)} (FORMAT parquet)`);
      }),
    );
  } finally {
    fs.rmSync(json, { force: true });
    forget();
  }
}
