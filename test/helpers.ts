// Shared test helpers: temporary folders, running the CLI, and a copy of the data folder to corrupt.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findDataDir, projectRoot } from "../src/data/paths";
import type { Pair } from "../src/models/siamese/pairs";

export function tmpDir(prefix = "jtlab-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot()): CliResult {
  const r = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A data folder of symlinks to the real one, so that a test can replace one file with a broken copy. */
export function linkedDataDir(): string {
  const src = findDataDir().dir;
  const dst = tmpDir("jtlab-data-");
  for (const ds of fs.readdirSync(src)) {
    const from = path.join(src, ds);
    if (!fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.join(dst, ds));
    for (const f of fs.readdirSync(from)) fs.symlinkSync(path.join(from, f), path.join(dst, ds, f));
  }
  return dst;
}

/** Two families of titles (sales, nursing): every pair within a family positive, every pair across negative. */
export function toyPairs(): Pair[] {
  const sales = ["sales rep", "sales agent", "sales lead", "account rep", "sales clerk", "sales exec"];
  const nurses = ["nurse aide", "head nurse", "nurse tech", "care nurse", "nurse lead", "rn nurse"];
  const pairs: Pair[] = [];
  for (const fam of [sales, nurses]) for (let i = 0; i < fam.length; i++) for (let j = i + 1; j < fam.length; j++) pairs.push({ a: fam[i], b: fam[j], label: 1, kind: "same-occupation" });
  for (const x of sales) for (const y of nurses) pairs.push({ a: x, b: y, label: 0, kind: "random" });
  return pairs;
}

/**
 * A small trained Siamese model recorded as a finished siamese-char run in `runsDir`, the way a real training run
 * leaves it (model/, encoder.json, representatives.json, classifier.json): for the commands that serve a model.
 */
export async function tinySiameseRun(runsDir: string): Promise<string> {
  const { initBackend } = await import("../src/runtime/backend");
  const { startRun } = await import("../src/experiments/registry");
  const { levelRepresentatives } = await import("../src/models/representatives/classifier");
  const { CharTitleEncoder } = await import("../src/models/siamese/encoders");
  const { CHAR_CONFIG } = await import("../src/models/siamese/model");
  const { encodePairs, trainSiamese } = await import("../src/models/siamese/train");
  const { TrainedSiamese } = await import("../src/models/siamese/trained");
  await initBackend({ backend: "cpu", log: () => undefined });
  const pairs = toyPairs();
  const enc = new CharTitleEncoder({ maxLength: 12 });
  const config = { ...CHAR_CONFIG, vocabSize: enc.vocabularySize, seqLength: 12, embedDim: 8, filters: 4, seed: 3 };
  const { model } = await trainSiamese(config, encodePairs(pairs, enc), { epochs: 30, batchSize: 16, learningRate: 0.02, validationShare: 0, patience: 100, seed: 1 });
  const reps = { role: new Map([["Sales & Account Mgmt", ["sales rep"]], ["Other Operations", ["nurse aide"]]]), industry: new Map([["Health & Fitness", ["nurse aide"]]]), level: levelRepresentatives() };
  const old = process.env.JTLAB_RUNS_DIR;
  process.env.JTLAB_RUNS_DIR = runsDir;
  try {
    const run = startRun({ name: "tiny", method: "siamese-char", kind: "train", noData: true });
    await (await TrainedSiamese.create(model, enc, reps, { aggregate: "max", k: 3, threshold: 0.5 })).save(run.dir);
    for (const f of ["model", "encoder.json", "representatives.json", "classifier.json"]) run.artifact(f.replace(".json", ""), f);
    run.finish();
    return run.record.id;
  } finally {
    if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
    else process.env.JTLAB_RUNS_DIR = old;
  }
}

/**
 * One short epoch of a small word-aware Siamese tower, trained and evaluated by the real pipeline (no MELO) into the
 * registry JTLAB_RUNS_DIR names: a run with the representatives, neighbours and head protocols recorded, for the
 * export and live panel tests. Returns the run's id.
 */
export async function smallRecordedSiameseRun(opts: { datasets?: import("../src/datasets/build").Datasets } = {}): Promise<string> {
  const { runExperiment } = await import("../src/experiments/pipeline");
  const { siameseSpec } = await import("../src/experiments/methods");
  const { siameseRunConfig } = await import("../src/experiments/configs");
  const cfg = siameseRunConfig("quick", { variant: "both", positives: 3000, epochs: 1, mineShare: 0, pretrained: false, wordVocabulary: 2000, filters: 8, wordFilters: 8, widths: [1, 2] });
  const x = await runExperiment(siameseSpec(cfg), { melo: false, log: () => undefined, ...(opts.datasets ? { datasets: opts.datasets } : {}) });
  return x.run.record.id;
}

/**
 * `jtlab classify --run ID --json` for `titles`, each category type answered with the protocol `served` names for it
 * (the live panel's: representatives or head), one classify call per protocol.
 */
export function classifyPerType<T>(runId: string, titles: string[], served: Record<"role" | "level" | "industry", string>, env: Record<string, string>): ({ title: string } & Record<"role" | "level" | "industry", T>)[] {
  const types = ["role", "level", "industry"] as const;
  const byProtocol = new Map<string, Record<string, T>[]>();
  for (const type of types) {
    const p = served[type];
    if (byProtocol.has(p)) continue;
    const r = runCli(["classify", "--run", runId, "--json", "--protocol", p, ...titles], env);
    if (r.status !== 0) throw new Error(`jtlab classify --protocol ${p} exited ${r.status}: ${r.stderr}`);
    byProtocol.set(p, JSON.parse(r.stdout));
  }
  return titles.map((title, i) => {
    const row = { title } as { title: string } & Record<"role" | "level" | "industry", T>;
    for (const type of types) row[type] = byProtocol.get(served[type])![i][type];
    return row;
  });
}

/** Parts as an async stream, as a file's read stream gives them. */
export async function* streamOf<T>(parts: T[]): AsyncGenerator<T> {
  for (const p of parts) yield p;
}

/** `bytes` cut at each position of `cuts` within [0, length] (others ignored); a cut at either end gives an empty piece. */
export function splitBytes(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.filter((c) => c >= 0 && c <= bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}
