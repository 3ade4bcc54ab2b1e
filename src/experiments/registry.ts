// The experiment registry: every training or evaluation run gets its own folder
// experiments/runs/<date>-<name>-<shortid>/ with a run.json that records what is needed to trace and reproduce it:
// parameters, seed, code version, data checksums, backend, library versions, timing, status, metrics and
// artifacts. Folders are never reused; a run that crashes or is interrupted is recorded as failed with its error.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { dataChecksums } from "../data/checksums";
import { findDataDir, projectPath } from "../data/paths";
import { codeVersion } from "../util/git";
import { inKernel } from "../runtime/kernel-env";
import { fromLegacyMetrics, mergeMetrics, RunMetrics } from "./metrics";

export type RunStatus = "running" | "ok" | "failed";

/** The layout of run.json; records without it hold the flat metric names of the first registry and are read through fromLegacyMetrics. */
export const RUN_SCHEMA = 2;

export interface RunRecord {
  schema?: number;
  id: string;
  name: string;
  /** The method or kind of run, for "latest per method" queries (e.g. "word2vec", "siamese", "heuristic"). */
  method: string;
  kind: "train" | "eval" | "notebook" | "bench";
  params: Record<string, unknown>;
  seed: number | null;
  git: { commit: string | null; dirty: boolean | null };
  data: { dir: string; files: Record<string, string> } | null;
  backend: string | null;
  versions: Record<string, string>;
  started: string;
  ended: string | null;
  seconds: number | null;
  status: RunStatus;
  error: string | null;
  metrics: RunMetrics;
  /** Paths relative to the run folder. */
  artifacts: Record<string, string>;
  notes: string[];
}

export function runsDir(): string {
  return process.env.JTLAB_RUNS_DIR ?? projectPath("experiments", "runs");
}

const LIBS = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-webgpu", "tslab", "umap-js", "ml-matrix", "danfojs-node", "plotly.js-dist-min"];

export function libraryVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const lib of LIBS) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      out[lib] = require(`${lib}/package.json`).version;
    } catch {
      // Optional libraries (webgpu, tfjs-node) are recorded only when installed.
    }
  }
  for (const lib of ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      out[lib] = require(`${lib}/package.json`).version;
    } catch {
      // not installed
    }
  }
  return out;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "run";
}

const active = new Set<Run>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const failAll = (why: string): void => {
    for (const r of [...active]) r.fail(why);
  };
  process.on("exit", () => failAll("the process exited before the run finished"));
  // In a notebook kernel SIGINT means "interrupt the cell" (tslab handles it); there only exit is watched.
  if (inKernel()) return;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      failAll(`interrupted (${sig})`);
      process.kill(process.pid, sig);
    });
  }
}

export interface StartOptions {
  name: string;
  method: string;
  kind: RunRecord["kind"];
  params?: Record<string, unknown>;
  seed?: number | null;
  backend?: string | null;
  /** Skip hashing the open data (for runs that do not read it). */
  noData?: boolean;
}

/** A run in progress. Call finish() or fail(); if neither happens, the exit handler records it as failed. */
export class Run {
  readonly dir: string;
  readonly record: RunRecord;
  private readonly t0 = performance.now();

