// The experiment registry: every training or evaluation run gets its own folder
// experiments/runs/<date>-<name>-<shortid>/ with a run.json that records what is needed to trace and reproduce it:
// parameters, seed, code version, data checksums, backend, library versions, timing, status, metrics and
// artifacts, with the SHA-256 of every file the run wrote (checked before a model is loaded from it). Folders are
// never reused; the folder's name is the run's id. A run that crashes is recorded as failed with its error, one that
// is stopped (SIGINT, SIGTERM) as interrupted, and one whose process was killed outright shows as stale.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dataChecksums } from "../data/checksums";
import { findDataDir, projectPath } from "../data/paths";
import { isTempName, writeFileAtomic } from "../io/atomic";
import { fileDigests, findDigestMismatch, IntegrityError } from "../io/integrity";
import { pidAlive } from "../io/lock";
import { atExit, StopRequested, stopSignalReceived } from "../io/signals";
import { codeVersion } from "../util/git";
import { fromLegacyMetrics, isPlainObject, mergeMetrics, metricsProblem, RunMetrics } from "./metrics";

export type RunStatus = "running" | "ok" | "failed" | "interrupted";

/** What `exp list` shows: the recorded status, or "stale" for a run left running by a process that is gone. */
export type RunState = RunStatus | "stale";

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
  /** SHA-256 of every file in the run folder but run.json, taken when the run finished (relative paths). */
  files?: Record<string, string>;
  /** The derived datasets the run read: their fingerprint and the SHA-256 of each file (data/derived/manifest.json). */
  derived?: { fingerprint: string; files: Record<string, string> } | null;
  /** The process that wrote the run, so that a run left "running" by a killed process can be told apart. */
  pid?: number;
  host?: string;
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
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Runs still open when the process ends were stopped (a signal) or cut short (an exit or an uncaught error).
  atExit(() => {
    const sig = stopSignalReceived();
    for (const r of [...active]) r.fail(sig ? new StopRequested(sig) : "the process exited before the run finished");
  });
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
      pid: process.pid,
      host: os.hostname(),
      notes: [],
    };
    this.save();
    active.add(this);
    installExitHook();
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

  /** Records the derived datasets the run reads (their fingerprint and file digests). */
  setDerived(derived: RunRecord["derived"]): void {
    this.record.derived = derived;
    this.save();
  }

  finish(metrics: RunMetrics = {}): RunRecord {
    this.record.metrics = mergeMetrics(this.record.metrics, metrics);
    this.record.files = fileDigests(this.dir, runFiles(this.dir));
    this.close("ok", null);
    return this.record;
  }

  /** Records the run as failed, or as interrupted when `error` is a StopRequested. */
  fail(error: unknown): RunRecord {
    if (this.record.status !== "running") return this.record;
    if (error instanceof StopRequested) {
      this.record.files = fileDigests(this.dir, runFiles(this.dir));
      this.close("interrupted", error.message);
    } else this.close("failed", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
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
    writeFileAtomic(path.join(this.dir, "run.json"), JSON.stringify(this.record, null, 2) + "\n");
  }
}

/** Every file of a run folder but run.json and temporary files, as paths relative to it (sorted). */
function runFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (isTempName(e.name)) continue;
      const r = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && r !== "run.json") out.push(r);
    }
  };
  walk("");
  return out.sort();
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
  return readRecordFile(file);
}

/** A run.json as a record of the current schema; its id is its folder's name. Throws an error naming the file. */
export function readRecordFile(file: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseRecord(value, file);
}

const KINDS: RunRecord["kind"][] = ["train", "eval", "notebook", "bench"];
const STATUSES: RunStatus[] = ["running", "ok", "failed", "interrupted"];

/**
 * Checks a parsed run.json and brings it to the current schema. The fields every reader relies on must be there
 * with their types; the rest take their empty value. The id is the folder's name, so a copied folder is its own run.
 */
