// CSV (RFC 4180) of any size, read in one pass by a character-level state machine: quoted fields may hold commas,
// quotes ("" escapes) and line breaks; records end at LF, CRLF or a lone CR; a byte-order mark at the start is
// dropped; blank lines are skipped (a line holding only "" is a record with one empty field). Every character is
// looked at once, whatever the input: work is linear in its length, and the first malformed record stops the read
// with its line and column. The same machine serves whole texts (parseCsvText) and streamed files
// (csvRecords), so both give the same records and the same errors.
//
// A quoted field that never closes would otherwise swallow the rest of the file: one longer than MAX_QUOTED_CHARS
// characters or spanning more than MAX_QUOTED_LINES line breaks is an error naming the line and column where it
// opened, found after reading at most that much past it (a 1 GB file is never read whole to find out).
//
// Bytes (streamed, or a whole file's at once) are decoded as UTF-8 that must be valid (an invalid byte is an error
// naming its line, column and byte offset: nothing becomes U+FFFD silently), or as Latin-1 when asked.
import * as fs from "fs";
import { DataFileError } from "./tsv";

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

/** The longest a quoted field may be, in characters, before it counts as never closed (64 KiB). */
export const MAX_QUOTED_CHARS = 65_536;
/** The most line breaks a quoted field may span before it counts as never closed. */
export const MAX_QUOTED_LINES = 1_000;

export interface CsvLimits {
  /** Default MAX_QUOTED_CHARS. */
  maxQuotedChars?: number;
  /** Default MAX_QUOTED_LINES. */
  maxQuotedLines?: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

// States of the machine.
const FIELD_START = 0; // nothing of the current field seen yet
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: an escaped quote ("") or the closing one

const fmt = (n: number): string => n.toLocaleString("en-US");

/**
 * The CSV state machine. push() text as it comes (any split, even inside a field or between CR and LF), then end().
 * Complete records are appended to `out`; a malformed record throws a DataFileError with its line and column (the
 * records before it are already in `out`).
 */
export class CsvParser {
  /** Position of the next character: 1-based line and column (columns count characters, not UTF-16 units). */
  line = 1;
  col = 1;
  /** Blank lines skipped (they are not records). */
  blankLines = 0;

  private readonly maxChars: number;
  private readonly maxLines: number;
  private state = FIELD_START;
  private fields: string[] = [];
  private field = "";
  private recordLine = 1;
  private quotedInRecord = false;
  private prevCR = false;
  private atStart = true;
  private openLine = 0;
  private openCol = 0;
  private quotedChars = 0;
  private ended = false;

  constructor(readonly file: string, limits: CsvLimits = {}) {
    this.maxChars = limits.maxQuotedChars ?? MAX_QUOTED_CHARS;
    this.maxLines = limits.maxQuotedLines ?? MAX_QUOTED_LINES;
  }

