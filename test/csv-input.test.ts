// The CSV reader (src/data/csv-stream.ts): one character-level state machine for whole texts and streamed files,
// RFC 4180, errors with line and column, a bound on quoted fields (an unclosed quote fails fast, without reading the
// rest of the file), and strict UTF-8 (or Latin-1 when asked).
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  CsvParser, CsvReadOptions, CsvReadStats, CsvRecord, csvEncoding, csvRecords, csvRecordsFrom, firstInvalidUtf8, MAX_QUOTED_CHARS, MAX_QUOTED_LINES, parseCsvText } from "../src/data/csv-stream";
import { DataFileError } from "../src/data/tsv";
import { splitBytes, streamOf, tmpDir } from "./helpers";

const dir = tmpDir("jtlab-csv-");

async function collect(gen: AsyncIterable<CsvRecord>): Promise<{ records: CsvRecord[]; error: unknown }> {
  const records: CsvRecord[] = [];
  try {
    for await (const r of gen) records.push(r);
    return { records, error: null };
  } catch (e) {
    return { records, error: e };
  }
}

const fields = (text: string): string[][] => parseCsvText(text, "t.csv").map((r) => r.fields);

describe("the CSV state machine (RFC 4180)", () => {
  it("keeps quoted commas, quotes, LF, CR and CRLF inside a field, and counts lines from where each record starts", () => {
    const text = 'id,title\r\n1,"Sales, ""EMEA"""\r\n2,"two\nlines"\n3,"cr\rinside"\r4,"crlf\r\ninside",x\n';
    expect(parseCsvText(text, "t.csv")).toEqual([
      { line: 1, fields: ["id", "title"] },
      { line: 2, fields: ["1", 'Sales, "EMEA"'] },
      { line: 3, fields: ["2", "two\nlines"] },
      { line: 5, fields: ["3", "cr\rinside"] },
      { line: 7, fields: ["4", "crlf\r\ninside", "x"] },
    ]);
  });

  it("drops a byte-order mark at the start only, skips and counts blank lines, keeps a line holding only \"\"", () => {
    const p = new CsvParser("t.csv");
    const out: CsvRecord[] = [];
    p.push('\ufeffa,b\n\n\r\n""\n,\n\ufeffc\n', out);
    p.end(out);
    expect(out.map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [4, [""]],
      [5, ["", ""]],
      [6, ["\ufeffc"]],
    ]);
    expect(p.blankLines).toBe(2);
  });

  it("ends the last record without a final line break, with a trailing empty field after a comma", () => {
    expect(fields("a,b")).toEqual([["a", "b"]]);
    expect(fields("a,")).toEqual([["a", ""]]);
    expect(fields('a,""')).toEqual([["a", ""]]);
    expect(fields("")).toEqual([]);
    expect(fields("\ufeff")).toEqual([]);
  });

  it.each([
    ['id,title\np1,Sales\np2,The "Sales" Lead\n', /^t\.csv:3:8: a quote inside an unquoted field/],
    ['id,title\np1,"Sales"x\n', /^t\.csv:2:11: unexpected character "x" after a closing quote/],
    ['id,title\np1,"Sales\n', /^t\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4; the file ends 1 line later\)/],
    ['id,title\np1,"Sa"les', /^t\.csv:2:8: unexpected character "l" after a closing quote/],
    // Columns count characters, not UTF-16 units: the emoji is one.
    ['id,title\n😀,é"x\n', /^t\.csv:2:4: a quote inside an unquoted field/],
  ])("names the line and column of the first malformed record: %j", (text, err) => {
    expect(() => parseCsvText(text, "t.csv")).toThrow(err);
    try {
      parseCsvText(text, "t.csv");
    } catch (e) {
      expect(e).toBeInstanceOf(DataFileError);
      expect((e as DataFileError).line).toBeGreaterThan(0);
      expect((e as DataFileError).column).toBeGreaterThan(0);
    }
  });

  it(`bounds a quoted field: ${MAX_QUOTED_LINES.toLocaleString("en-US")} lines or ${MAX_QUOTED_CHARS.toLocaleString("en-US")} characters, then an error where it opened`, () => {
    const manyLines = 'id,title\np1,"x' + "\nmore".repeat(MAX_QUOTED_LINES + 5) + '"\n';
    expect(() => parseCsvText(manyLines, "t.csv")).toThrow(/^t\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4, still open after 1,000 lines\)/);
    const longField = 'id,title\np1,"' + "x".repeat(MAX_QUOTED_CHARS + 1) + '"\n';
    expect(() => parseCsvText(longField, "t.csv")).toThrow(/^t\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4, still open after 65,536 characters\)/);
    // Up to the bound is fine, and the bound can be moved.
    const atBound = 'id,title\np1,"' + "x".repeat(MAX_QUOTED_CHARS) + '"\n';
    expect(fields(atBound)[1][1]).toHaveLength(MAX_QUOTED_CHARS);
    expect(parseCsvText(manyLines, "t.csv", { maxQuotedLines: Infinity })[1].fields[1]).toMatch(/^x\nmore/);
    expect(() => parseCsvText('a,"bcd"\n', "t.csv", { maxQuotedChars: 2 })).toThrow(/t\.csv:1:3: a quoted field is never closed .*after 2 characters/);
  });
});