export function parseRecord(value: unknown, file: string): RunRecord {
  const bad = (why: string): Error => new Error(`${file}: not a run record (${why})`);
  if (!isPlainObject(value)) throw bad(`expected a JSON object, found ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  const r = value;
  for (const key of ["method", "started"] as const) if (typeof r[key] !== "string" || !r[key]) throw bad(`"${key}" must be a non-empty string`);
  if (!KINDS.includes(r.kind as RunRecord["kind"])) throw bad(`"kind" must be one of ${KINDS.join(", ")}`);
  if (!STATUSES.includes(r.status as RunStatus)) throw bad(`"status" must be one of ${STATUSES.join(", ")}`);
  for (const key of ["params", "metrics", "artifacts", "files"] as const) if (r[key] !== undefined && r[key] !== null && !isPlainObject(r[key])) throw bad(`"${key}" must be an object`);
  if (r.files && Object.values(r.files as object).some((v) => typeof v !== "string")) throw bad(`"files" must map paths to SHA-256 digests`);
  if (r.artifacts && Object.values(r.artifacts as object).some((v) => typeof v !== "string")) throw bad(`"artifacts" must map names to paths`);
  if (r.notes !== undefined && !Array.isArray(r.notes)) throw bad(`"notes" must be an array`);
  const id = path.basename(path.dirname(path.resolve(file)));
  const record = {
    ...r,
    id,
    name: typeof r.name === "string" ? r.name : id,
    params: (r.params as Record<string, unknown>) ?? {},
    seed: typeof r.seed === "number" ? r.seed : null,
    git: isPlainObject(r.git) ? (r.git as RunRecord["git"]) : { commit: null, dirty: null },
    data: isPlainObject(r.data) ? (r.data as RunRecord["data"]) : null,
    backend: typeof r.backend === "string" ? r.backend : null,
    versions: isPlainObject(r.versions) ? (r.versions as Record<string, string>) : {},
    ended: typeof r.ended === "string" ? r.ended : null,
    seconds: typeof r.seconds === "number" ? r.seconds : null,
    error: typeof r.error === "string" ? r.error : null,
    metrics: (r.metrics as RunMetrics) ?? {},
    artifacts: (r.artifacts as Record<string, string>) ?? {},
    notes: (r.notes as string[]) ?? [],
  } as RunRecord;
  const current = (record.schema ?? 1) < RUN_SCHEMA ? { ...record, schema: RUN_SCHEMA, metrics: fromLegacyMetrics(record.metrics as unknown as Record<string, unknown>) } : record;
  const problem = metricsProblem(current.metrics);
  if (problem) throw bad(problem);
  return current;
}

/** The status `exp list` shows: a run left "running" on this machine by a process that no longer exists is stale. */
export function runState(r: RunRecord): RunState {
  if (r.status === "running" && r.pid !== undefined && r.host === os.hostname() && !pidAlive(r.pid)) return "stale";
  return r.status;
}

/** The command that makes a new run of a method (for messages about a broken one). */
export function rebuildCommand(method: string): string {
  if (method.startsWith("siamese")) return "jtlab train siamese";
  if (["fasttext", "vote", "char-tfidf"].includes(method)) return `jtlab train ${method}`;
  const notebook: Record<string, string> = { heuristic: "01-heuristic-keywords", lda: "02-lda-topics", word2vec: "03-word2vec-doc2vec", doc2vec: "03-word2vec-doc2vec" };
  return notebook[method] ? `jtlab run notebooks/${notebook[method]}.ipynb` : `a new ${method} run`;
}

const verified = new Map<string, IntegrityError | null>();

/**
 * The first file of a run that is missing or differs from its recorded SHA-256, as an error naming it and the
 * command that rebuilds the run; null when every file matches (or the run recorded no digests).
 */
export function runIntegrityError(r: RunRecord, root = runsDir()): IntegrityError | null {
  if (!r.files) return null;
  const dir = path.join(root, r.id);
  // Checked once per process and folder state (a file rewritten since changes its size or time).
  const key = `${dir}:${Object.keys(r.files)
    .map((f) => {
      const st = fs.statSync(path.join(dir, f), { throwIfNoEntry: false });
      return st ? `${st.size}@${st.mtimeMs}` : "-";
    })
    .join(",")}`;
  if (!verified.has(key)) verified.set(key, findDigestMismatch(dir, r.files, rebuildCommand(r.method)));
  return verified.get(key)!;
}

/** Throws when a run's files fail their check (see runIntegrityError). */
export function verifyRun(r: RunRecord, root = runsDir()): void {
  const e = runIntegrityError(r, root);
  if (e) throw e;
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
    if (id.startsWith(".")) continue;
    const file = path.join(root, id, "run.json");
    if (!fs.existsSync(file)) continue;
    try {
      out.push(readRecordFile(file));
    } catch (e) {
      warnOnce(`warning: skipped ${(e as Error).message}`);
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

const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(line + "\n");
}

/** True when a run's files pass their check; otherwise says once on stderr that the run is skipped, and why. */
export function isIntact(r: RunRecord, root = runsDir()): boolean {
  const broken = runIntegrityError(r, root);
  if (broken) warnOnce(`warning: skipped run ${r.id}: ${broken.message}`);
  return !broken;
}

export function matchesRun(r: RunRecord, q: RunQuery, root = runsDir()): boolean {
  if (typeof q.method === "string" ? r.method !== q.method : q.method && !q.method(r.method)) return false;
  if (q.kind && r.kind !== q.kind) return false;
  if (q.artifact) {
    const rel = r.artifacts[q.artifact];
    if (!rel || !fs.existsSync(path.join(root, r.id, rel))) return false;
    // A run whose files were changed since it finished is passed over, with a warning, for the next one.
    if (!isIntact(r, root)) return false;
  }
  return !q.where || q.where(r);
}

/**
 * The one "latest run" rule: the newest run that finished (status ok) and matches the query; null when none does.
 * `root` is the folder the runs were listed from (where their artifacts are looked for). When the query names an
 * artifact, runs whose files fail their SHA-256 check are skipped.
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
