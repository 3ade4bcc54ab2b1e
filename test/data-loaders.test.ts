import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { dataChecksums } from "../src/data/checksums";
import { locate } from "../src/data/locate";
import { DATA_FILES } from "../src/data/manifest";
import { loadMelo, loadRankingBenchmark } from "../src/data/melo";
import {
  loadAlternateTitles, loadOccupations, loadRelatedOccupations, loadReportedTitles, loadTaskStatements, loadTechnologySkills,
} from "../src/data/onet";
import { loadIscoFramework, loadOnsIndex, loadSocFramework } from "../src/data/ons";
import { findDataDir } from "../src/data/paths";
import { parseUserTitles, readUserTitles, toProfiles } from "../src/data/user-csv";
import { linkedDataDir, runCli, tmpDir } from "./helpers";

describe("open-data loaders", () => {
  it("load every O*NET table with the documented row counts", () => {
    expect(loadOccupations()).toHaveLength(1016);
    const alt = loadAlternateTitles();
    expect(alt).toHaveLength(56560);
    expect(new Set(alt.map((a) => a.title)).size).toBe(46060);
    expect(loadReportedTitles()).toHaveLength(7796);
    expect(loadRelatedOccupations()).toHaveLength(18460);
    expect(loadTechnologySkills()).toHaveLength(32681);
    expect(loadTaskStatements()).toHaveLength(18796);
    // A missing Short Title is null, never "" or "n/a".
    expect(alt.some((a) => a.shortTitle === null)).toBe(true);
    expect(alt.every((a) => a.shortTitle !== "" && a.shortTitle !== "n/a")).toBe(true);
  });

  it("skip the ONS rows coded }}}}", () => {
    const idx = loadOnsIndex();
    expect(idx).toHaveLength(32195 - 231);
    expect(idx.every((e) => /^\d{4}$/.test(e.unitGroup))).toBe(true);
    expect(idx.find((e) => e.indexTitle === "Analyst, support, sales")?.title).toBe("Sales support analyst");
    expect(new Set(idx.map((e) => e.title)).size).toBeGreaterThan(23000);
  });

  it("parse both classification frameworks", () => {
    expect(loadSocFramework().filter((g) => g.level === "unit")).toHaveLength(412);
    const isco = loadIscoFramework();
    expect(isco.filter((g) => g.level === "unit").length).toBeGreaterThan(400);
    expect(isco[0]).toEqual({ level: "major", code: "1", title: "Managers" });
  });

  it("load MELO: 633 queries, 33,809 corpus elements, qrels for every query", () => {
    const m = loadMelo();
    expect(m.queries).toHaveLength(633);
    expect(m.corpus).toHaveLength(33809);
    expect(m.qrels.size).toBe(633);
  });

  it("checksums match the published ones", () => {
    const sums = dataChecksums();
    expect(sums).toHaveLength(DATA_FILES.length);
    expect(sums.filter((s) => !s.matchesPublished)).toEqual([]);
  });
});

describe("bad data files give errors that name the file and the problem", () => {
  it("a missing file", () => {
    const dir = linkedDataDir();
    fs.unlinkSync(path.join(dir, "onet-29.3", "Alternate Titles.tsv"));
    expect(() => locate("onetAlternateTitles", dir)).toThrow(/Alternate Titles\.tsv.*missing/);
  });

  it("a truncated file", () => {
    const dir = linkedDataDir();
    const f = path.join(dir, "onet-29.3", "Occupation Data.txt");
    const text = fs.readFileSync(fs.realpathSync(f), "utf8").split("\n").slice(0, 100).join("\n");
    fs.unlinkSync(f);
    fs.writeFileSync(f, text);
    expect(() => loadOccupations(dir)).toThrow(/Occupation Data\.txt: expected 1,016 data rows, found 99/);
  });

  it("a wrong header and a malformed row, with the line number", () => {
    const dir = linkedDataDir();
    const f = path.join(dir, "onet-29.3", "Sample of Reported Titles.txt");
    const lines = fs.readFileSync(fs.realpathSync(f), "utf8").split("\n");
    fs.unlinkSync(f);
    fs.writeFileSync(f, ["Code\tTitle", ...lines.slice(1)].join("\n"));
    expect(() => loadReportedTitles(dir)).toThrow(/Sample of Reported Titles\.txt:1: unexpected header/);
    const bad = lines.slice();
    bad[41] = "11-1011.00\tonly two columns";
    fs.writeFileSync(f, bad.join("\n"));
    expect(() => loadReportedTitles(dir)).toThrow(/Sample of Reported Titles\.txt:42: expected 4 tab-separated columns, found 2/);
  });

  it("an explicit JTLAB_DATA_DIR that does not exist is an error, not a silent fallback", () => {
    expect(() => findDataDir({ JTLAB_DATA_DIR: "/nonexistent/jtlab" })).toThrow(/JTLAB_DATA_DIR=\/nonexistent\/jtlab: no such folder/);
  });

  it("the CLI reports a missing data file and exits non-zero", () => {
    const dir = linkedDataDir();
    fs.unlinkSync(path.join(dir, "melo-usa_q_en_c_en", "queries.tsv"));
    const r = runCli(["eval", "melo", "--method", "char-tfidf"], { JTLAB_DATA_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/queries\.tsv.*missing/);
  });
});

describe("ranking benchmarks in MELO's format", () => {
  it("load from three files and reject unknown ids with the line", () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "q.tsv"), "q1\tdata scientist\n");
    fs.writeFileSync(path.join(dir, "c.tsv"), "c1\tdata scientist\nc2\tbaker\n");
    fs.writeFileSync(path.join(dir, "a.tsv"), "q1\t0\tc1\t1\nq1\t0\tc2\t0\n");
    const b = loadRankingBenchmark(path.join(dir, "q.tsv"), path.join(dir, "c.tsv"), path.join(dir, "a.tsv"));
    expect([...b.qrels.get("q1")!]).toEqual(["c1"]);
    fs.writeFileSync(path.join(dir, "a.tsv"), "q1\t0\tc1\t1\nq1\t0\tc9\t1\n");
    expect(() => loadRankingBenchmark(path.join(dir, "q.tsv"), path.join(dir, "c.tsv"), path.join(dir, "a.tsv"))).toThrow(/a\.tsv:2: unknown corpus id c9/);
  });
});

