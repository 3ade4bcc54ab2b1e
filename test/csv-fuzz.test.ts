// The CSV reader under fast-check: any fields round-trip (quotes, commas, CR, LF, CRLF, unicode, a BOM), the
// whole-text parser and the streamed reader (bytes split anywhere) agree on every input, and malformed input or
// bytes give a DataFileError with a line, never a crash of another kind, never a hang (a time bound per case,
// inside the property).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvLimits, CsvRecord, csvRecordsFrom, parseCsvBytes, parseCsvText } from "../src/data/csv-stream";
import { DataFileError } from "../src/data/tsv";
import { splitBytes, streamOf } from "./helpers";

const ROUND_TRIP_CASES = 500;
const AGREE_CASES = 500;
const BYTES_CASES = 400;
const REPEAT_CASES = 60;
const MS_PER_CASE = 2000;
const FILE = "fuzz.csv";

/** Characters that matter to CSV, then any well-formed character (graphemes, so no lone surrogates). */
const special = fc.constantFrom('"', ",", "\r", "\n", "\r\n", " ", "\ufeff", "é", "😀", "a", "Z", "\t");
const anyChar = fc.oneof({ arbitrary: special, weight: 3 }, { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 1 });

type Outcome = { records: CsvRecord[]; error: string | null };

function whole(text: string, limits: CsvLimits = {}): Outcome {
  try {
    return { records: parseCsvText(text, FILE, limits), error: null };
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError);
    return { records: [], error: (e as Error).message };
  }
}

/** The streamed reader over `bytes` cut at `cuts`: its records (error or not) and its error. */
async function streamed(bytes: Uint8Array, cuts: number[], opts: CsvLimits & { encoding?: "utf8" | "latin1" } = {}): Promise<Outcome & { before: CsvRecord[] }> {
  const records: CsvRecord[] = [];
  try {
    for await (const r of csvRecordsFrom(streamOf(splitBytes(bytes, cuts.map((c) => c % (bytes.length + 1)))), FILE, opts)) records.push(r);
    return { records, before: records, error: null };
  } catch (e) {
    expect(e).toBeInstanceOf(DataFileError);
    const err = e as DataFileError;
    expect(err.message.startsWith(`${FILE}:`)).toBe(true);
    expect(err.line).toBeGreaterThanOrEqual(1);
    return { records: [], before: records, error: err.message };
  }
}

/** A CSV writer: quotes what must be quoted (and, when asked, what need not be). */
function cell(value: string, forceQuote: boolean, alone: boolean, first: boolean): string {
  const must = /[",\r\n]/.test(value) || (alone && value === "") || (first && value.startsWith("\ufeff"));
  return must || forceQuote ? `"${value.replace(/"/g, '""')}"` : value;
}

const lineOf = (prefix: string): number => 1 + (prefix.match(/\r\n|\r|\n/g)?.length ?? 0);

const records = fc.array(
  fc.record({
    fields: fc.array(fc.record({ value: fc.string({ unit: anyChar, maxLength: 12 }), quote: fc.boolean() }), { minLength: 1, maxLength: 5 }),
    end: fc.constantFrom("\n", "\r\n", "\r"),
  }),
  { maxLength: 8 },
);

describe("the CSV reader, fuzzed", () => {
  it(`round-trips any fields, whole and streamed, with each record's line (${ROUND_TRIP_CASES} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), async (recs, bom, finalBreak, cuts) => {
        const t0 = performance.now();
        let text = "";
        const expected: CsvRecord[] = [];
        recs.forEach((r, i) => {
          expected.push({ line: lineOf(text), fields: r.fields.map((f) => f.value) });
          text += r.fields.map((f, j) => cell(f.value, f.quote, r.fields.length === 1, i === 0 && j === 0)).join(",");
          if (i < recs.length - 1 || finalBreak) text += r.end;
        });
        const input = (bom ? "\ufeff" : "") + text;
        const w = whole(input);
        expect(w.error).toBe(null);
        expect(w.records).toEqual(expected);
        const s = await streamed(Buffer.from(input, "utf8"), cuts);
        expect(s.error).toBe(null);
        expect(s.records).toEqual(expected);
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: ROUND_TRIP_CASES, seed: 14 },
    );
  });

  it(`gives the same records or the same error, whole or streamed, for any text and any quoted-field bound (${AGREE_CASES} cases)`, async () => {
    const limits = fc.record({ maxQuotedChars: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), maxQuotedLines: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: anyChar, maxLength: 80 }), limits, fc.array(fc.nat(), { maxLength: 6 }), async (text, lim, cuts) => {
        const t0 = performance.now();
        const w = whole(text, lim);
        const s = await streamed(Buffer.from(text, "utf8"), cuts, lim);
        expect(s.error).toBe(w.error);
        expect(s.records).toEqual(w.records);
        if (w.error) expect(w.error).toMatch(/^fuzz\.csv:\d+:\d+: /);
        // Every record starts on a line of the text, in order.
        const lines = w.records.map((r) => r.line);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
        for (const l of lines) expect(l).toBeLessThanOrEqual(lineOf(text));
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: AGREE_CASES, seed: 14 },
    );
  });

  it(`reads any bytes, streamed or at once, as records or a DataFileError with a line; valid UTF-8 as the whole-text parser does, Latin-1 always (${BYTES_CASES} cases)`, async () => {
    const byte = fc.oneof(fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x61, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0xf0, 0x9f), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(fc.array(byte, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), async (arr, cuts) => {
        const t0 = performance.now();
        const bytes = Uint8Array.from(arr);
        let decoded: string | null = null;
        try {
          decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {
          decoded = null;
        }
        const s = await streamed(bytes, cuts);
        // A whole file's bytes read at once: the same records or the same error.
        let once: Outcome;
        try {
          once = { records: parseCsvBytes(bytes, FILE), error: null };
        } catch (e) {
          expect(e).toBeInstanceOf(DataFileError);
          once = { records: [], error: (e as Error).message };
        }
        expect(once.error).toBe(s.error);
        expect(once.records).toEqual(s.records);
        if (decoded !== null) {
          const w = whole(decoded);
          expect(s.error).toBe(w.error);
          expect(s.records).toEqual(w.records);
        } else {
          // Invalid UTF-8 is always an error: a UTF-8 one, or a CSV one found before the bad byte.
          expect(s.error).not.toBe(null);
          if (!/invalid UTF-8/.test(s.error!)) expect(s.error).toMatch(/^fuzz\.csv:\d+:\d+: /);
          // Never a replacement character in what was read.
          for (const r of s.before) for (const f of r.fields) expect(f).not.toContain("\ufffd");
        }
        const latin = await streamed(bytes, cuts, { encoding: "latin1" });
        const wl = whole(Buffer.from(bytes).toString("latin1"));
        expect(latin.error).toBe(wl.error);
        expect(latin.records).toEqual(wl.records);
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: BYTES_CASES, seed: 14 },
    );
  });

  it(`fails fast or reads through any fragment repeated into a large input (${REPEAT_CASES} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: anyChar, minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 20_000 }), async (fragment, times) => {
        const t0 = performance.now();
        const text = fragment.repeat(times);
        const w = whole(text);
        const s = await streamed(Buffer.from(text, "utf8"), [65_536, 3 * 65_536 + 1]);
        expect(s.error).toBe(w.error);
        expect(s.records.length).toBe(w.records.length);
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: REPEAT_CASES, seed: 14 },
    );
  });
});
