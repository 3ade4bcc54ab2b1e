// The rows a score table is made of, from a CSV (this project's strict reader: errors name the line and column) or
// a Parquet file (DuckDB), read as many times as needed: once to find the distinct titles, once to write the table.
// The header or schema is checked on open; a row without a title is an error naming its line (CSV) or row (Parquet).
import { checkReadableFile, CsvEncoding, CsvReadStats, csvRecords } from "../data/csv-stream";
import { DataFileError } from "../data/tsv";
import { isParquetPath, parquetRows, parquetShape } from "../io/parquet";

export interface TitleRow {
  /** The person's id as written (the CSV line or Parquet row number when the file has no id column). */
  id: string;
  title: string;
}

export interface TitleSource {
  format: "csv" | "parquet";
  /** The id column's name as written (`line` or `row` when there is none), so the output joins back on it. */
  idName: string;
  /** Rows in order; blank CSV lines are not rows (counted in stats). */
  read(stats?: CsvReadStats): AsyncGenerator<TitleRow>;
}

/** Column positions from a header: `title`, and `person_id` or `id` (optional), matched without case. */
function columnsOf(fields: string[]): { titleCol: number; idCol: number } {
  const head = fields.map((f) => f.trim().toLowerCase());
  const idCol = head.indexOf("person_id") >= 0 ? head.indexOf("person_id") : head.indexOf("id");
  return { titleCol: head.indexOf("title"), idCol };
}

async function csvSource(file: string, encoding: CsvEncoding): Promise<TitleSource> {
  let header: { fields: string[]; line: number } | null = null;
  for await (const rec of csvRecords(file, { encoding })) {
    header = { fields: rec.fields, line: rec.line };
    break;
  }
  if (!header) throw new DataFileError(file, null, 'is empty: expected a header with a "title" column, then one row per title');
  const { titleCol, idCol } = columnsOf(header.fields);
  if (titleCol < 0) throw new DataFileError(file, header.line, `no "title" column in the header (${header.fields.join(",")})`);
  return {
    format: "csv",
    idName: idCol >= 0 ? header.fields[idCol].trim() : "line",
    async *read(stats?: CsvReadStats): AsyncGenerator<TitleRow> {
      let first = true;
      let rows = 0;
      for await (const rec of csvRecords(file, { encoding, ...(stats ? { stats } : {}) })) {
        if (first) {
          first = false;
          continue;
        }
        if (rec.fields.length <= titleCol) throw new DataFileError(file, rec.line, `expected a title in column ${titleCol + 1}, found ${rec.fields.length} field${rec.fields.length === 1 ? "" : "s"}`);
        rows++;
        yield { id: idCol >= 0 ? (rec.fields[idCol] ?? "") : String(rec.line), title: rec.fields[titleCol] };
      }
      if (rows === 0) throw new DataFileError(file, null, `has a header but no rows (${header!.fields.join(",")})`);
    },
  };
}

async function parquetSource(file: string): Promise<TitleSource> {
  const shape = await parquetShape(file);
  const names = shape.columns.map((c) => c.name);
  const { titleCol, idCol } = columnsOf(names);
  if (titleCol < 0) throw new DataFileError(file, null, `no "title" column (columns: ${names.join(", ")})`);
  if (shape.rows === 0) throw new DataFileError(file, null, `has no rows (columns: ${names.join(", ")})`);
  const wanted = idCol >= 0 ? [names[titleCol], names[idCol]] : [names[titleCol]];
  return {
    format: "parquet",
    idName: idCol >= 0 ? names[idCol] : "row",
    async *read(): AsyncGenerator<TitleRow> {
      let row = 0;
      for await (const chunk of parquetRows(file, wanted)) {
        for (const r of chunk) {
          row++;
          yield { id: idCol >= 0 ? r[1] : String(row), title: r[0] };
        }
      }
    },
  };
}

/** Opens --in by its extension: `.parquet`/`.pq` through DuckDB, anything else as CSV. */
export async function openTitleSource(file: string, encoding: CsvEncoding): Promise<TitleSource> {
  checkReadableFile(file);
  return isParquetPath(file) ? parquetSource(file) : csvSource(file, encoding);
}