describe("a user's titles CSV", () => {
  it("parses person_id,title[,tokens] with RFC 4180 quoting", () => {
    const rows = parseUserTitles('person_id,title,tokens\np1,"Sales, EMEA",excel crm\np1,"Head of ""Growth""",\np2,Data Scientist,python\n');
    expect(rows.map((r) => [r.personId, r.title, r.tokens, r.line])).toEqual([
      ["p1", "Sales, EMEA", ["excel", "crm"], 2],
      ["p1", 'Head of "Growth"', [], 3],
      ["p2", "Data Scientist", ["python"], 4],
    ]);
    expect(toProfiles(rows)).toEqual([
      { personId: "p1", titles: ["Sales, EMEA", 'Head of "Growth"'], tokens: ["excel", "crm"], simulated: false },
      { personId: "p2", titles: ["Data Scientist"], tokens: ["python"], simulated: false },
    ]);
  });

  it("accepts the two-column form, CRLF line ends and a byte-order mark", () => {
    expect(parseUserTitles("\ufeffperson_id,title\r\n1,CEO\r\n2,CTO\r\n").map((r) => r.title)).toEqual(["CEO", "CTO"]);
  });

  it("keeps a quoted newline inside one record and counts lines correctly", () => {
    const rows = parseUserTitles('person_id,title\n1,"Chief\nOfficer"\n2,Baker\n');
    expect(rows.map((r) => [r.title, r.line])).toEqual([["Chief Officer", 2], ["Baker", 4]]);
  });

  it("reads a file strictly as UTF-8 (an invalid byte names its line and column), or as Latin-1 when asked", () => {
    const dir = tmpDir();
    const f = path.join(dir, "people.csv");
    fs.writeFileSync(f, Buffer.concat([Buffer.from("person_id,title\n1,CEO\n2,Caf"), Buffer.from([0xe9]), Buffer.from(" owner\n")]));
    expect(() => readUserTitles(f)).toThrow(/people\.csv:3:6: invalid UTF-8: byte 0xE9 at byte offset 27/);
    expect(readUserTitles(f, { encoding: "latin1" }).map((r) => r.title)).toEqual(["CEO", "Café owner"]);
    expect(() => readUserTitles(path.join(dir, "none.csv"))).toThrow(/none\.csv: no such file$/);
    expect(() => readUserTitles(dir)).toThrow(/: is a folder, expected a CSV file$/);
  });

  it("keeps a line holding only \"\" as a record (it is not a blank line) and counts lone CR line ends", () => {
    expect(() => parseUserTitles('person_id,title\n""\n', "mine.csv")).toThrow(/mine\.csv:2: expected 2 fields, found 1/);
    expect(parseUserTitles("person_id,title\r1,CEO\r\r2,CTO\r").map((r) => r.line)).toEqual([2, 4]);
  });

  it.each([
    ["", /is empty/],
    ["id,name\n1,CEO\n", /:1: expected the header person_id,title\[,tokens\]/],
    ["person_id,title\n", /has a header but no rows/],
    ["person_id,title\n1,CEO\n2\n", /:3: expected 2 fields, found 1/],
    ["person_id,title\n1,CEO\n2,   \n", /:3: empty title for person 2/],
    ["person_id,title\n1,CEO\n,CTO\n", /:3: empty person_id/],
    ['person_id,title\n1,"CEO\n', /:2:3: a quoted field is never closed/],
    ['person_id,title\n1,"CEO"x\n', /:2:8: unexpected character "x" after a closing quote/],
    ['person_id,title\n1,CE"O\n', /:2:5: a quote inside an unquoted field/],
  ])("reports a bad file: %j", (text, err) => {
    expect(() => parseUserTitles(text, "mine.csv")).toThrow(err);
  });
});
