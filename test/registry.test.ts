import { spawnSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { compareRuns } from "../src/experiments/compare";
import { listRuns, readRun, RunRecord, startRun, withRun } from "../src/experiments/registry";
import { projectRoot } from "../src/data/paths";
import { runCli, tmpDir } from "./helpers";

function inRunsDir<T>(fn: (dir: string) => T): T {
  const dir = tmpDir("jtlab-runs-");
  const old = process.env.JTLAB_RUNS_DIR;
  process.env.JTLAB_RUNS_DIR = dir;
  try {
    return fn(dir);
  } finally {
    if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
    else process.env.JTLAB_RUNS_DIR = old;
  }
}

function record(r: Pick<RunRecord, "id" | "method" | "params" | "metrics"> & Partial<RunRecord>): RunRecord {
  return { name: "x", kind: "train", seed: 1, git: { commit: null, dirty: null }, data: null, backend: null, versions: {}, started: "", ended: null, seconds: 1, status: "ok", error: null, artifacts: {}, notes: [], ...r };
}

describe("the experiment registry", () => {
  it("round-trips a run: parameters, seed, code version, data checksums, versions, metrics, artifacts", () =>
    inRunsDir((dir) => {
      const run = startRun({ name: "My Run!", method: "demo", kind: "train", params: { lr: 0.1, layers: { n: 2 } }, seed: 42, backend: "wasm" });
      expect(path.basename(run.dir)).toMatch(/^\d{4}-\d{2}-\d{2}-my-run-[0-9a-f]{6}$/);
      expect(readRun(run.dir).status).toBe("running");
      fs.writeFileSync(run.artifact("weights", "model/weights.bin"), "x");
      run.finish({ extra: { accuracy: 0.75 } });
      const r = readRun(run.record.id);
      expect(r).toMatchObject({ schema: 2, name: "My Run!", method: "demo", kind: "train", params: { lr: 0.1, layers: { n: 2 } }, seed: 42, backend: "wasm", status: "ok", error: null, metrics: { extra: { accuracy: 0.75 } }, artifacts: { weights: "model/weights.bin" } });
      expect(r.git.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(r.data!.files)).toContain("melo-usa_q_en_c_en/queries.tsv");
      expect(r.versions["@tensorflow/tfjs"]).toBe("4.22.0");
      expect(r.seconds).toBeGreaterThanOrEqual(0);
      expect(listRuns().map((x) => x.id)).toEqual([r.id]);
      expect(fs.readdirSync(dir)).toEqual([r.id]);
    }));

  it("never reuses a folder: two runs of one name get two folders", () =>
    inRunsDir(() => {
      const a = startRun({ name: "same", method: "m", kind: "eval", noData: true });
      const b = startRun({ name: "same", method: "m", kind: "eval", noData: true });
      expect(a.dir).not.toBe(b.dir);
      a.finish();
      b.finish();
      expect(listRuns()).toHaveLength(2);
    }));

  it("records a run whose code throws as failed, with the error", async () => {
    const dir = tmpDir("jtlab-runs-");
    process.env.JTLAB_RUNS_DIR = dir;
    try {
      await expect(withRun({ name: "boom", method: "m", kind: "eval", noData: true }, () => { throw new Error("kaput"); })).rejects.toThrow("kaput");
      expect(listRuns()[0]).toMatchObject({ status: "failed", error: "Error: kaput" });
    } finally {
      delete process.env.JTLAB_RUNS_DIR;
    }
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("records a run stopped by %s as interrupted, and exits with %i", async (sig, code) => {
    const dir = tmpDir("jtlab-runs-");
    const script = path.join(dir, "child.ts");
    fs.writeFileSync(script, `import { startRun } from ${JSON.stringify(path.join(projectRoot(), "src/experiments/registry"))};\nstartRun({ name: "long", method: "m", kind: "train", noData: true });\nconsole.log("started");\nsetInterval(() => undefined, 1000);\n`);
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: projectRoot(), env: { ...process.env, JTLAB_RUNS_DIR: dir } });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("started") && resolve()));
    child.kill(sig);
    const exit = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(exit).toBe(code);
    const id = fs.readdirSync(dir).find((f) => f.startsWith("20"))!;
    expect(readRun(path.join(dir, id))).toMatchObject({ status: "interrupted", error: `stopped by ${sig}` });
  });

  it("compares runs: only the parameters that differ, and their scalar metrics", () => {
    const history = [{ epoch: 1, loss: 1, valLoss: 1, valAccuracy: 0.5, seconds: 1 }];
    const c = compareRuns([
      record({ id: "a", method: "w2v", params: { dim: 100, window: 5 }, metrics: { extra: { acc: 0.5 }, training: { seconds: 2, throughput: 100, unit: "words/s", history } } }),
      record({ id: "b", method: "w2v", params: { dim: 200, window: 5 }, metrics: { extra: { acc: 0.6 } } }),
    ]);
    expect(c.params).toEqual(["dim"]);
    // Lists (the epoch history) are not columns.
    expect(c.metrics).toEqual(["extra.acc", "training.seconds", "training.throughput", "training.unit"]);
    expect(c.runs.map((r) => [r.id, r.params, r.metrics])).toEqual([
      ["a", { dim: 100 }, { "extra.acc": 0.5, "training.seconds": 2, "training.throughput": 100, "training.unit": "words/s" }],
      ["b", { dim: 200 }, { "extra.acc": 0.6 }],
    ]);
  });

  it("jtlab exp compare --json prints the comparison; exp show names an unknown run", () => {
    const dir = tmpDir("jtlab-runs-");
    const env = { JTLAB_RUNS_DIR: dir };
    const mk = (method: string, metric: number): void => {
      const code = `const { startRun } = require(${JSON.stringify(path.join(projectRoot(), "src/experiments/registry"))}); startRun({ name: "${method}", method: "${method}", kind: "eval", params: { p: ${metric} }, noData: true }).finish({ extra: { score: ${metric} } });`;
      const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: projectRoot(), env: { ...process.env, ...env }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    };
    mk("alpha", 1);
    mk("beta", 2);
    mk("alpha", 3);
    const r = runCli(["exp", "compare", "--latest-per-method", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // The two baselines, computed on the same splits, lead the comparison.
    expect(j.runs.slice(0, 2).map((x: { id: string; method: string }) => [x.id, x.method])).toEqual([["baseline: majority class", "baseline"], ["baseline: stratified random", "baseline"]]);
    expect(j.runs.slice(2).map((x: { method: string; metrics: Record<string, number> }) => [x.method, x.metrics["extra.score"]])).toEqual([["alpha", 3], ["beta", 2]]);
    expect(j.params).toEqual(["p"]);
    const s = runCli(["exp", "show", "nope"], env);
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/no run "nope"/);
  });
});
