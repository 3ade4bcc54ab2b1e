// The TSV reader (src/data/tsv.ts) and the loader of ranking benchmarks in MELO's format under fast-check: any text
// gives rows or a DataFileError naming the file (and the line, for a row's problem), never a crash of another
// kind, never a hang (a time bound per case, inside the property); rows of any cells round-trip with their lines.
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { loadRankingBenchmark } from "../src/data/melo";
import { DataFileError, parseTsv, TsvOptions } from "../src/data/tsv";
import { tmpDir } from "./helpers";

const ANY_TEXT_CASES = 500;
const ROUND_TRIP_CASES = 400;
const BENCHMARK_CASES = 200;
const MS_PER_CASE = 2000;
const FILE = "fuzz.tsv";

const special = fc.constantFrom("\t", "\n", "\r", "\r\n", " ", "\ufeff", "a", "b", "é", "😀", '"', ",");
const anyChar = fc.oneof({ arbitrary: special, weight: 3 }, { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 1 });
const lineCount = (text: string): number => text.split("\n").length;

describe("TSV, fuzzed", () => {
  it(`reads any text as rows or a DataFileError naming the file and a line of it (${ANY_TEXT_CASES} cases)`, () => {
    const opts = fc.record({
      header: fc.constantFrom(null, ["a"], ["a", "b"], ["title", "level", "source"]),
      columns: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      rows: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.string({ unit: anyChar, maxLength: 80 }), opts, (text, o) => {
        const t0 = performance.now();
        try {
          const rows = parseTsv(text, FILE, o as TsvOptions);
          const columns = o.columns ?? o.header?.length;
          for (const r of rows) {
            expect(r.line).toBeGreaterThanOrEqual(o.header ? 2 : 1);
            expect(r.line).toBeLessThanOrEqual(lineCount(text));
            if (columns !== undefined) expect(r.cells).toHaveLength(columns);
            expect(r.cells.join("\t").trim()).not.toBe("");
          }
          if (o.rows !== undefined) expect(rows).toHaveLength(o.rows);
        } catch (e) {
          expect(e).toBeInstanceOf(DataFileError);
          const err = e as DataFileError;
          expect(err.message.startsWith(`${FILE}:`) || err.message.startsWith(`${FILE}: `)).toBe(true);
          if (err.line !== null) {
            expect(err.message.startsWith(`${FILE}:${err.line}: `)).toBe(true);
            expect(err.line).toBeGreaterThanOrEqual(1);
            expect(err.line).toBeLessThanOrEqual(lineCount(text));
          }
        }
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: ANY_TEXT_CASES, seed: 14 },
    );
  });

  it(`round-trips rows of any cells without tabs or line breaks, with their lines (${ROUND_TRIP_CASES} cases)`, () => {
    const cellChar = anyChar.filter((c) => !/[\t\r\n]/.test(c));
    const rows = fc.array(fc.array(fc.string({ unit: cellChar, maxLength: 8 }), { minLength: 2, maxLength: 2 }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.boolean(), fc.constantFrom("\n", "\r\n"), fc.boolean(), (body, bom, eol, finalBreak) => {
        const t0 = performance.now();
        const lines = ["a\tb", ...body.map((r) => r.join("\t"))];
        const text = (bom ? "\ufeff" : "") + lines.join(eol) + (finalBreak ? eol : "");
        const expected = body.map((cells, i) => ({ line: i + 2, cells })).filter((r) => r.cells.join("\t").trim() !== "");
        expect(parseTsv(text, FILE, { header: ["a", "b"] })).toEqual(expected);
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: ROUND_TRIP_CASES, seed: 14 },
    );
  });

  it(`loads any three files in MELO's format as a usable benchmark or a DataFileError naming one of them (${BENCHMARK_CASES} cases)`, () => {
    const dir = tmpDir("jtlab-tsv-fuzz-");
    const q = path.join(dir, "queries.tsv");
    const c = path.join(dir, "corpus.tsv");
    const a = path.join(dir, "qrels.tsv");
    // Mostly well-shaped files (so that some benchmarks load), with now and then a line of any shape, an empty
    // text, a duplicate or unknown id, a bad grade.
    const token = fc.constantFrom("q1", "q2", "c1", "c2", "0", "1", "2", "-1", "x", "", " ", "data scientist", "é");
    const anyLine = fc.array(token, { minLength: 1, maxLength: 5 }).map((cells) => cells.join("\t"));
    const rare = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });
    const text = rare(fc.constantFrom("data scientist", "baker", "é", "\ufeffnurse"), fc.constantFrom("", " "));
    const pairs = (ids: string[]): fc.Arbitrary<string[]> =>
      fc.tuple(rare(fc.constant(ids), fc.shuffledSubarray(ids)), fc.array(text, { minLength: ids.length, maxLength: ids.length })).map(([chosen, texts]) => chosen.map((id, i) => `${id}\t${texts[i]}`));
    const qrels = fc.array(
      fc.tuple(rare(fc.constantFrom("q1", "q2"), fc.constant("q9")), rare(fc.constantFrom("c1", "c2"), fc.constant("c9")), rare(fc.constantFrom("0", "1", "2"), fc.constantFrom("-1", "x", ""))).map(([q, c, g]) => `${q}\t0\t${c}\t${g}`),
      { minLength: 1, maxLength: 4 },
    );
    const file = (lines: fc.Arbitrary<string[]>): fc.Arbitrary<string> =>
      fc
        .tuple(lines, rare(fc.constant(null), fc.tuple(anyLine, fc.nat())), fc.constantFrom("\n", "\r\n"), fc.boolean())
        .map(([ls, odd, eol, end]) => {
          const all = [...ls];
          if (odd) all.splice(odd[1] % (all.length + 1), 0, odd[0]);
          return all.join(eol) + (end && all.length ? eol : "");
        });
    fc.assert(
      fc.property(file(pairs(["q1", "q2"])), file(pairs(["c1", "c2"])), file(qrels), (qt, ct, at) => {
        const t0 = performance.now();
        fs.writeFileSync(q, qt);
        fs.writeFileSync(c, ct);
        fs.writeFileSync(a, at);
        try {
          const b = loadRankingBenchmark(q, c, a);
          // What the loader lets through can be scored honestly.
          expect(b.queries.length).toBeGreaterThan(0);
          expect(b.corpus.length).toBeGreaterThan(0);
          for (const x of b.queries) expect(x.text.trim()).not.toBe("");
          expect([...b.qrels.values()].some((s) => s.size > 0)).toBe(true);
          for (const [qid, rel] of b.qrels) {
            expect(b.queries.some((x) => x.id === qid)).toBe(true);
            for (const cid of rel) expect(b.corpus.some((x) => x.id === cid)).toBe(true);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(DataFileError);
          const err = e as DataFileError;
          expect([q, c, a]).toContain(err.file);
          expect(err.message).toMatch(new RegExp(`^${err.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?: `));
        }
        expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
      }),
      { numRuns: BENCHMARK_CASES, seed: 14 },
    );
  });
});
