// `jtlab score` end to end on a small CSV, against a small trained model in a registry of its own: the score table's
// shape, its agreement with `jtlab classify`, and the refusals that protect a user's files.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsvRecords } from "../src/data/user-csv";
import { runCli, tinySiameseRun, tmpDir } from "./helpers";

describe("jtlab score", () => {
  const dir = tmpDir("jtlab-score-");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs"), JTLAB_BACKEND: "cpu" };
  let runId = "";
  beforeAll(async () => {
    runId = await tinySiameseRun(env.JTLAB_RUNS_DIR);
  });

  const input = path.join(dir, "titles.csv");
  const rows = [
    ["p1", "Sales Agent"],
    ["p2", "Head Nurse"],
    ["p3", "Nurse, Head (night shift)"],
    ["p4", ""],
    ["p5", 'The "Sales" Lead'],
    ["p6", "営業"],
  ];
  const csv = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  fs.writeFileSync(input, ["person_id,title", ...rows.map((r) => r.map(csv).join(","))].join("\n") + "\n");

  it("writes one row per input row, in order, with a label, a score and one column per class", () => {
    const out = path.join(dir, "scores.csv");
    const r = runCli(["score", "--in", input, "--out", out, "--run", runId], env);
    expect(r.status, r.stderr).toBe(0);
    const table = parseCsvRecords(fs.readFileSync(out, "utf8"), out).map((x) => x.fields);
    const [header, ...body] = table;
    // The input's id column keeps its name, and score columns are names pandas can use as attributes.
    expect(header.slice(0, 8)).toEqual(["person_id", "title", "role", "role_score", "level", "level_score", "industry", "industry_score"]);
    expect(header.slice(8)).toEqual(expect.arrayContaining(["role_score__sales_account_mgmt", "role_score__other_operations", "industry_score__health_fitness"]));
    for (const h of header) expect(h).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(body.map((b) => [b[0], b[1]])).toEqual(rows);
    for (const b of body) {
      expect(b).toHaveLength(header.length);
      for (const v of [b[3], b[5], b[7], ...b.slice(8)]) expect(Number(v)).toBeGreaterThanOrEqual(0);
    }
    // An empty title has nothing to compare: Other with score 0.
    expect(body[3].slice(2, 8)).toEqual(["Other", "0", "Other", "0", "Other", "0"]);

    // The same answers as `jtlab classify` for the same titles and run.
    const c = runCli(["classify", ...rows.map((x) => x[1]).filter((t) => t !== ""), "--json", "--run", runId], env);
    expect(c.status, c.stderr).toBe(0);
    const classified = JSON.parse(c.stdout) as { title: string; role: { label: string; score: number }; level: { label: string; score: number }; industry: { label: string; score: number } }[];
    for (const k of classified) {
      const b = body.find((x) => x[1] === k.title)!;
      expect([b[2], Number(b[3]), b[4], Number(b[5]), b[6], Number(b[7])]).toEqual([k.role.label, k.role.score, k.level.label, k.level.score, k.industry.label, k.industry.score]);
    }
  });

  it("never replaces an existing file without --force", () => {
    const out = path.join(dir, "mine.csv");
    fs.writeFileSync(out, "my own work\n");
    const r = runCli(["score", "--in", input, "--out", out, "--run", runId], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mine\.csv exists: choose another --out, or pass --force/);
    expect(fs.readFileSync(out, "utf8")).toBe("my own work\n");
    const f = runCli(["score", "--in", input, "--out", out, "--run", runId, "--force"], env);
    expect(f.status, f.stderr).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^person_id,title,role,/);
  });

  it("names the file and line of a CSV without a title column, and leaves no output behind", () => {
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "person_id,job\np1,Sales Agent\n");
    const out = path.join(dir, "never.csv");
    const r = runCli(["score", "--in", bad, "--out", out, "--run", runId], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:1: no "title" column/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("never.csv"))).toEqual([]);
  });

  it("says how to get a model when the registry has none", () => {
    const r = runCli(["score", "--in", input, "--out", path.join(dir, "x.csv")], { JTLAB_RUNS_DIR: path.join(dir, "empty-runs") });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no finished run in .*empty-runs can classify role: run `npm run reproduce` or `jtlab train <method>` first/);
  });

  it("says which method, protocol and run answered each category type", () => {
    const r = runCli(["classify", "Sales Agent", "--json", "--run", runId], env);
    expect(r.status, r.stderr).toBe(0);
    const [k] = JSON.parse(r.stdout) as Record<string, { run: string; method: string; protocol: string; evidence: unknown[] }>[];
    for (const type of ["role", "level", "industry"]) {
      expect(k[type].run).toBe(runId);
      expect(k[type].method).toBe("siamese-char");
      expect(k[type].protocol).toBe("representatives");
      expect(Array.isArray(k[type].evidence)).toBe(true);
    }
  });

  it("refuses an unknown protocol or method by name", () => {
    const p = runCli(["classify", "Sales Agent", "--protocol", "nearest", "--run", runId], env);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--protocol must be one of representatives, neighbours, head, rules, got "nearest"/);
    const m = runCli(["classify", "Sales Agent", "--method", "bert", "--run", runId], env);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/no finished run of method "bert"/);
  });
});
