// What the project writes is checked when it is read back: a run's files against the SHA-256 recorded when it
// finished (a broken latest run is passed over with a warning, a named one is an error naming the file and the
// command that rebuilds it), the derived-data cache against its manifest, and a Siamese weights file against its
// model.json. Two processes writing runs and the cache at once do not corrupt each other.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { projectRoot } from "../src/data/paths";
import { loadDatasets, readDatasets, writeDatasets } from "../src/datasets/build";
import { IntegrityError } from "../src/io/integrity";
import { latestRun, listRuns, readRun, runIntegrityError, startRun, verifyRun } from "../src/experiments/registry";
import { loadSiamese, saveSiamese } from "../src/models/siamese/io";
import { buildSiamese, CHAR_CONFIG } from "../src/models/siamese/model";
import { Rng } from "../src/util/random";
import { runCli, tmpDir } from "./helpers";

function withRunsDir<T>(dir: string, fn: () => T): T {
  const old = process.env.JTLAB_RUNS_DIR;
  process.env.JTLAB_RUNS_DIR = dir;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
    else process.env.JTLAB_RUNS_DIR = old;
  }
}

/** A finished run holding one model file. */
function modelRun(name: string, bytes: Buffer): string {
  const run = startRun({ name, method: "fasttext", kind: "train", noData: true });
  fs.writeFileSync(run.artifact("model", "fasttext.json"), bytes);
  return run.finish().id;
}

function randomBytes(n: number, seed: number): Buffer {
  const rng = new Rng(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rng.next() * 256)));
}

afterEach(() => vi.restoreAllMocks());

