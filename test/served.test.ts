// A practitioner's path end to end on the real splits: a (short) fastText run recorded in a registry of its own, then
// `jtlab classify` and `jtlab score` serving it by default, saying which run, method and protocol answered, refusing
// unreadable titles with a reason, and `jtlab exp compare` putting it beside the baselines.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsvText } from "../src/data/csv-stream";
import { runCli, tmpDir } from "./helpers";

describe("a fastText run, served", () => {
  const dir = tmpDir("jtlab-served-");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs") };
  let runId = "";
  beforeAll(async () => {
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = env.JTLAB_RUNS_DIR;
    try {
      const { runExperiment } = await import("../src/experiments/pipeline");
      const { fastTextSpec } = await import("../src/experiments/methods");
      // Ten epochs instead of 25: close to the full model's figures, quick enough for a test.
      const x = await runExperiment(fastTextSpec({ epochs: 10 }), { melo: false, log: () => undefined });
      runId = x.run.record.id;
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
  }, 300_000);

  it("records the protocol, its calibration and the messy titles", () => {
    const rec = JSON.parse(fs.readFileSync(path.join(env.JTLAB_RUNS_DIR, runId, "run.json"), "utf8"));
    expect(rec.metrics.protocol).toBe("head");
    expect(rec.metrics.protocols.head.calibration.role.method).toBe("isotonic");
    expect(rec.metrics.test.role.reliability.length).toBeGreaterThan(0);
    expect(rec.metrics.test.role.accuracy).toBeGreaterThan(0.6);
    expect(rec.metrics.messy.n).toBeGreaterThanOrEqual(150);
    expect(rec.metrics.messy.byKind["non-english"]).toBe(1);
  });

  it("classify: the best recorded method by default, with run, method and protocol per type; unreadable titles are Other with a reason", () => {
    const r = runCli(["classify", "Senior Java Developer", "软件工程师", "Sr. SWE @ Google - Boston, MA", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const [java, chinese, messy] = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>[];
    expect(java.role).toMatchObject({ label: "Engineering", run: runId, method: "fasttext", protocol: "head" });
    expect(java.role.score as number).toBeGreaterThan(0.5);
    expect(java.level).toMatchObject({ run: runId, method: "fasttext" });
    expect(chinese.role).toMatchObject({ label: "Other", score: 0, abstained: expect.stringMatching(/Latin/) });
    expect(messy.role).toMatchObject({ label: "Engineering", read_as: "Senior Software Engineer" });
    const text = runCli(["classify", "Senior Java Developer"], env);
    expect(text.stdout).toMatch(/role\s+Engineering\s+0\.\d+\s+\[fasttext · head, run /);
  });

  it("score: the input's id column kept, pandas-friendly score columns, the same labels as classify", () => {
    const input = path.join(dir, "in.csv");
    fs.writeFileSync(input, "person_id,title\nu1,Senior Java Developer\nu2,Registered Nurse\nu3,10/6;\n");
    const out = path.join(dir, "out.csv");
    const r = runCli(["score", "--in", input, "--out", out], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/role: fasttext · head \(run /);
    const [header, ...body] = parseCsvText(fs.readFileSync(out, "utf8"), out).map((x) => x.fields);
    expect(header.slice(0, 4)).toEqual(["person_id", "title", "role", "role_score"]);
    expect(header).toContain("role_score__engineering");
    expect(header).toContain("industry_score__health_fitness");
    expect(body.map((b) => [b[0], b[2]])).toEqual([["u1", "Engineering"], ["u2", "Other Operations"], ["u3", "Other"]]);
  });

  it("exp compare: the baselines first, the run beside them", () => {
    const r = runCli(["exp", "compare", "--metric", "test.role.accuracy"], env);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^run\s+method\s+/);
    expect(lines[2]).toMatch(/^baseline: majority class\s+baseline\s+(-\s+)*0\.5568/);
    expect(lines[3]).toMatch(/^baseline: stratified random/);
    expect(r.stdout).toContain(runId);
    expect(r.stdout).not.toMatch(new RegExp(`${runId}.*▼`));
  });

  it("a later run whose model file was replaced is skipped with a warning; named, it is an error naming the file", () => {
    // A copy of the run (its own id: the folder's name) with the model replaced by bytes of the same size.
    const copy = `${runId}-zcopy`;
    fs.cpSync(path.join(env.JTLAB_RUNS_DIR, runId), path.join(env.JTLAB_RUNS_DIR, copy), { recursive: true });
    const model = path.join(env.JTLAB_RUNS_DIR, copy, "fasttext.json");
    const size = fs.statSync(model).size;
    fs.writeFileSync(model, Buffer.alloc(size, 0x5a));
    try {
      const r = runCli(["classify", "Senior Java Developer", "--json"], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`warning: skipped run ${copy}: ${model}: does not match its recorded SHA-256`);
      expect(JSON.parse(r.stdout)[0].role).toMatchObject({ label: "Engineering", run: runId });
      const named = runCli(["classify", "Senior Java Developer", "--run", copy], env);
      expect(named.status).toBe(1);
      expect(named.stderr).toMatch(new RegExp(`^jtlab classify: ${model.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: does not match its recorded SHA-256 .*rebuild it with \`jtlab train fasttext\`\n$`));
    } finally {
      fs.rmSync(path.join(env.JTLAB_RUNS_DIR, copy), { recursive: true, force: true });
    }
  });
});