  push(text: string, out: CsvRecord[]): void {
    if (this.ended) throw new Error("CsvParser.push after end");
    const n = text.length;
    if (n === 0) return;
    let i = 0;
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    // Literal runs are sliced out of `text` rather than built a character at a time; `seg` is where the current
    // run began.
    let seg = i;
    let state = this.state;
    let line = this.line;
    let col = this.col;
    let prevCR = this.prevCR;
    const fail = (problem: string, atLine = line, atCol = col): never => {
      // The machine stops at its first error: the input past it is not CSV it can read.
      this.ended = true;
      this.line = line;
      this.col = col;
      throw new DataFileError(this.file, atLine, problem, atCol);
    };
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (state) {
        case FIELD_START:
          if (this.fields.length === 0 && !(c === LF && prevCR)) {
            this.recordLine = line;
            this.quotedInRecord = false;
          }
          if (c === QUOTE) {
            state = QUOTED;
            this.quotedInRecord = true;
            this.openLine = line;
            this.openCol = col;
            this.quotedChars = 0;
            seg = i + 1;
          } else if (c === COMMA) {
            this.fields.push("");
          } else if (c === CR || c === LF) {
            if (!(c === LF && prevCR)) {
              this.fields.push("");
              this.endRecord(out);
            }
          } else {
            state = UNQUOTED;
            seg = i;
          }
          break;
        case UNQUOTED:
          if (c === COMMA) {
            this.fields.push(this.field + text.slice(seg, i));
            this.field = "";
            state = FIELD_START;
          } else if (c === CR || c === LF) {
            this.fields.push(this.field + text.slice(seg, i));
            this.field = "";
            this.endRecord(out);
            state = FIELD_START;
          } else if (c === QUOTE) {
            fail("a quote inside an unquoted field (quote the whole field and double the quotes inside it)");
          }
          break;
        case QUOTED:
          if (c === QUOTE) {
            this.field += text.slice(seg, i);
            state = QUOTE_IN_QUOTED;
          } else if (++this.quotedChars > this.maxChars) {
            fail(`a quoted field is never closed (opened at line ${this.openLine} col ${this.openCol}, still open after ${fmt(this.maxChars)} characters)`, this.openLine, this.openCol);
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            // An escaped quote: the field goes on, with this quote as its next character.
            state = QUOTED;
            seg = i;
            ++this.quotedChars;
          } else if (c === COMMA) {
            this.fields.push(this.field);
            this.field = "";
            state = FIELD_START;
          } else if (c === CR || c === LF) {
            this.fields.push(this.field);
            this.field = "";
            this.endRecord(out);
            state = FIELD_START;
          } else {
            fail(`unexpected character ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`);
          }
          break;
      }
      // Where the next character is.
      if (c === CR) {
        line++;
        col = 1;
        prevCR = true;
      } else if (c === LF) {
        if (!prevCR) {
          line++;
          col = 1;
        }
        prevCR = false;
      } else {
        prevCR = false;
        if (c < 0xdc00 || c > 0xdfff) col++;
      }
      if (state === QUOTED && line - this.openLine > this.maxLines) {
        fail(`a quoted field is never closed (opened at line ${this.openLine} col ${this.openCol}, still open after ${fmt(this.maxLines)} lines)`, this.openLine, this.openCol);
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.field += text.slice(seg, n);
    this.state = state;
    this.line = line;
    this.col = col;
    this.prevCR = prevCR;
  }

  /** The input is over: the last record (with or without a final line break) is complete. */
  end(out: CsvRecord[]): void {
    if (this.ended) return;
    this.ended = true;
    switch (this.state) {
      case QUOTED: {
        const later = this.line - this.openLine;
        throw new DataFileError(
          this.file,
          this.openLine,
          `a quoted field is never closed (opened at line ${this.openLine} col ${this.openCol}; the file ends ${later === 0 ? "on the same line" : `${fmt(later)} line${later === 1 ? "" : "s"} later`})`,
          this.openCol,
        );
      }
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        this.fields.push(this.field);
        this.field = "";
        this.endRecord(out);
        break;
      case FIELD_START:
        // "a," at the very end: the record ends with an empty field.
        if (this.fields.length > 0) {
          this.fields.push("");
          this.endRecord(out);
        }
        break;
    }
    this.state = FIELD_START;
  }

  private endRecord(out: CsvRecord[]): void {
    const f = this.fields;
    this.fields = [];
    if (f.length === 1 && f[0] === "" && !this.quotedInRecord) this.blankLines++;
    else out.push({ line: this.recordLine, fields: f });
    this.quotedInRecord = false;
  }
}

/** Parses a whole CSV text (see CsvParser); throws a DataFileError naming the line and column of the first problem. */
export function parseCsvText(text: string, file: string, limits: CsvLimits = {}): CsvRecord[] {
  const parser = new CsvParser(file, limits);
  const out: CsvRecord[] = [];
  parser.push(text, out);
  parser.end(out);
  return out;
}

export type CsvEncoding = "utf8" | "latin1";

/** The encoding a user names (utf8, utf-8, latin1, latin-1, iso-8859-1), or null for one not supported. */
export function csvEncoding(name: string): CsvEncoding | null {
  const n = name.trim().toLowerCase().replace(/[_\s]/g, "-");
  if (n === "utf8" || n === "utf-8") return "utf8";
  if (n === "latin1" || n === "latin-1" || n === "iso-8859-1" || n === "iso8859-1") return "latin1";
  return null;
}

export interface CsvReadStats {
  /** Bytes read from the source so far. */
  bytes: number;
  /** Records yielded so far. */
  records: number;
  /** Blank lines skipped so far. */
  blankLines: number;
}

export interface CsvReadOptions extends CsvLimits {
  /** Default utf8 (which must be valid). */
  encoding?: CsvEncoding;
  /** Filled in as the read goes. */
  stats?: CsvReadStats;
}

/** Length of the longest prefix of `b` that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const x = b[n - k];
    if ((x & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    return need > k ? n - k : n;
  }
  return n;
}

/** Index of the first byte of `b` that does not start (or continue) a valid UTF-8 sequence; b.length when all is valid. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const x = b[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (x >= 0xc2 && x <= 0xdf) need = 1;
    else if (x >= 0xe0 && x <= 0xef) {
      need = 2;
      if (x === 0xe0) lo = 0xa0;
      if (x === 0xed) hi = 0x9f;
    } else if (x >= 0xf0 && x <= 0xf4) {
      need = 3;
      if (x === 0xf0) lo = 0x90;
      if (x === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i; // the sequence runs past the end
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}

/**
 * Bytes → records: decodes as they come (a multi-byte character split between pushes is joined; invalid UTF-8 is a
 * DataFileError with the line, column and byte offset of the bad byte) and feeds the CSV state machine.
 */
export class CsvByteReader {
  readonly parser: CsvParser;
  /** Bytes pushed so far. */
  bytes = 0;
  private readonly latin1: boolean;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private carry: Uint8Array | null = null;
  private offset = 0; // bytes decoded and handed to the parser