describe("a run's files are checked before use", () => {
  it("records the SHA-256 of every file it wrote; the latest run whose file was replaced is skipped with a warning", () => {
    const dir = tmpDir("jtlab-runs-");
    withRunsDir(dir, () => {
      const good = modelRun("good", Buffer.from('{"w":[1,2,3]}'));
      const bad = modelRun("later", Buffer.from('{"w":[4,5,6]}'));
      expect(readRun(bad).files).toEqual({ "fasttext.json": expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(latestRun({ method: "fasttext", artifact: "model" })!.id).toBe(bad);
      // Same size, other bytes: what a bad copy or a disk error leaves.
      fs.writeFileSync(path.join(dir, bad, "fasttext.json"), randomBytes(13, 7));
      const warn = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      expect(latestRun({ method: "fasttext", artifact: "model" })!.id).toBe(good);
      expect(String(warn.mock.calls[0][0])).toMatch(new RegExp(`skipped run ${bad}: .*fasttext\\.json: does not match its recorded SHA-256.*jtlab train fasttext`));
      const e = runIntegrityError(readRun(bad));
      expect(e).toBeInstanceOf(IntegrityError);
      expect(() => verifyRun(readRun(bad))).toThrow(/fasttext\.json: does not match its recorded SHA-256 .*rebuild it with `jtlab train fasttext`/);
      // A truncated or deleted file is named the same way.
      fs.writeFileSync(path.join(dir, bad, "fasttext.json"), "{");
      expect(() => verifyRun(readRun(bad))).toThrow(/fasttext\.json: does not match/);
      fs.rmSync(path.join(dir, bad, "fasttext.json"));
      expect(() => verifyRun(readRun(bad))).toThrow(/fasttext\.json: is missing/);
    });
  });

  it("a run.json holding null, {}, [] or junk is skipped with a warning naming the file; the others still list", () => {
    const dir = tmpDir("jtlab-runs-");
    withRunsDir(dir, () => {
      const ok = modelRun("ok", Buffer.from("{}"));
      const warn = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      for (const [name, text] of [["a-null", "null"], ["b-object", "{}"], ["c-array", "[]"], ["d-junk", "{not json"], ["e-number", "42"]]) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, "run.json"), text);
      }
      expect(listRuns().map((r) => r.id)).toEqual([ok]);
      const lines = warn.mock.calls.map((c) => String(c[0])).join("");
      for (const name of ["a-null", "b-object", "c-array", "d-junk", "e-number"]) expect(lines).toContain(path.join(dir, name, "run.json"));
      expect(lines).toMatch(/a-null.*not a run record \(expected a JSON object, found null\)/);
      expect(lines).toMatch(/b-object.*not a run record \("method" must be a non-empty string\)/);
      expect(lines).toMatch(/d-junk.*not valid JSON/);
    });
  });

  it("jtlab exp list and exp compare go on past broken records, naming each; a copied folder lists under its own name", () => {
    const dir = tmpDir("jtlab-runs-");
    const id = withRunsDir(dir, () => modelRun("ok", Buffer.from("{}")));
    fs.cpSync(path.join(dir, id), path.join(dir, `${id}-copy`), { recursive: true });
    for (const [name, text] of [["n", "null"], ["o", "{}"], ["a", "[]"]]) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "run.json"), text);
    }
    const list = runCli(["exp", "list"], { JTLAB_RUNS_DIR: dir });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0])).toEqual([id, `${id}-copy`]);
    for (const name of ["n", "o", "a"]) expect(list.stderr).toContain(path.join(dir, name, "run.json"));
    expect(list.stderr).not.toMatch(/Cannot read properties/);
    const compare = runCli(["exp", "compare", "--no-baselines"], { JTLAB_RUNS_DIR: dir });
    expect(compare.status, compare.stderr).toBe(0);
    expect(compare.stderr).not.toMatch(/Cannot read properties/);
  }, 60_000);

  it("the run id is the folder's name: a copied run folder is a run of its own", () => {
    const dir = tmpDir("jtlab-runs-");
    withRunsDir(dir, () => {
      const id = modelRun("orig", Buffer.from("{}"));
      fs.cpSync(path.join(dir, id), path.join(dir, `${id}-copy`), { recursive: true });
      const ids = listRuns().map((r) => r.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids)).toEqual(new Set([id, `${id}-copy`]));
      expect(verifyRun(readRun(`${id}-copy`))).toBeUndefined();
    });
  });

  it("a run left running by a process that was killed shows as stale", async () => {
    const dir = tmpDir("jtlab-runs-");
    const script = path.join(dir, "child.ts");
    fs.writeFileSync(script, `import { startRun } from ${JSON.stringify(path.join(projectRoot(), "src/experiments/registry"))};\nstartRun({ name: "killed", method: "m", kind: "train", noData: true });\nconsole.log("started");\nsetInterval(() => undefined, 1000);\n`);
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: projectRoot(), env: { ...process.env, JTLAB_RUNS_DIR: dir } });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("started") && resolve()));
    const { runState } = await import("../src/experiments/registry");
    const id = fs.readdirSync(dir).find((f) => f.startsWith("20"))!;
    expect(runState(readRun(path.join(dir, id)))).toBe("running");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    const r = readRun(path.join(dir, id));
    expect(r.status).toBe("running");
    expect(runState(r)).toBe("stale");
  });
});

describe("errors", () => {
  it("an unexpected error is one line naming the file it concerns; --verbose adds the stack", () => {
    const r = runCli(["exp", "list"], { JTLAB_RUNS_DIR: "/etc/passwd" });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("jtlab exp: ENOTDIR: not a directory, scandir '/etc/passwd'\n");
    const v = runCli(["exp", "list", "--verbose"], { JTLAB_RUNS_DIR: "/etc/passwd" });
    expect(v.stderr).toMatch(/^jtlab exp: ENOTDIR.*\nError: ENOTDIR.*\n\s+at /);
  });
});