  constructor(opts: StartOptions) {
    const started = new Date();
    const date = started.toISOString().slice(0, 10);
    const root = runsDir();
    fs.mkdirSync(root, { recursive: true });
    // mkdir without `recursive` fails if the folder exists: a run never lands in another run's folder.
    let id = "";
    let dir = "";
    for (;;) {
      id = `${date}-${slug(opts.name)}-${crypto.randomBytes(3).toString("hex")}`;
      dir = path.join(root, id);
      try {
        fs.mkdirSync(dir);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    this.dir = dir;
    let data: RunRecord["data"] = null;
    if (!opts.noData) {
      try {
        const where = findDataDir();
        data = { dir: where.origin, files: Object.fromEntries(dataChecksums(where.dir).map((c) => [c.file, c.sha256])) };
      } catch {
        data = null;
      }
    }
    this.record = {
      schema: RUN_SCHEMA,
      id,
      name: opts.name,
      method: opts.method,
      kind: opts.kind,
      params: opts.params ?? {},
      seed: opts.seed ?? null,
      git: codeVersion(),
      data,
      backend: opts.backend ?? null,
      versions: libraryVersions(),
      started: started.toISOString(),
      ended: null,
      seconds: null,
      status: "running",
      error: null,
      metrics: {},
      artifacts: {},
      notes: [],
    };
    this.save();
    active.add(this);
    installExitHandlers();
  }

  /** A path inside the run folder for an artifact (recorded when `register` is true). */
  artifact(name: string, file: string, register = true): string {
    const p = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (register) this.record.artifacts[name] = file;
    return p;
  }

  setBackend(backend: string): void {
    this.record.backend = backend;
    this.save();
  }

  note(text: string): void {
    this.record.notes.push(text);
    this.save();
  }

  log(metrics: RunMetrics): void {
    this.record.metrics = mergeMetrics(this.record.metrics, metrics);
    this.save();
  }

  finish(metrics: RunMetrics = {}): RunRecord {
    this.record.metrics = mergeMetrics(this.record.metrics, metrics);
    this.close("ok", null);
    return this.record;
  }

  fail(error: unknown): RunRecord {
    if (this.record.status !== "running") return this.record;
    this.close("failed", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    return this.record;
  }

  private close(status: RunStatus, error: string | null): void {
    this.record.status = status;
    this.record.error = error;
    this.record.ended = new Date().toISOString();
    this.record.seconds = Number(((performance.now() - this.t0) / 1000).toFixed(3));
    active.delete(this);
    this.save();
  }

  private save(): void {
    // Sorted keys at the top level keep diffs stable; write-then-rename keeps the file whole if we crash mid-write.
    const file = path.join(this.dir, "run.json");
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.record, null, 2) + "\n");
    fs.renameSync(tmp, file);
  }
}

export function startRun(opts: StartOptions): Run {
  return new Run(opts);
}

/** Runs `fn` inside a run: finished with its metrics, or failed with its error (which is rethrown). */
export async function withRun<T>(opts: StartOptions, fn: (run: Run) => Promise<T> | T, metricsOf?: (t: T) => RunMetrics): Promise<T> {
  const run = startRun(opts);
  try {
    const out = await fn(run);
    run.finish(metricsOf ? metricsOf(out) : {});
    return out;
  } catch (e) {
    run.fail(e);
    throw e;
  }
}

export function readRun(dirOrId: string): RunRecord {
  const dir = fs.existsSync(path.join(dirOrId, "run.json")) ? dirOrId : path.join(runsDir(), dirOrId);
  const file = path.join(dir, "run.json");
  if (!fs.existsSync(file)) throw new Error(`no run ${JSON.stringify(dirOrId)} (looked for ${file})`);
  return parseRecord(fs.readFileSync(file, "utf8"));
}

/** A run.json's text as a record of the current schema. */
function parseRecord(text: string): RunRecord {
  const r = JSON.parse(text) as RunRecord;
  if ((r.schema ?? 1) < RUN_SCHEMA) return { ...r, schema: RUN_SCHEMA, metrics: fromLegacyMetrics(r.metrics as unknown as Record<string, unknown>) };
  return r;
}

export function runDir(id: string): string {
  return path.join(runsDir(), id);
}

/** Reference records of the published figures (run.json only), committed under experiments/reference/. */
export function referenceDir(): string {
  return projectPath("experiments", "reference");
}

/** All runs in a registry folder (the user's runs by default), oldest first. An unreadable run.json is skipped with a warning. */
export function listRuns(root = runsDir()): RunRecord[] {
  if (!fs.existsSync(root)) return [];
  const out: RunRecord[] = [];
  for (const id of fs.readdirSync(root).sort()) {
    const file = path.join(root, id, "run.json");
    if (!fs.existsSync(file)) continue;
    try {
      out.push(parseRecord(fs.readFileSync(file, "utf8")));
    } catch (e) {
      process.stderr.write(`warning: ${file}: ${(e as Error).message}\n`);
    }
  }
  return out.sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : a.id < b.id ? -1 : 1));
}

export function listReferenceRuns(): RunRecord[] {
  return listRuns(referenceDir());
}

export interface RunQuery {
  /** The method, or a test of it. */
  method?: string | ((method: string) => boolean);
  kind?: RunRecord["kind"];
  /** An artifact the run must have recorded and still hold on disk (e.g. "model"). */
  artifact?: string;
  where?: (r: RunRecord) => boolean;
}

export function matchesRun(r: RunRecord, q: RunQuery, root = runsDir()): boolean {
  if (typeof q.method === "string" ? r.method !== q.method : q.method && !q.method(r.method)) return false;
  if (q.kind && r.kind !== q.kind) return false;
  if (q.artifact) {
    const rel = r.artifacts[q.artifact];
    if (!rel || !fs.existsSync(path.join(root, r.id, rel))) return false;
  }
  return !q.where || q.where(r);
}

/**
 * The one "latest run" rule: the newest run that finished (status ok) and matches the query; null when none does.
 * `root` is the folder the runs were listed from (where their artifacts are looked for).
 */
export function latestRun(q: RunQuery, runs: RunRecord[] = listRuns(), root = runsDir()): RunRecord | null {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i].status === "ok" && matchesRun(runs[i], q, root)) return runs[i];
  return null;
}

/** A run by id or unique id prefix (or suffix). */
export function findRun(idOrPrefix: string): RunRecord {
  const runs = listRuns();
  const exact = runs.find((r) => r.id === idOrPrefix);
  if (exact) return exact;
  const hits = runs.filter((r) => r.id.startsWith(idOrPrefix) || r.id.endsWith(idOrPrefix));
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) throw new Error(`no run ${JSON.stringify(idOrPrefix)} in ${runsDir()}`);
  throw new Error(`${JSON.stringify(idOrPrefix)} matches ${hits.length} runs: ${hits.map((h) => h.id).join(", ")}`);
}