describe("an unclosed quote in a large file (was quadratic: the whole rest of the file rescanned per line)", () => {
  const rows = 200_000;
  const file = path.join(dir, "unclosed.csv");
  const lines = ["person_id,title", 'p1,"Sales Agent'];
  for (let i = 2; i <= rows; i++) lines.push(`p${i},Head Nurse ${i}`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const size = fs.statSync(file).size;

  it("fails with the line and column where the quote opened, having read only the bound's worth of the file", async () => {
    const stats: CsvReadStats = { bytes: 0, records: 0, blankLines: 0 };
    const r = await collect(csvRecords(file, { stats }));
    expect(String(r.error)).toMatch(/unclosed\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4, still open after 1,000 lines\)/);
    // The records before it came out first.
    expect(r.records.map((x) => x.line)).toEqual([1]);
    // Work counted, not timed: at most the bound plus one 64 KiB read, of a file of several MB.
    expect(size).toBeGreaterThan(4_000_000);
    expect(stats.bytes).toBeLessThanOrEqual(2 * 65_536);
  });

  it("with no bound, reads the file once to its end and names the line the quote opened on", async () => {
    const stats: CsvReadStats = { bytes: 0, records: 0, blankLines: 0 };
    const t0 = performance.now();
    const r = await collect(csvRecords(file, { stats, maxQuotedChars: Infinity, maxQuotedLines: Infinity }));
    const seconds = (performance.now() - t0) / 1000;
    expect(String(r.error)).toMatch(/unclosed\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4; the file ends 200,000 lines later\)/);
    expect(stats.bytes).toBe(size);
    // A bound on failing fast, not a benchmark: one pass takes well under a second; the old reader took minutes.
    expect(seconds).toBeLessThan(20);
  });
});