describe("the derived-data cache is checked against its manifest", () => {
  it("a titles file cut in half is an error naming it and `jtlab data`, never a smaller split", () => {
    const d = loadDatasets();
    const dir = path.join(tmpDir("jtlab-derived-"), "derived");
    writeDatasets(d, dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.files).sort()).toEqual(["level-dev.tsv", "level-test.tsv", "profiles-simulated.tsv", "titles-dev.tsv", "titles-test.tsv", "titles-train.tsv"]);
    expect(readDatasets(dir).train).toHaveLength(d.train.length);
    const file = path.join(dir, "titles-train.tsv");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    fs.writeFileSync(file, lines.slice(0, Math.floor(lines.length / 2)).join("\n") + "\n");
    expect(() => readDatasets(dir)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: does not match its recorded SHA-256.*rebuild it with \`jtlab data\``));
  });

  it("a run records the derived files it read (fingerprint and SHA-256 of each)", async () => {
    const dir = tmpDir("jtlab-runs-");
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = dir;
    try {
      const { runExperiment } = await import("../src/experiments/pipeline");
      const d = loadDatasets();
      const spec = { method: "fixed", kind: "eval" as const, params: {}, train: () => null, predictor: () => ({ name: "fixed", predict: async (t: readonly string[]) => t.map(() => ({ label: "Other", score: 0 })) }) };
      const x = await runExperiment(spec, { melo: false, log: () => undefined, protocols: [] });
      expect(x.run.record.derived).toEqual({ fingerprint: d.fingerprint, files: d.files });
      expect(Object.keys(d.files ?? {})).toContain("titles-train.tsv");
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
  }, 120_000);
});

describe("a Siamese weights file is checked against its model.json", () => {
  it("a truncated file and one of random bytes are errors naming weights.bin", async () => {
    const dir = path.join(tmpDir("jtlab-siamese-"), "model");
    const m = buildSiamese({ ...CHAR_CONFIG, vocabSize: 40, seqLength: 12, embedDim: 8, filters: 4, seed: 3, merge: "cosine" });
    await saveSiamese(m, dir);
    const weights = path.join(dir, "weights.bin");
    const size = fs.statSync(weights).size;
    expect((await loadSiamese(dir)).model.countParams()).toBe(m.model.countParams());
    fs.writeFileSync(weights, randomBytes(size, 11));
    await expect(loadSiamese(dir)).rejects.toThrow(/weights\.bin: weight .* holds non-finite numbers: the file is damaged/);
    fs.truncateSync(weights, Math.floor(size / 2));
    await expect(loadSiamese(dir)).rejects.toThrow(new RegExp(`weights\\.bin: ${Math.floor(size / 2)} bytes, model\\.json's weights need ${size}`));
  });
});

describe("two processes at once", () => {
  it("build the derived cache once and write 2 × 15 runs without corrupting any", async () => {
    const derived = path.join(tmpDir("jtlab-derived-"), "derived");
    const runs = tmpDir("jtlab-runs-");
    const script = path.join(runs, "..", `jtlab-concurrent-${process.pid}.ts`);
    fs.writeFileSync(
      script,
      `import { loadDatasets } from ${JSON.stringify(path.join(projectRoot(), "src/datasets/build"))};\n` +
        `import { startRun } from ${JSON.stringify(path.join(projectRoot(), "src/experiments/registry"))};\n` +
        `const d = loadDatasets();\n` +
        `for (let i = 0; i < 15; i++) { const r = startRun({ name: "c", method: "m", kind: "eval", noData: true }); r.log({ extra: { train: d.train.length } }); r.finish(); }\n` +
        `console.log(d.train.length);\n`,
    );
    const env = { ...process.env, JTLAB_RUNS_DIR: runs, JTLAB_DERIVED_DIR: derived };
    const one = (): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve) => {
        const c = spawn(process.execPath, ["--import", "tsx", script], { cwd: projectRoot(), env });
        let out = "";
        let err = "";
        c.stdout.on("data", (b: Buffer) => (out += b));
        c.stderr.on("data", (b: Buffer) => (err += b));
        c.on("exit", (code) => resolve({ code, out, err }));
      });
    const [a, b] = await Promise.all([one(), one()]);
    fs.rmSync(script, { force: true });
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out.trim()).toBe(b.out.trim());
    // One waited for the other's build (the lock), rather than both writing the cache.
    expect(a.err + b.err).toMatch(/is being written by process \d+: waiting/);
    expect(readDatasets(derived).train.length).toBe(Number(a.out.trim()));
    const listed = withRunsDir(runs, () => listRuns());
    expect(listed).toHaveLength(30);
    expect(new Set(listed.map((r) => r.id)).size).toBe(30);
    expect(listed.every((r) => r.status === "ok" && r.metrics.extra?.train === Number(a.out.trim()))).toBe(true);
    expect(fs.readdirSync(path.dirname(derived)).filter((f) => f !== "derived")).toEqual([]);
  }, 240_000);
});
