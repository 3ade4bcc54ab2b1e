// `jtlab score` end to end on a small CSV, against a small trained model in a registry of its own: the score table's
// shape, its agreement with `jtlab classify`, and the refusals that protect a user's files.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { beforeAll, describe, expect, it } from "vitest";
import { streamWriter } from "../src/cli/commands/score";
import { parseCsvText } from "../src/data/csv-stream";
import { projectRoot } from "../src/data/paths";
import { CliResult, runCli, tinySiameseRun, tmpDir } from "./helpers";

const JTLAB = path.join(projectRoot(), "bin", "jtlab.cjs");

/** runCli with a time limit: a run killed at the limit has status -1. */
function runCliWithin(args: string[], env: NodeJS.ProcessEnv, ms: number): CliResult {
  const r = spawnSync(process.execPath, [JTLAB, ...args], { cwd: projectRoot(), env: { ...process.env, ...env }, encoding: "utf8", timeout: ms });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The lines a model choice prints ("role: siamese-char · representatives ..."): absent when a run fails before loading one. */
const MODEL_LINE = /^(role|level|industry): .* · /m;

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
    const table = parseCsvText(fs.readFileSync(out, "utf8"), out).map((x) => x.fields);
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
    // An empty title has nothing to compare: Other, with every score empty (a 0 would read as a confident "no").
    expect(body[3].slice(2, 8)).toEqual(["Other", "", "Other", "", "Other", ""]);
    expect(body[3].slice(8).filter((v) => v !== "")).toEqual([]);
    for (const b of body.filter((x) => x[1] !== "")) expect(b[3]).not.toBe("");
    // One summary line: the rows read, scored and with an empty title.
    expect(r.stderr).toMatch(/^rows read 6, scored 5, empty titles 1, skipped 0$/m);

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

  it("counts empty and blank titles as empty (Other, no scores), and blank lines as skipped", () => {
    const file = path.join(dir, "blanks.csv");
    fs.writeFileSync(file, "person_id,title,tokens\np1,Sales Agent,crm\np2,,\n\np3,   ,x\r\n");
    const out = path.join(dir, "blanks-out.csv");
    const r = runCli(["score", "--in", file, "--out", out, "--run", runId], env);
    expect(r.status, r.stderr).toBe(0);
    const [header, ...body] = parseCsvText(fs.readFileSync(out, "utf8"), out).map((x) => x.fields);
    expect(body.map((b) => b[0])).toEqual(["p1", "p2", "p3"]);
    expect(body[0][3]).not.toBe("");
    for (const b of body.slice(1)) {
      expect(b).toHaveLength(header.length);
      expect([b[2], b[4], b[6]]).toEqual(["Other", "Other", "Other"]);
      expect(b.slice(2).filter((v) => v !== "" && v !== "Other")).toEqual([]);
    }
    expect(body[2][1]).toBe("   ");
    expect(r.stderr).toMatch(/^rows read 3, scored 1, empty titles 2, skipped 1$/m);
  });

  it("refuses an --out it cannot write in one line, before loading a model, and leaves nothing behind", () => {
    const file = path.join(dir, "blocker.txt");
    fs.writeFileSync(file, "a file, not a folder\n");
    const cases: [string, RegExp][] = [
      [path.join(dir, "no-such-folder", "y.csv"), /^jtlab score: cannot write --out .*no-such-folder\/y\.csv: folder .*no-such-folder does not exist$/],
      [path.join(file, "y.csv"), /^jtlab score: cannot write --out .*blocker\.txt\/y\.csv: .*blocker\.txt is not a folder$/],
      [dir, /^jtlab score: cannot write --out .*: it is a folder; give a file name$/],
    ];
    const before = fs.readdirSync(dir).sort();
    for (const [out, err] of cases) {
      const r = runCli(["score", "--in", input, "--out", out, "--run", runId], env);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(err);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it.skipIf(process.getuid?.() === 0)("refuses a read-only --out folder in one line", () => {
    const ro = path.join(dir, "read-only");
    fs.mkdirSync(ro);
    fs.chmodSync(ro, 0o555);
    const r = runCli(["score", "--in", input, "--out", path.join(ro, "y.csv"), "--run", runId], env);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(/^jtlab score: cannot write --out .*read-only\/y\.csv: folder .*read-only is not writable: permission denied \(EACCES\)$/);
    expect(fs.readdirSync(ro)).toEqual([]);
  });

  it("names --in when it is a folder or missing", () => {
    const f = runCli(["score", "--in", dir, "--out", path.join(dir, "z.csv"), "--run", runId], env);
    expect(f.status).toBe(2);
    expect(f.stderr.trimEnd()).toBe(`jtlab score: --in ${dir}: is a folder, expected a CSV file`);
    const m = runCli(["score", "--in", path.join(dir, "missing.csv"), "--out", path.join(dir, "z.csv"), "--run", runId], env);
    expect(m.status).toBe(2);
    expect(m.stderr.trimEnd()).toBe(`jtlab score: --in ${path.join(dir, "missing.csv")}: no such file`);
    expect(fs.existsSync(path.join(dir, "z.csv"))).toBe(false);
  });

  it.each([
    ["an empty file", "", /empty\.csv: is empty: expected a header with a "title" column/],
    ["a header without rows", "person_id,title\n", /empty\.csv: has a header but no rows \(person_id,title\)/],
    ["a header and blank lines", "person_id,title\r\n\r\n\r\n", /empty\.csv: has a header but no rows/],
  ])("refuses %s, before loading a model, and writes nothing", (_what, text, err) => {
    const file = path.join(dir, "empty.csv");
    fs.writeFileSync(file, text);
    const out = path.join(dir, "empty-out.csv");
    const r = runCli(["score", "--in", file, "--out", out, "--run", runId], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(err);
    expect(r.stderr).not.toMatch(MODEL_LINE);
    expect(fs.readdirSync(dir).filter((f) => f.includes("empty-out"))).toEqual([]);
  });

  it("fails fast on an unclosed quote near the top of a 200,000-row file, naming where it opened", () => {
    // Was quadratic: 15,000 rows took 25 s, 30,000 rows 116 s. The time limit is a bound on failing fast, far above
    // one linear pass and far below the old reader's time for this file.
    const file = path.join(dir, "unclosed.csv");
    const lines = ["person_id,title", 'p1,"Sales Agent'];
    for (let i = 2; i <= 200_000; i++) lines.push(`p${i},Head Nurse ${i}`);
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const out = path.join(dir, "unclosed-out.csv");
    const r = runCliWithin(["score", "--in", file, "--out", out, "--run", runId], env, 60_000);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/unclosed\.csv:2:4: a quoted field is never closed \(opened at line 2 col 4, still open after 1,000 lines\)/);
    expect(r.stderr).not.toMatch(MODEL_LINE);
    expect(fs.readdirSync(dir).filter((f) => f.includes("unclosed-out"))).toEqual([]);
  });

  it("names the line and column of a stray quote", () => {
    const file = path.join(dir, "stray.csv");
    fs.writeFileSync(file, 'person_id,title\np1,Sales Agent\np2,The "Sales" Lead\n');
    const r = runCli(["score", "--in", file, "--out", path.join(dir, "stray-out.csv"), "--run", runId], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stray\.csv:3:8: a quote inside an unquoted field/);
  });

  it("refuses invalid UTF-8 with its line and column, and reads the file as Latin-1 with --encoding latin1", () => {
    const file = path.join(dir, "latin1.csv");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("person_id,title\np1,Sales Agent\np2,Caf"), Buffer.from([0xe9]), Buffer.from(" Manager\n")]));
    const out = path.join(dir, "latin1-out.csv");
    const r = runCli(["score", "--in", file, "--out", out, "--run", runId], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/latin1\.csv:3:7: invalid UTF-8: byte 0xE9 at byte offset 37 .*--encoding latin1/);
    expect(fs.existsSync(out)).toBe(false);
    const l = runCli(["score", "--in", file, "--out", out, "--run", runId, "--encoding", "latin1"], env);
    expect(l.status, l.stderr).toBe(0);
    expect(parseCsvText(fs.readFileSync(out, "utf8"), out)[2].fields.slice(0, 2)).toEqual(["p2", "Café Manager"]);
    const bad = runCli(["score", "--in", file, "--out", out, "--run", runId, "--encoding", "ebcdic"], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--encoding must be utf8 or latin1, got "ebcdic"/);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("stopped by %s once it writes, exits %i and leaves no output and no temporary file", async (signal, code) => {
    const big = path.join(dir, "big.csv");
    if (!fs.existsSync(big)) {
      const lines = ["person_id,title"];
      for (let i = 0; i < 50_000; i++) lines.push(`p${i},${["Sales Agent", "Head Nurse", "Data Scientist"][i % 3]} ${i}`);
      fs.writeFileSync(big, lines.join("\n") + "\n");
    }
    const outDir = fs.mkdtempSync(path.join(dir, "stop-"));
    const out = path.join(outDir, "out.csv");
    const child = spawn(process.execPath, [JTLAB, "score", "--in", big, "--out", out, "--run", runId, "--batch", "100"], { cwd: projectRoot(), env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    // Wait until the temporary output holds scored rows (the header alone is under 2 KB).
    let temp: string | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      temp = fs.readdirSync(outDir).find((f) => f.startsWith(".out.csv.tmp-"));
      if (temp && fs.statSync(path.join(outDir, temp)).size > 20_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(temp, stderr).toBeDefined();
    child.kill(signal);
    expect(await exited, stderr).toBe(code);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it("turns a write error in mid-stream (a full disk) into one clear error, not an unhandled 'error' event", async () => {
    let written = 0;
    const full = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb): void {
        written += chunk.length;
        if (written > 40) cb(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
        else cb();
      },
    });
    const w = streamWriter(full, "/data/scores.csv");
    let error: unknown = null;
    try {
      for (let i = 0; i < 100; i++) await w.write(`row ${i},Sales Agent,0.9\n`);
      w.check();
    } catch (e) {
      error = e;
    }
    expect(String(error)).toBe("Error: cannot write --out /data/scores.csv: no space left on the device (ENOSPC)");
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
