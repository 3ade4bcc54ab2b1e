// `jtlab score` at scale (issue 17): distinct titles scored once, worker threads, Parquet in and out, and shards. Each
// property is checked against the plain run on the same small registry: workers and shards must not change a byte of
// what a row gets, Parquet must hold the same table with typed columns.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { DistinctTitles } from "../src/score/distinct";
import { parseShard, shardOf } from "../src/score/shard";
import { titleKey } from "../src/score/title-key";
import { parseCsvText } from "../src/data/csv-stream";
import { runCli, tinySiameseRun, tmpDir } from "./helpers";

describe("distinct titles, shards (units)", () => {
  it("a title's key folds runs of ASCII whitespace and trims, and keeps case and punctuation", () => {
    expect(titleKey("  Senior \t Java\nDeveloper ")).toBe("Senior Java Developer");
    expect(titleKey("Sr. SWE")).not.toBe(titleKey("sr swe"));
    // A no-break space is part of the title as written, not spacing to fold.
    expect(titleKey("Head\u00a0Nurse")).toBe("Head\u00a0Nurse");
  });

  it("keeps each distinct title once, in order of first appearance; blank titles are not titles", () => {
    const d = new DistinctTitles();
    expect([d.add("Nurse"), d.add("CEO"), d.add(" Nurse "), d.add("  "), d.add("CEO")]).toEqual([0, 1, 0, -1, 1]);
    expect(d.keys).toEqual(["Nurse", "CEO"]);
    expect(d.counts).toEqual([2, 2]);
    expect(d.indexOf("Nurse  ")).toBe(0);
    expect(() => d.indexOf("CTO")).toThrow(/was not in the first pass/);
  });

  it("parses i/n shards from 0, refuses others by name, and places every id in exactly one shard", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(() => parseShard("8/8")).toThrow(/i counts from 0, so it must be below n \(8\)/);
    expect(() => parseShard("1/0")).toThrow(/n must be at least 1/);
    expect(() => parseShard("half")).toThrow(/--shard expects i\/n/);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`p${i}`, 4)]++;
    // A hash split: each of 4 shards gets about a quarter of 4,000 ids.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});

describe("jtlab score at scale", () => {
  const dir = tmpDir("jtlab-score-scale-");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs"), JTLAB_BACKEND: "cpu" };
  const input = path.join(dir, "people.csv");
  const titles = ["Sales Agent", "Head Nurse", "Senior  Java Developer", "Senior Java Developer", "", "CFO", "Nurse, Head (night shift)", 'The "Sales" Lead', "営業", "Data Scientist II"];
  const rows: [string, string][] = [];
  // 300 rows of 10 titles (Zipf-like: the first titles most often), people with one to three rows each.
  for (let i = 0; i < 300; i++) rows.push([`p${Math.floor(i / 2)}`, titles[Math.min(titles.length - 1, Math.floor(titles.length * (i % 17) ** 2 / 289))]]);
  const csv = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  fs.writeFileSync(input, ["person_id,title", ...rows.map((r) => r.map(csv).join(","))].join("\n") + "\n");
  const score = (args: string[]): ReturnType<typeof runCli> => runCli(["score", "--in", input, "--run", runId, ...args], env);
  let runId = "";
  let plain = "";

  beforeAll(async () => {
    runId = await tinySiameseRun(env.JTLAB_RUNS_DIR);
    const out = path.join(dir, "plain.csv");
    const r = score(["--out", out, "--workers", "1"]);
    expect(r.status, r.stderr).toBe(0);
    plain = fs.readFileSync(out, "utf8");
  }, 300_000);

  it("scores each distinct title once: spacing variants get the same scores, and the summary counts them", () => {
    const r = score(["--out", path.join(dir, "again.csv"), "--workers", "1"]);
    expect(r.stderr).toMatch(/^rows read 300, scored \d+, empty titles \d+, skipped 0$/m);
    const used = new Set(rows.map((x) => titleKey(x[1])).filter((t) => t));
    expect(r.stderr).toMatch(new RegExp(`^distinct titles ${used.size}, scored in [0-9.]+ s on 1 worker \\(`, "m"));
    const recs = parseCsvText(plain, "plain.csv").map((x) => x.fields);
    const byTitle = new Map<string, string>();
    for (const f of recs.slice(1)) {
      const tail = f.slice(2).join(",");
      const k = titleKey(f[1]);
      if (byTitle.has(k)) expect(tail, f[1]).toBe(byTitle.get(k));
      byTitle.set(k, tail);
    }
    expect(recs.length).toBe(301);
    expect(recs.slice(1).map((f) => f[1])).toEqual(rows.map((x) => x[1]));
  });

  it("two workers write the very bytes one worker writes", () => {
    const out = path.join(dir, "two.csv");
    const r = score(["--out", out, "--workers", "2", "--batch", "3"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/on 2 workers/);
    expect(fs.readFileSync(out, "utf8")).toBe(plain);
  }, 120_000);

  it("n shards, concatenated, are the unsharded table; a person's rows stay in one shard", () => {
    const parts: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const out = path.join(dir, `shard-${i}.csv`);
      const r = score(["--out", out, "--shard", `${i}/3`, "--workers", "1"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`shard ${i}/3: \\d+ rows left to other shards`));
      const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
      expect(lines[0]).toBe(plain.split("\n")[0]);
      parts.push(lines.slice(1));
    }
    const all = plain.trimEnd().split("\n").slice(1);
    expect(parts.flat().sort()).toEqual([...all].sort());
    const shardOfPerson = new Map<string, number>();
    parts.forEach((lines, i) =>
      lines.forEach((l) => {
        const id = l.split(",")[0];
        expect(shardOfPerson.get(id) ?? i, id).toBe(i);
        shardOfPerson.set(id, i);
      }),
    );
    expect(score(["--out", path.join(dir, "bad.csv"), "--shard", "3/3"]).stderr).toMatch(/i counts from 0/);
  }, 300_000);

  it("past --max-distinct titles it spills to buckets on disk and writes the very same table, leaving no spill files", () => {
    for (const workers of ["1", "2"]) {
      const out = path.join(dir, `spilled-${workers}.csv`);
      const r = score(["--out", out, "--workers", workers, "--max-distinct", "3", "--batch", "2"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/more than 3 distinct titles: spilled to 16 buckets on disk beside --out/);
      expect(r.stderr).toMatch(/^rows read 300, scored \d+, empty titles \d+, skipped 0$/m);
      expect(fs.readFileSync(out, "utf8")).toBe(plain);
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes(".spill"))).toEqual([]);
    // With a shard too.
    const a = path.join(dir, "shard-mem.csv");
    const b = path.join(dir, "shard-spill.csv");
    expect(score(["--out", a, "--shard", "1/3", "--workers", "1"]).status).toBe(0);
    expect(score(["--out", b, "--shard", "1/3", "--workers", "1", "--max-distinct", "2"]).status).toBe(0);
    expect(fs.readFileSync(b, "utf8")).toBe(fs.readFileSync(a, "utf8"));
  }, 300_000);

  it("reads Parquet and writes Parquet with typed columns that DuckDB reads back as the CSV table", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const pqIn = path.join(dir, "people.parquet");
    await c.run(`COPY (SELECT * FROM read_csv('${input}', header = true, all_varchar = true)) TO '${pqIn}' (FORMAT parquet)`);
    const fromParquet = path.join(dir, "from-parquet.csv");
    let r = runCli(["score", "--in", pqIn, "--out", fromParquet, "--run", runId, "--workers", "1"], env);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(fromParquet, "utf8")).toBe(plain);
    const pqOut = path.join(dir, "scores.parquet");
    r = score(["--out", pqOut, "--workers", "1"]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(".scores.parquet"))).toEqual([]);
    const types = new Map((await c.runAndReadAll(`DESCRIBE SELECT * FROM '${pqOut}'`)).getRows().map((x) => [String(x[0]), String(x[1])]));
    expect(types.get("person_id")).toBe("VARCHAR");
    expect(types.get("role")).toBe("VARCHAR");
    expect(types.get("role_score")).toBe("FLOAT");
    expect(types.get("role_score__engineering")).toBe("FLOAT");
    const back = (await c.runAndReadAll(`SELECT person_id, title, role, role_score FROM '${pqOut}'`)).getRows();
    const want = parseCsvText(plain, "plain.csv").slice(1).map((x) => x.fields);
    expect(back.length).toBe(want.length);
    back.forEach((b, i) => {
      expect([b[0], b[1] ?? "", b[2]]).toEqual([want[i][0], want[i][1], want[i][2]]);
      if (want[i][3] === "") expect(b[3]).toBeNull();
      else expect(Math.abs(Number(b[3]) - Number(want[i][3]))).toBeLessThan(1e-6);
    });
    c.closeSync();
    db.closeSync();
  }, 300_000);

  it("names a file that is not Parquet", () => {
    const bad = path.join(dir, "not.parquet");
    fs.writeFileSync(bad, "person_id,title\np1,CEO\n");
    const r = runCli(["score", "--in", bad, "--out", path.join(dir, "x.csv"), "--run", runId], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not\.parquet: not a readable Parquet file/);
  });
});
