// The README's Dask example (scripts/cluster/dask_score.py) on a LocalCluster of 2 workers on 127.0.0.1: n tasks of
// `jtlab score --shard i/n`, concatenated, give the unsharded table row for row (in another order). Runs when Debian's
// python3-distributed is installed (.ci/run installs it; under CI a missing Dask fails instead of skipping). Also
// checks that the Kubernetes indexed Job example names the shard by its completion index.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../src/data/paths";
import { runCli, tinySiameseRun, tmpDir } from "./helpers";

const PYTHON = "/usr/bin/python3";
const dask = spawnSync(PYTHON, ["-c", "import distributed"], { encoding: "utf8" });
const skip = dask.status === 0 ? null : "Debian's python3-distributed is not installed (apt-get install python3-distributed)";
if (skip && process.env.CI) throw new Error(`CI needs Dask for the shard example: ${skip}`);
if (skip) console.log(`skipping the Dask example: ${skip}`);

describe.skipIf(skip !== null)("the Dask example: jtlab score shards on a LocalCluster", () => {
  const dir = tmpDir("jtlab-dask-");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs"), JTLAB_BACKEND: "cpu" };
  const input = path.join(dir, "people.csv");
  const titles = ["Sales Agent", "Head Nurse", "CFO", "Senior Java Developer", "", "Data Scientist II", "Registered Nurse"];
  fs.writeFileSync(input, ["person_id,title", ...Array.from({ length: 120 }, (_, i) => `p${Math.floor(i / 3)},${titles[(i * 7) % titles.length]}`)].join("\n") + "\n");
  let runId = "";

  beforeAll(async () => {
    runId = await tinySiameseRun(env.JTLAB_RUNS_DIR);
  }, 300_000);

  it("4 shards on 2 workers concatenate to the unsharded table", () => {
    const plain = path.join(dir, "plain.csv");
    const r = runCli(["score", "--in", input, "--out", plain, "--run", runId, "--workers", "1"], env);
    expect(r.status, r.stderr).toBe(0);
    const out = path.join(dir, "sharded.csv");
    const d = spawnSync(PYTHON, [projectPath("scripts", "cluster", "dask_score.py"), "--in", input, "--out", out, "--shards", "4", "--workers", "2", "--", "--run", runId], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 600_000,
    });
    expect(d.status, d.stderr).toBe(0);
    expect(d.stderr).toMatch(/wrote .*sharded\.csv from 4 shards/);
    const a = fs.readFileSync(plain, "utf8").trimEnd().split("\n");
    const b = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    expect(b[0]).toBe(a[0]);
    expect(b.slice(1).sort()).toEqual(a.slice(1).sort());
    expect(fs.existsSync(`${out}.parts`)).toBe(false);
  }, 600_000);
});

describe("the Kubernetes indexed Job example", () => {
  it("runs shard JOB_COMPLETION_INDEX of as many shards as completions", () => {
    const y = fs.readFileSync(projectPath("scripts", "cluster", "score-job.yaml"), "utf8");
    expect(y).toMatch(/completionMode: Indexed/);
    const n = /completions: (\d+)/.exec(y)![1];
    expect(y).toContain(`--shard $JOB_COMPLETION_INDEX/${n}`);
  });
});