describe("the streamed reader", () => {
  it("gives the records of the whole-text parser for any split of the bytes, multi-byte characters included", async () => {
    const text = '\ufeffid,title\r\n1,"Café, ""😀"""\r\n2,"a\r\nb"\r\n3,Zürich\n';
    const bytes = Buffer.from(text, "utf8");
    const whole = parseCsvText(text, "t.csv");
    for (let cut = 1; cut < bytes.length; cut++) {
      expect((await collect(csvRecordsFrom(streamOf(splitBytes(bytes, [cut, cut + 1, cut + 3])), "t.csv"))).records).toEqual(whole);
    }
    // Byte by byte.
    expect((await collect(csvRecordsFrom(streamOf<Uint8Array | string>([...bytes].map((b) => Uint8Array.of(b))), "t.csv"))).records).toEqual(whole);
  });

  it("refuses invalid UTF-8 with its line, column and byte offset (never a silent U+FFFD)", async () => {
    const bytes = Buffer.concat([Buffer.from("person_id,title\np1,Caf"), Buffer.from([0xe9]), Buffer.from(" manager\n")]);
    const file = path.join(dir, "latin1.csv");
    fs.writeFileSync(file, bytes);
    const r = await collect(csvRecords(file));
    expect(r.error).toBeInstanceOf(DataFileError);
    expect(String((r.error as Error).message)).toMatch(/latin1\.csv:2:7: invalid UTF-8: byte 0xE9 at byte offset 22 is not part of a UTF-8 character; .*--encoding latin1/);
    expect(r.records.map((x) => x.fields)).toEqual([["person_id", "title"]]);
    // Split anywhere, the same error.
    for (let cut = 1; cut < bytes.length; cut++) {
      const s = await collect(csvRecordsFrom(streamOf(splitBytes(bytes, [cut])), file));
      expect((s.error as Error).message).toBe((r.error as Error).message);
    }
    // Read as Latin-1 it is a title.
    const l = await collect(csvRecords(file, { encoding: "latin1" }));
    expect(l.error).toBe(null);
    expect(l.records[1].fields).toEqual(["p1", "Café manager"]);
  });

  it("refuses a file that ends inside a multi-byte character, and overlong or surrogate encodings", async () => {
    const ends = await collect(csvRecordsFrom(streamOf<Uint8Array | string>([Buffer.from("a,b\nc,"), Uint8Array.of(0xe2, 0x82)]), "t.csv"));
    expect(String(ends.error)).toMatch(/t\.csv:2:3: invalid UTF-8: byte 0xE2 at byte offset 6 .*\(the file ends inside a character\)/);
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      const r = await collect(csvRecordsFrom(streamOf<Uint8Array | string>([Buffer.from("x\ny,"), Uint8Array.from(bad), Buffer.from("\n")]), "t.csv"));
      expect(String(r.error)).toMatch(/t\.csv:2:3: invalid UTF-8: byte 0x[0-9A-F]{2} at byte offset 4 /);
    }
  });

  it("finds the first invalid UTF-8 byte exactly where TextDecoder rejects", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const cases: number[][] = [[0x61], [0xc3, 0xa9], [0xc3], [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xf5, 0x80], [0x61, 0xed, 0x9f, 0xbf, 0xed, 0xa0]];
    for (const c of cases) {
      const b = Uint8Array.from(c);
      const k = firstInvalidUtf8(b);
      expect(() => decoder.decode(b.subarray(0, k))).not.toThrow();
      if (k < b.length) expect(() => decoder.decode(b)).toThrow();
    }
  });

  it("names a missing file, a folder and an unreadable read", async () => {
    expect(String((await collect(csvRecords(path.join(dir, "nope.csv")))).error)).toMatch(/nope\.csv: no such file$/);
    expect(String((await collect(csvRecords(dir))).error)).toMatch(/: is a folder, expected a CSV file$/);
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("a,b\n");
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const r = await collect(csvRecordsFrom(broken(), "t.csv"));
    expect(String(r.error)).toMatch(/t\.csv: cannot be read \(EIO\)$/);
    expect(r.records.map((x) => x.fields)).toEqual([["a", "b"]]);
  });

  it("counts bytes, records and blank lines as it goes", async () => {
    const stats: CsvReadStats = { bytes: 0, records: 0, blankLines: 0 };
    const opts: CsvReadOptions = { stats };
    const r = await collect(csvRecordsFrom(streamOf<Uint8Array | string>(["a,b\n\n", "c,d\n\n\n"]), "t.csv", opts));
    expect(r.records).toHaveLength(2);
    expect(stats).toEqual({ bytes: 11, records: 2, blankLines: 3 });
  });

  it("knows the encodings a user may name", () => {
    expect(["utf8", "UTF-8", "latin1", "Latin-1", "ISO-8859-1", "cp1252"].map(csvEncoding)).toEqual(["utf8", "utf8", "latin1", "latin1", "latin1", null]);
  });
});