  constructor(readonly file: string, opts: CsvReadOptions = {}) {
    this.parser = new CsvParser(file, opts);
    this.latin1 = opts.encoding === "latin1";
  }

  push(chunk: Uint8Array | string, out: CsvRecord[]): void {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    this.bytes += bytes.length;
    this.feed(bytes, false, out);
  }

  end(out: CsvRecord[]): void {
    if (this.carry) this.feed(new Uint8Array(0), true, out);
    this.parser.end(out);
  }

  private feed(bytes: Uint8Array, final: boolean, out: CsvRecord[]): void {
    if (this.latin1) {
      this.parser.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), out);
      return;
    }
    let buf = bytes;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + bytes.length);
      buf.set(this.carry, 0);
      buf.set(bytes, this.carry.length);
      this.carry = null;
    }
    const k = final ? buf.length : completeUtf8Length(buf);
    let text: string;
    try {
      text = this.decoder.decode(buf.subarray(0, k));
    } catch {
      const bad = Math.min(firstInvalidUtf8(buf.subarray(0, k)), k);
      this.parser.push(this.decoder.decode(buf.subarray(0, bad)), out);
      const what = bad < k ? `byte 0x${buf[bad].toString(16).toUpperCase().padStart(2, "0")} at byte offset ${fmt(this.offset + bad)}` : `the bytes at offset ${fmt(this.offset)}`;
      const end = final && bad < k && completeUtf8Length(buf.subarray(0, k)) === bad ? " (the file ends inside a character)" : "";
      throw new DataFileError(this.file, this.parser.line, `invalid UTF-8: ${what} is not part of a UTF-8 character${end}; for a Latin-1 file read it as latin1 (jtlab score --encoding latin1)`, this.parser.col);
    }
    this.offset += k;
    if (k < buf.length) this.carry = buf.slice(k);
    this.parser.push(text, out);
  }
}

/** Parses a whole file's bytes (see CsvByteReader); throws a DataFileError naming the line and column of the first problem. */
export function parseCsvBytes(bytes: Uint8Array, file: string, opts: CsvReadOptions = {}): CsvRecord[] {
  const reader = new CsvByteReader(file, opts);
  const out: CsvRecord[] = [];
  reader.push(bytes, out);
  reader.end(out);
  return out;
}

/**
 * Records from a stream of bytes (e.g. a file's read stream), split anywhere. A read error becomes a DataFileError
 * naming `file`. The records before a malformed one are yielded before its error is thrown.
 */
export async function* csvRecordsFrom(
  chunks: AsyncIterable<Uint8Array | string>,
  file: string,
  opts: CsvReadOptions = {},
): AsyncGenerator<CsvRecord> {
  const reader = new CsvByteReader(file, opts);
  const stats = opts.stats ?? { bytes: 0, records: 0, blankLines: 0 };
  const out: CsvRecord[] = [];
  const drain = (): CsvRecord[] => {
    const ready = out.splice(0);
    stats.records += ready.length;
    stats.bytes = reader.bytes;
    stats.blankLines = reader.parser.blankLines;
    return ready;
  };
  try {
    for await (const chunk of chunks) {
      let error: unknown = null;
      try {
        reader.push(chunk, out);
      } catch (e) {
        error = e;
      }
      for (const r of drain()) yield r;
      if (error) throw error;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof DataFileError || typeof code !== "string") throw e;
    throw new DataFileError(file, null, `cannot be read (${code})`);
  }
  let error: unknown = null;
  try {
    reader.end(out);
  } catch (e) {
    error = e;
  }
  for (const r of drain()) yield r;
  if (error) throw error;
}

/**
 * The records of a CSV file, streamed (64 KiB reads; memory stays bounded by the longest record). A missing file,
 * a folder, an unreadable file, invalid UTF-8 and malformed CSV are DataFileErrors naming the file.
 */
export async function* csvRecords(file: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  checkReadableFile(file);
  const stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    yield* csvRecordsFrom(stream, file, opts);
  } finally {
    stream.destroy();
  }
}

/** Throws a DataFileError unless `file` is an existing file (not a folder). */
export function checkReadableFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(file, null, code === "ENOENT" || code === "ENOTDIR" ? "no such file" : `cannot be read (${code ?? String(e)})`);
  }
  if (st.isDirectory()) throw new DataFileError(file, null, "is a folder, expected a CSV file");
}
