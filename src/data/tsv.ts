// Reading and writing tab-separated files, with errors that name the file and the line.
import * as fs from "fs";
import * as path from "path";

/** A problem in a data file, as `file: problem`, `file:line: problem` or `file:line:column: problem` (1-based). */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
    readonly column: number | null = null,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}${line !== null && column !== null ? `:${column}` : ""}: ${problem}`);
    this.name = "DataFileError";
  }
}

export interface TsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  cells: string[];
}

export interface TsvOptions {
  /** The header the file must start with; null when the file has none. */
  header: string[] | null;
  /** Exact number of data rows the file must have (blank lines are not rows). */
  rows?: number;
  /** Number of columns every row must have; defaults to the header's length. */
  columns?: number;
}

/** Splits text into lines, accepting `\n` and `\r\n`, and strips a leading byte-order mark. */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A text file's content, or an error naming the file and why it cannot be read. */
export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new DataFileError(file, null, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Reads a TSV file, checking its header, column count and row count. */
export function readTsv(file: string, opts: TsvOptions): TsvRow[] {
  return parseTsv(readTextFile(file), file, opts);
}

export function parseTsv(text: string, file: string, opts: TsvOptions): TsvRow[] {
  const lines = splitLines(text);
  let start = 0;
  if (opts.header) {
    if (lines.length === 0) throw new DataFileError(file, null, "is empty (expected a header line)");
    const got = lines[0].split("\t");
    const want = opts.header;
    if (got.length !== want.length || got.some((h, i) => h.trim() !== want[i])) {
      throw new DataFileError(file, 1, `unexpected header: expected [${want.join(" | ")}], found [${got.join(" | ")}]`);
    }
    start = 1;
  }
  const columns = opts.columns ?? opts.header?.length;
  const out: TsvRow[] = [];
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    const cells = raw.split("\t");
    if (columns !== undefined && cells.length !== columns) {
      throw new DataFileError(file, i + 1, `expected ${columns} tab-separated columns, found ${cells.length}`);
    }
    out.push({ line: i + 1, cells });
  }
  if (opts.rows !== undefined && out.length !== opts.rows) {
    throw new DataFileError(
      file,
      null,
      `expected ${opts.rows.toLocaleString("en-US")} data rows, found ${out.length.toLocaleString("en-US")} ` +
        "(a truncated or different version of the file?)",
    );
  }
  return out;
}

/** Writes rows as TSV; refuses cells that contain a tab or a newline, which would corrupt the file. */
export function writeTsv(file: string, header: string[], rows: (string | number)[][]): void {
  const esc = (v: string | number): string => {
    const s = String(v);
    if (/[\t\n\r]/.test(s)) throw new Error(`${file}: a cell holds a tab or newline: ${JSON.stringify(s)}`);
    return s;
  };
  const body = [header, ...rows].map((r) => r.map(esc).join("\t")).join("\n") + "\n";
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
}
